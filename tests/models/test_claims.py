"""Claims: constraints on values, and the status derived from independent citations."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from negotiations.models import Citation, Claim, Source
from negotiations.services import statuses
from tests.factories import (
    cite,
    make_claim,
    make_source,
)
from tests.helpers import messages, refused_by_database

pytestmark = pytest.mark.django_db


class TestClaimStatus:
    """The status is stored and kept right by the model layer, whatever writes."""

    def status(self, claim):
        claim = Claim.objects.get(pk=claim.pk)
        return claim.status

    def test_single_source_then_corroborated_then_disputed(self):
        claim = make_claim()
        cite(claim, make_source())
        assert self.status(claim) == "single_source"
        cite(claim, make_source())
        assert self.status(claim) == "corroborated"
        assert Claim.objects.get(pk=claim.pk).get_status_display() == "Corroborated"
        cite(claim, make_source(), stance="disputes")
        assert self.status(claim) == "disputed"

    def test_a_copy_is_not_an_independent_source(self):
        claim = make_claim()
        original, copy = make_source(), make_source()
        copy.derived_from.add(original)
        cite(claim, original)
        cite(claim, copy)
        assert self.status(claim) == "single_source"
        assert Claim.objects.get(pk=claim.pk).independent_sources == 1

    def test_two_rewrites_of_one_report_count_once_whether_or_not_it_is_in_the_base(self):
        claim = make_claim()
        first, second, third = make_source(), make_source(), make_source()
        cite(claim, first)
        cite(claim, second)
        assert self.status(claim) == "corroborated"
        first.same_report_as.add(second)  # both rewrite a wire story the base does not hold
        assert self.status(claim) == "single_source"
        cite(claim, third)
        assert self.status(claim) == "corroborated"
        first.same_report_as.remove(second)
        assert Claim.objects.get(pk=claim.pk).independent_sources == 3

    def test_two_sources_copying_one_source_count_once_with_it(self):
        claim = make_claim()
        original, copy_a, copy_b = make_source(state="draft"), make_source(), make_source()
        copy_a.derived_from.add(original)
        copy_b.derived_from.add(original)
        cite(claim, copy_a)
        cite(claim, copy_b)
        assert self.status(claim) == "single_source"

    def test_a_claim_only_mentioned_is_unsupported_not_single_source(self):
        claim = make_claim(state="draft")
        cite(claim, make_source(), stance="mentions")
        assert self.status(claim) == "unsupported"
        explanation = str(Claim.objects.get(pk=claim.pk).status_explanation)
        assert "No published source supports this claim" in explanation

    def test_a_broken_passage_and_an_unpublished_source_support_nothing(self):
        claim = make_claim(state="draft")
        source = make_source()
        citation = cite(claim, source)
        assert self.status(claim) == "single_source"
        Citation.objects.filter(pk=citation.pk).update(anchor_status="broken")
        statuses.refresh_claim_statuses(claims=Claim.objects.filter(pk=claim.pk))
        assert self.status(claim) == "unsupported"
        Citation.objects.filter(pk=citation.pk).update(anchor_status="anchored")
        source.state = "draft"
        source.save()  # through the model layer: the status follows at once
        assert self.status(claim) == "unsupported"

    def test_two_citations_of_one_source_are_one_source(self):
        claim = make_claim()
        source = make_source()
        cite(claim, source, passage="Tariffs fell from 145% to 30%.")
        cite(claim, source, passage="Negotiators met in Geneva.")
        assert self.status(claim) == "single_source"

    def test_the_seed_has_disputed_and_corroborated_claims(self, seeded):
        statuses_ = list(Claim.objects.values_list("status", flat=True))
        assert statuses_.count("disputed") >= 3
        assert statuses_.count("corroborated") >= 5


class TestSourceOrigins:
    def test_a_source_cannot_derive_from_itself_or_through_a_cycle(self):
        first, second, third = make_source(), make_source(), make_source()
        # Each refusal in a savepoint of its own: m2m writes run in the caller's transaction.
        with pytest.raises(ValidationError, match="derived from itself"), transaction.atomic():
            first.derived_from.add(first)
        second.derived_from.add(first)
        third.derived_from.add(second)
        with pytest.raises(ValidationError, match="already derives"), transaction.atomic():
            first.derived_from.add(third)
        with pytest.raises(ValidationError, match="already derives"), transaction.atomic():
            third.derivatives.add(first)  # the same link, made from the other end
        assert not first.derived_from.exists()

    def test_origins_follow_links_and_their_removal(self):
        first, second, third = make_source(), make_source(), make_source()
        second.derived_from.add(first)
        third.same_report_as.add(second)
        assert {s.origin_id for s in Source.objects.all()} == {first.pk}
        second.derived_from.clear()
        origin = {s.pk: s.origin_id for s in Source.objects.all()}
        assert origin[first.pk] == first.pk and origin[third.pk] == origin[second.pk] == second.pk


class TestClaim:
    def test_percentage_out_of_range_is_refused(self):
        claim = Claim(text="Tariffs of 14500%", value=14500, unit="percent")
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "between 0 and 1000" in messages(error)
        refused_by_database(claim.save)

    def test_tariffs_above_one_hundred_percent_are_allowed(self):
        claim = Claim(text="Tariffs of 145%", value=145, unit="percent", value_qualifier="exact")
        claim.full_clean()

    def test_a_value_says_how_the_source_states_it(self):
        claim = Claim(text="Over 70%", value=70, unit="percent")
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "Say how the source states the value" in messages(error)
        refused_by_database(claim.save)

    @pytest.mark.parametrize(
        "value, unit, qualifier, shown",
        [
            (30, "percent", "exact", "30%"),
            (70, "percent", "at_least", "at least 70%"),
            (295000000000, "usd", "exact", "$295 billion"),
            (15000000000, "usd", "at_most", "at most $15 billion"),
            (300000, "people", "at_least", "at least 300,000 people"),
            (5, "count", "exact", "5"),
            (2.5, "percent", "about", "about 2.5%"),
        ],
    )
    def test_values_read_as_a_reader_writes_them(self, value, unit, qualifier, shown):
        claim = Claim(text="x", value=Decimal(str(value)), unit=unit, value_qualifier=qualifier)
        assert claim.value_display == shown

    def test_dates_show_as_precisely_as_they_are_known(self):
        claim = Claim(text="x", as_of=datetime.date(2024, 1, 1), as_of_precision="year")
        assert claim.as_of_display == "2024"

    def test_a_value_needs_a_unit(self):
        claim = Claim(text="Thirty", value=30)
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "needs its unit" in messages(error)
        refused_by_database(claim.save)

    def test_empty_text_is_refused(self):
        refused_by_database(lambda: Claim.objects.create(text=""))
