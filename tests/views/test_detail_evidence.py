"""An issue's, a round's and an official's page show the first 20 of their quotes and claims
(a round's page, of its sources too), say how many there are in all and link to the list of
them all; the same in JSON; in the same number of queries whatever the data size."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations import evidence
from negotiations.models import Citation, FacetCount, Official, Quote, Source, StickingPoint
from negotiations.services import derivation
from tests.factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_official,
    make_participant,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)

pytestmark = pytest.mark.django_db

FIRST_DAY = datetime.date(2025, 1, 1)


def add_quotes(n, source, *, speaker=None, issue=None, round_=None, state="published"):
    """``n`` quotes citing ``source``, said on ``n`` days in a row (derived once, at the end,
    as the seed loader writes)."""
    speaker = speaker or make_official()
    with derivation.deferred():
        return _add_quotes(n, source, speaker, issue, round_, state)


def _add_quotes(n, source, speaker, issue, round_, state):
    quotes = []
    for i in range(n):
        quote = make_quote(
            speaker=speaker,
            round=round_,
            said_on=FIRST_DAY + datetime.timedelta(days=i),
            said_precision="day",
            state=state,
        )
        if issue:
            quote.sticking_points.add(issue)
        cite(quote, source)
        quotes.append(quote)
    return quotes


def add_claims(n, source, *, issue=None, round_=None, state="published"):
    with derivation.deferred():
        return _add_claims(n, source, issue, round_, state)


def _add_claims(n, source, issue, round_, state):
    claims = []
    for _ in range(n):
        claim = make_claim(round=round_, state=state)
        if issue:
            claim.sticking_points.add(issue)
        cite(claim, source)
        claims.append(claim)
    return claims


def shown_quote_ids(html):
    quotes = html.split('<ul class="quotes">')[1].split("</ul>")[0]
    return [int(pk) for pk in re.findall(r'href="/quotes/(\d+)/"', quotes)]


def shown_claim_ids(html):
    claims = html.split('<ul class="claims">')[1].split("</ul>")[0]
    return [int(pk) for pk in re.findall(r'href="/claims/(\d+)/"', claims)]


def newest_first(quotes):
    return [q.pk for q in sorted(quotes, key=lambda q: (-q.said_on.toordinal(), q.pk))]


@pytest.fixture
def source():
    return make_source()


class TestIssuePage:
    def test_shows_the_first_20_of_25_quotes_and_claims_with_the_count_and_the_list(
        self, client, source
    ):
        issue = make_sticking_point(slug="rare-earths")
        quotes = add_quotes(25, source, issue=issue)
        add_quotes(1, source, issue=issue, state="draft")
        add_claims(25, source, issue=issue)
        add_claims(1, source, issue=issue, state="draft")
        add_quotes(2, source)  # on no issue

        response = client.get(issue.get_absolute_url())
        html = response.text
        assert shown_quote_ids(html) == newest_first(quotes)[:20]
        assert len(shown_claim_ids(html)) == 20
        assert "20 of 25 quotes" in html and "20 of 25 claims" in html
        assert 'href="/quotes/?issue=rare-earths"' in html
        assert 'href="/claims/?issue=rare-earths"' in html
        assert "See all 25 quotes" in html
        context = response.context
        assert (context["quotes"].count, context["claims"].count) == (25, 25)

    def test_json_carries_the_same_first_20_the_counts_and_the_list_urls(self, client, source):
        issue = make_sticking_point(slug="tariffs")
        quotes = add_quotes(25, source, issue=issue)
        add_quotes(1, source, issue=issue, state="draft")
        add_claims(3, source, issue=issue)
        data = client.get(issue.get_absolute_url(), {"format": "json"}).json()
        assert [q["id"] for q in data["quotes"]] == newest_first(quotes)[:20]
        assert data["quote_count"] == 25 and data["quotes_url"] == "/quotes/?issue=tariffs"
        assert len(data["claims"]) == 3 and data["claim_count"] == 3
        assert data["claims_url"] == "/claims/?issue=tariffs"
        assert data["url"] == "/issues/tariffs/" and "history" in data
        assert all(c["verified"] for q in data["quotes"] for c in q["citations"])

    def test_when_all_fit_the_count_is_still_right_and_no_see_all(self, client, source):
        issue = make_sticking_point()
        add_quotes(3, source, issue=issue)
        add_quotes(2, source, issue=issue, state="draft")
        html = client.get(issue.get_absolute_url()).text
        assert len(shown_quote_ids(html)) == 3
        assert "3 quotes" in html and "See all" not in html
        assert "0 claims" in html and "No claims recorded." in html


class TestRoundPage:
    def test_shows_the_first_20_of_25_quotes_and_claims_with_the_count_and_the_list(
        self, client, source
    ):
        round_ = make_round(slug="geneva-2025")
        quotes = add_quotes(25, source, round_=round_)
        draft = add_quotes(1, source, round_=round_, state="draft")[0]
        add_claims(25, source, round_=round_)
        add_quotes(2, source, round_=make_round())  # another round's

        html = client.get(round_.get_absolute_url()).text
        assert shown_quote_ids(html) == newest_first(quotes)[:20]
        assert draft.pk not in shown_quote_ids(html)
        assert len(shown_claim_ids(html)) == 20
        assert "20 of 25 quotes" in html and "20 of 25 claims" in html
        assert 'href="/quotes/?round=geneva-2025"' in html
        assert 'href="/claims/?round=geneva-2025"' in html

        data = client.get(round_.get_absolute_url(), {"format": "json"}).json()
        assert [q["id"] for q in data["quotes"]] == newest_first(quotes)[:20]
        assert (data["quote_count"], data["claim_count"]) == (25, 25)
        assert data["quotes_url"] == "/quotes/?round=geneva-2025"
        assert data["claims_url"] == "/claims/?round=geneva-2025"
        assert data["sources"] == [source.slug] and data["source_count"] == 1
        assert data["sources_url"] is None  # the sources list has no round filter

    def test_sources_cited_by_agenda_claims_and_quotes_but_not_drafts(self, client):
        round_ = make_round()
        by_agenda, by_claim, by_quote = make_source(), make_source(), make_source()
        draft_source = make_source(state="draft")
        by_draft_quote, elsewhere = make_source(), make_source()
        cite(make_agenda_item(round_, make_sticking_point()), by_agenda)
        cite(make_claim(round=round_), by_claim)
        quote = make_quote(round=round_)
        cite(quote, by_quote)
        cite(quote, draft_source)
        cite(make_quote(round=round_, state="draft"), by_draft_quote)
        cite(make_quote(round=make_round()), elsewhere)

        response = client.get(round_.get_absolute_url())
        sources = response.context["sources"]
        expected = {by_agenda.slug, by_claim.slug, by_quote.slug}
        assert {s.slug for s in sources.items} == expected and sources.count == 3
        section = response.text.split('id="sources"')[1]
        for slug in expected:
            assert f'href="/sources/{slug}/"' in section
        for source in (draft_source, by_draft_quote, elsewhere):
            assert f'href="/sources/{source.slug}/"' not in section

    def test_shows_20_of_25_sources_with_their_count(self, client):
        round_ = make_round()
        quote = make_quote(round=round_)
        for _ in range(25):
            cite(quote, make_source())
        response = client.get(round_.get_absolute_url())
        sources = response.context["sources"]
        assert (len(sources.items), sources.count, sources.list_url) == (20, 25, None)
        assert "20 of 25 sources" in response.text
        # Each shown once, without its stored text.
        assert len({s.pk for s in sources.items}) == 20
        assert all("body" in s.get_deferred_fields() for s in sources.items)


class TestOfficialPage:
    def test_shows_the_first_20_of_25_quotes_with_the_count_and_the_list(self, client, source):
        official = make_official(slug="he-lifeng")
        quotes = add_quotes(25, source, speaker=official)
        add_quotes(1, source, speaker=official, state="draft")
        add_quotes(2, source)  # another official's

        html = client.get(official.get_absolute_url()).text
        assert shown_quote_ids(html) == newest_first(quotes)[:20]
        assert "20 of 25 quotes" in html
        assert 'href="/quotes/?speaker=he-lifeng"' in html

        data = client.get(official.get_absolute_url(), {"format": "json"}).json()
        assert [q["id"] for q in data["quotes"]] == newest_first(quotes)[:20]
        assert data["quote_count"] == 25 and data["quotes_url"] == "/quotes/?speaker=he-lifeng"
        assert "rounds" in data and "positions" in data

    def test_the_count_is_that_of_the_filtered_list(self, client, source):
        official = make_official()
        add_quotes(23, source, speaker=official)
        page = client.get(official.get_absolute_url()).context["quotes"]
        listed = client.get(page.list_url, {"format": "json"}).json()
        assert listed["count"] == page.count == 23
        assert [r["id"] for r in listed["results"][:20]] == [q.pk for q in page.items]


def build(size):
    """An issue, a round and an official with ``size`` quotes and claims each, every quote
    and claim citing its own source, and ``size`` agenda items citing sources."""
    with derivation.deferred():
        return _build(size)


def _build(size):
    round_, issue, official = make_round(), make_sticking_point(), make_official()
    shared = make_source()
    for _ in range(size):
        make_participant(round_, make_official())
        cite(make_agenda_item(make_round(), issue), shared)  # the issue's history
        cite(make_agenda_item(round_, make_sticking_point()), make_source())  # the round's agenda
        quote = make_quote(speaker=official, round=round_, said_on=FIRST_DAY, said_precision="day")
        quote.sticking_points.add(issue)
        cite(quote, make_source())
        cite(quote, shared)
        claim = make_claim(round=round_)
        claim.sticking_points.add(issue)
        claim.officials.add(official)
        cite(claim, make_source())
    return [issue.get_absolute_url(), round_.get_absolute_url(), official.get_absolute_url()]


def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_each_page_runs_the_same_queries_with_3_and_with_30(client):
    small = build(3)
    counts = {
        i: (queries(client, p), queries(client, p + "?format=json")) for i, p in enumerate(small)
    }
    large = build(30)
    for i, path in enumerate(large):
        assert (queries(client, path), queries(client, path + "?format=json")) == counts[i], path


def test_the_page_size_is_20():
    assert evidence.PAGE_SIZE == 20


def test_a_drafts_page_previewed_by_staff_links_to_no_list(admin_client, source):
    issue = make_sticking_point(state="draft")
    add_quotes(2, source, issue=issue)
    response = admin_client.get(issue.get_absolute_url())
    assert response.status_code == 200
    assert response.context["quotes"].count == 2 and response.context["quotes"].list_url is None
    assert Quote.objects.published().count() == 2


class TestSourcesOfARound:
    def test_most_recently_cited_first(self, client):
        round_ = make_round()
        first, second, third = make_source(), make_source(), make_source()
        quote = make_quote(round=round_)
        cite(quote, first)
        cite(make_claim(round=round_), second)
        cite(make_agenda_item(round_, make_sticking_point()), third)
        cite(quote, first)  # cited again: now the most recent
        response = client.get(round_.get_absolute_url())
        assert [s.pk for s in response.context["sources"].items] == [
            first.pk,
            third.pk,
            second.pk,
        ]
        assert "Most recently cited first." in response.text.split('id="sources"')[1]

    def test_a_short_window_is_read_again_longer(self, monkeypatch):
        """The newest citations all cite one source: the window is widened until 20 are
        sure of their place, in the same order as from every citation of the round."""
        monkeypatch.setattr(evidence, "RECENT_CITATIONS", 3)
        round_ = make_round()
        older = [make_source() for _ in range(30)]
        draft = make_source(state="draft")
        claim = make_claim(round=round_)
        for source in older[:12]:
            cite(claim, source)
        quote = make_quote(round=round_)
        for source in older[12:]:
            cite(quote, source)
        for _ in range(5):
            cite(quote, draft)
            cite(quote, older[0])
        everything = {}
        for pk, source in sorted(
            (c.pk, c.source_id) for c in Citation.objects.filter(source__state="published")
        ):
            everything[source] = pk
        expected = sorted(everything, key=lambda s: -everything[s])[:20]
        assert [s.pk for s in evidence.recently_cited(round_)] == expected

    def test_the_count_is_the_kept_one_of_cited_in_round(self, client):
        round_ = make_round()
        quote = make_quote(round=round_)
        for _ in range(3):
            cite(quote, make_source())
        cite(quote, make_source(state="draft"))
        page = client.get(round_.get_absolute_url()).context["sources"]
        assert page.count == 3 == Source.objects.published().cited_in_round(round_).count()
        FacetCount.objects.filter(subject="source", facet="round", value=str(round_.pk)).update(
            count=41
        )
        assert client.get(round_.get_absolute_url()).context["sources"].count == 41


def test_every_count_on_the_pages_is_read_where_it_is_kept(client, source):
    """Not counted from the quotes and claims: a kept count, moved by hand, is what shows."""
    issue, round_, official = make_sticking_point(), make_round(), make_official()
    add_quotes(2, source, speaker=official, issue=issue, round_=round_)
    add_claims(2, source, issue=issue, round_=round_)
    cells = FacetCount.objects.filter(by_facet="", by_value="")
    cells.filter(subject="quote", facet="issue", value=str(issue.pk)).update(count=71)
    cells.filter(subject="claim", facet="issue", value=str(issue.pk)).update(count=72)
    cells.filter(subject="quote", facet="round", value=str(round_.pk)).update(count=73)
    cells.filter(subject="claim", facet="round", value=str(round_.pk)).update(count=74)
    cells.filter(subject="quote", facet="speaker", value=str(official.pk)).update(count=75)

    issue_page = client.get(issue.get_absolute_url())
    assert (issue_page.context["quotes"].count, issue_page.context["claims"].count) == (71, 72)
    assert "71 quotes · 72 claims" in issue_page.text
    round_page = client.get(round_.get_absolute_url()).context
    assert (round_page["quotes"].count, round_page["claims"].count) == (73, 74)
    assert client.get(official.get_absolute_url()).context["quotes"].count == 75
    assert "71 quotes, 72 claims" in client.get("/").text
    assert "71 quotes · 72 claims" in client.get("/issues/").text


def test_the_kept_counts_are_those_of_the_records(client, source):
    issue, round_, official = make_sticking_point(), make_round(), make_official()
    add_quotes(3, source, speaker=official, issue=issue, round_=round_)
    add_quotes(2, source, speaker=official, issue=issue, round_=round_, state="draft")
    add_claims(4, source, issue=issue, round_=round_)
    add_claims(1, source, issue=issue, round_=round_, state="draft")
    issue_page = client.get(issue.get_absolute_url()).context
    assert (issue_page["quotes"].count, issue_page["claims"].count) == (3, 4)
    counted = StickingPoint.objects.with_counts().get(pk=issue.pk)
    assert (counted.quote_count, counted.claim_count, counted.round_count) == (3, 4, 0)
    round_page = client.get(round_.get_absolute_url()).context
    assert (round_page["quotes"].count, round_page["claims"].count) == (3, 4)
    assert client.get(official.get_absolute_url()).context["quotes"].count == 3
    assert Official.objects.for_display().get(pk=official.pk).quote_count == 3
