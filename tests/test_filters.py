"""The FilterSets on their own: strict validation, facet counts under the other filters, sort
orders, chips and the links they build."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from negotiations.filters import ClaimFilter, QuoteFilter, RoundFilter, SourceFilter
from negotiations.models import Claim, Outlet, Quote, Round, Source
from tests.factories import (
    cite,
    make_claim,
    make_official,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)

pytestmark = pytest.mark.django_db


def quotes(query=""):
    return QuoteFilter(QueryDict(query), queryset=Quote.objects.published().for_display())


def facet(filterset, param):
    return next(f for f in filterset.facet_options if f.param == param)


@pytest.fixture
def two_speakers():
    """Ann with two quotes (one on tariffs), Bo with one on tariffs and one on chips."""
    ann, bo = make_official(name="Ann", slug="ann"), make_official(name="Bo", slug="bo")
    tariffs = make_sticking_point(name="Tariffs", slug="tariffs")
    chips = make_sticking_point(name="Chips", slug="chips")
    for speaker, issues in ((ann, [tariffs]), (ann, []), (bo, [tariffs]), (bo, [chips])):
        quote = make_quote(speaker=speaker)
        quote.sticking_points.set(issues)
        cite(quote)
    return ann, bo


class TestStrictness:
    def test_valid_filters_narrow_the_results(self, two_speakers):
        filterset = quotes("speaker=ann")
        assert filterset.is_valid()
        assert {q.speaker.slug for q in filterset.qs} == {"ann"}
        assert filterset.qs.count() == 2

    def test_an_unknown_slug_is_an_error_naming_it(self, two_speakers):
        filterset = quotes("speaker=nobody")
        assert not filterset.is_valid()
        assert filterset.error_messages() == ["Speaker: There is no published official “nobody”."]

    def test_a_draft_record_is_not_a_valid_choice(self, two_speakers):
        make_official(slug="hidden", state="draft")
        assert not quotes("speaker=hidden").is_valid()

    def test_a_malformed_date_says_how_to_write_one(self, two_speakers):
        filterset = quotes("said_after=2025-99-99")
        assert not filterset.is_valid()
        assert "Give a date as YYYY-MM-DD" in filterset.error_messages()[0]

    def test_an_unknown_sort_is_an_error(self, two_speakers):
        filterset = quotes("sort=loudest")
        assert not filterset.is_valid()
        assert "There is no sort order “loudest”." in filterset.error_messages()[0]


class TestFacets:
    def test_counts_are_under_the_other_filters_but_not_their_own(self, two_speakers):
        filterset = quotes("speaker=ann")
        speakers = {o.value: o.count for o in facet(filterset, "speaker").options}
        assert speakers == {"ann": 2, "bo": 2}  # the speaker facet ignores speaker=ann
        issues = {o.value: o.count for o in facet(filterset, "issue").options}
        assert issues == {"tariffs": 1}  # the issue facet counts Ann's quotes only

    def test_each_count_is_what_choosing_the_option_gives(self, two_speakers):
        for option in facet(quotes("issue=tariffs"), "speaker").options:
            chosen = quotes(f"issue=tariffs&speaker={option.value}")
            assert chosen.qs.count() == option.count

    def test_the_active_option_links_to_its_removal(self, two_speakers):
        chosen = quotes("speaker=ann&issue=tariffs")
        options = {o.value: o for o in facet(chosen, "speaker").options}
        assert options["ann"].active and not options["bo"].active
        assert parse_qs(options["ann"].url[1:]) == {"issue": ["tariffs"]}
        # Another value is added to the chosen ones: several values of a facet combine as OR.
        assert parse_qs(options["bo"].url[1:]) == {"issue": ["tariffs"], "speaker": ["ann", "bo"]}

    def test_drafts_are_never_offered(self, two_speakers):
        draft = make_sticking_point(slug="secret", state="draft")
        Quote.objects.published().first().sticking_points.add(draft)
        assert "secret" not in [o.value for o in facet(quotes(), "issue").options]

    def test_another_invalid_filter_empties_the_facet_its_own_does_not(self, two_speakers):
        filterset = quotes("speaker=nobody&said_after=nonsense")
        assert facet(filterset, "issue").options == []
        filterset = quotes("speaker=nobody")
        assert {o.value for o in facet(filterset, "speaker").options} == {"ann", "bo"}

    def test_choice_facets_show_labels(self):
        make_round(kind="call")
        make_round(kind="talks")
        make_round(kind="talks")
        filterset = RoundFilter(QueryDict(""), queryset=Round.objects.published())
        kinds = {o.label: o.count for o in facet(filterset, "kind").options}
        assert kinds == {"Leaders’ call": 1, "Negotiating round": 2}

    def test_the_filter_values_are_validated_once_for_results_and_every_facet(self, two_speakers):
        filterset = quotes("speaker=ann&issue=tariffs")
        with CaptureQueriesContext(connection) as captured:
            list(filterset.qs)
            filterset.facet_options  # noqa: B018 (evaluated for its queries)
        slug_lookups = [q["sql"] for q in captured if "negotiations_official" in q["sql"]]
        validations = [sql for sql in slug_lookups if '."slug" IN ' in sql]
        assert len(validations) == 1, validations

    def test_facets_of_a_non_publishable_record_list_every_option(self):
        outlet = Outlet.objects.create(name="Wire", slug="wire")
        make_source(outlet=outlet)
        filterset = SourceFilter(QueryDict(""), queryset=Source.objects.published())
        assert [(o.value, o.count) for o in facet(filterset, "outlet").options] == [("wire", 1)]


class TestSortAndChips:
    def test_without_a_sort_the_first_order_applies(self, two_speakers):
        for slug, day in (("ann", datetime.date(2025, 6, 1)), ("bo", datetime.date(2025, 5, 1))):
            Quote.objects.filter(speaker__slug=slug).update(said_on=day, said_precision="day")
        assert [q.speaker.slug for q in quotes().qs] == ["ann", "ann", "bo", "bo"]
        assert quotes().current_sort() == "newest"
        assert [q.speaker.slug for q in quotes("sort=oldest").qs] == ["bo", "bo", "ann", "ann"]

    def test_sort_choices_are_the_declared_orders(self):
        # Each an order an index reads (keyset pages); the speaker facet replaces a speaker sort.
        # "added" (the newest added first, read from (state, created_at, id)) is the feeds'.
        assert [key for key, _label in quotes().sort_choices()] == ["newest", "oldest", "added"]

    def test_chips_name_each_filter_in_use_and_link_to_the_list_without_it(self, two_speakers):
        chips = quotes("speaker=ann&q=deadlocked&sort=oldest&page=2").chips()
        assert [(c.param, c.value) for c in chips] == [
            ("speaker", "Ann"),
            ("q", "deadlocked"),
        ]
        assert parse_qs(chips[0].remove_url[1:]) == {"q": ["deadlocked"], "sort": ["oldest"]}

    def test_typed_fields_are_separate_from_facets(self):
        names = [field.name for field in quotes().form_fields()]
        assert names == ["said_after", "said_before", "q"]


class TestClaimStatusFilter:
    def test_status_is_a_facet_with_labels(self):
        claim = make_claim()
        cite(claim)
        cite(claim)  # two citations of two sources: corroborated
        cite(make_claim())  # one source
        filterset = ClaimFilter(QueryDict(""), queryset=Claim.objects.published().for_display())
        statuses = {o.value: (o.label, o.count) for o in facet(filterset, "status").options}
        assert statuses == {
            "corroborated": ("Corroborated", 1),
            "single_source": ("Single source", 1),
        }
        chosen = ClaimFilter(
            QueryDict("status=corroborated"), queryset=Claim.objects.published().for_display()
        )
        assert list(chosen.qs) == [claim]
