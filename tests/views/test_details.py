"""One record's page: every published record answers, citations land on their marked passage."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from negotiations.models import (
    Citation,
    Claim,
    Official,
    Quote,
    Round,
    Source,
    Statement,
    StickingPoint,
)
from tests.factories import cite, make_official, make_quote, make_source

pytestmark = pytest.mark.django_db


def links_to_citations(html):
    return re.findall(r'href="(/sources/[^"#]+/)#cite-(\d+)"', html)


class TagBalance(HTMLParser):
    VOID = {"br", "img", "input", "hr", "meta", "link"}

    def __init__(self):
        super().__init__()
        self.stack, self.balanced = [], True

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False

    def close(self):
        super().close()
        self.balanced = self.balanced and not self.stack


class TestPublicIntegrity:
    def test_quote_json_carries_verification_and_statement(self, seeded, client):
        quote = Quote.objects.get(text="a bit stalled")
        data = client.get(quote.get_absolute_url(), {"format": "json"}).json()
        assert data["verification"] == "variant"
        assert data["statement"] == "bessent-talks-stalled"
        assert len(data["variants"]) == 2

    def test_a_quote_page_diffs_wordings_and_points_out_numbers(self, client):
        speaker = make_official()
        statement = Statement.objects.create(
            slug="deficit", speaker=speaker, summary="Deficit", state="published"
        )
        here = make_quote(
            speaker=speaker, statement=statement, text="cut the deficit by $50 billion"
        )
        there = make_quote(
            speaker=speaker, statement=statement, text="did not cut the deficit by $15 billion"
        )
        cite(here)
        cite(there)
        page = client.get(here.get_absolute_url()).text
        assert "Numbers differ: 50 here, 15 there." in page
        assert "Negation differs: none here, not there." in page
        assert '<mark class="diff">' in page and there.get_absolute_url() in page


@pytest.mark.parametrize("model", [Round, StickingPoint, Official, Quote, Claim, Source])
def test_every_published_record_has_a_page_and_json(seeded, client, model):
    for record in model.objects.published():
        url = record.get_absolute_url()
        assert client.get(url).status_code == 200, url
        data = client.get(url, {"format": "json"}).json()
        assert data["url"] == url


@pytest.mark.parametrize(
    "path",
    [
        "/rounds/no-such-round/",
        "/issues/nope/",
        "/quotes/999999/",
        "/claims/0/",
        "/sources/nope/",
        "/nowhere/",
    ],
)
def test_unknown_records_are_404_in_the_site_design(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "There is no published page at this address" in response.text
    assert 'aria-label="Main"' in response.text


class TestCitations:
    def test_every_citation_link_lands_on_its_marked_passage(self, seeded, client):
        checked = 0
        source_pages = {}
        for record in list(Quote.objects.published()) + list(Claim.objects.published()):
            for source_path, cite_id in links_to_citations(
                client.get(record.get_absolute_url()).text
            ):
                if source_path not in source_pages:
                    source_pages[source_path] = client.get(source_path).text
                page = source_pages[source_path]
                mark = re.search(rf'<mark class="cite[^"]*" id="cite-{cite_id}"', page)
                assert mark, (record, source_path, cite_id)
                checked += 1
        assert checked == Citation.objects.exclude(agenda_item__isnull=False).count()

    def test_a_source_page_shows_the_stored_text_with_every_passage_marked(self, seeded, client):
        source = Source.objects.get(slug="britishwire-talks-lose-momentum")
        page = client.get(source.get_absolute_url()).text
        for citation in source.citations.all():
            assert f'id="cite-{citation.pk}"' in page
        text = re.sub(
            r"<[^>]+>|\[\d+\]", "", page.split('class="source-body"')[1].split("</div>")[0]
        )
        assert "Trade negotiations between the United States and China have hit a roadblock" in text
        assert "#:~:text=" in page  # the passage in the original, where its URL is known

    def test_overlapping_passages_render_as_well_formed_html(self, client):
        source = make_source(body="Alpha beta gamma delta epsilon zeta.")
        quote = make_quote(text="beta gamma delta")
        first = cite(quote, source, passage="beta gamma delta")
        second = cite(quote, source, passage="gamma delta epsilon")
        third = cite(quote, source, passage="gamma")
        page = client.get(source.get_absolute_url()).text
        body = page.split('<div class="source-body"')[1].split("</div>")[0]
        checker = TagBalance()
        checker.feed(body)
        assert checker.balanced
        for citation in (first, second, third):
            assert body.count(f'id="cite-{citation.pk}"') == 1
        assert re.sub(r"<[^>]+>|\[\d+\]", "", body.split(">", 1)[1]) == source.body

    def test_citations_carry_source_url_exact_and_verified(self, seeded, client):
        quote = Quote.objects.published().filter(citations__isnull=False).first()
        data = client.get(quote.get_absolute_url(), {"format": "json"}).json()
        citation = data["citations"][0]
        assert set(citation) >= {"source", "url", "exact", "verified"}
        assert citation["url"].startswith(f"/sources/{citation['source']}/#cite-")
        assert citation["verified"] is True

    def test_a_source_json_includes_its_body(self, seeded, client):
        source = Source.objects.first()
        data = client.get(source.get_absolute_url(), {"format": "json"}).json()
        assert data["body"] == source.body


class TestBrowsePages:
    def test_issue_page_follows_the_issue_across_rounds_in_date_order(self, seeded, client):
        response = client.get("/issues/rare-earths/")
        history = response.context["issue"].round_history
        dates = [item.round.start_on for item in history]
        assert dates == sorted(dates) and history
        for item in history:
            assert item.get_status_display() in response.text

    def test_round_page_shows_participants_by_side_agenda_and_sources(self, seeded, client):
        round_ = Round.objects.get(slug="stockholm-talks-2025-07")
        page = client.get(round_.get_absolute_url())
        assert "United States" in page.text
        for item in round_.agenda_items.all():
            assert f'id="agenda-{item.pk}"' in page.text
        assert {s.slug for s in page.context["sources"].items} >= {"stockholm-no-major-progress"}

    def test_a_paraphrase_is_never_shown_in_quotation_marks(self, seeded, client):
        paraphrase = Quote.objects.published().filter(kind="paraphrase").first()
        page = client.get(paraphrase.get_absolute_url()).text
        assert f"“{paraphrase.text}”" not in page
        assert "Reported as:" in page

    def test_quote_page_shows_the_other_wordings(self, seeded, client):
        quote = Quote.objects.get(text="a bit stalled")
        page = client.get(quote.get_absolute_url())
        assert {c.variant.text for c in page.context["comparisons"]} == {
            "somewhat deadlocked right now",
            "stalled",
        }


class TestHonestLabels:
    def test_no_paraphrase_is_labelled_verbatim_on_pages_json_csv_or_counts(self, seeded, client):
        paraphrases = Quote.objects.published().filter(kind="paraphrase")
        assert paraphrases.exists()
        data = client.get("/quotes/", {"format": "json", "verification": "verbatim"}).json()
        assert all(r["kind"] != "paraphrase" for r in data["results"])
        rows = csv.DictReader(
            io.StringIO(client.get("/quotes/", {"format": "csv"}).getvalue().decode())
        )
        assert all(r["verification"] != "verbatim" for r in rows if r["kind"] == "paraphrase")
        for quote in paraphrases:
            page = client.get(quote.get_absolute_url()).text
            own_badge = page.split("<figcaption>")[1].split("</figcaption>")[0]
            assert 'class="badge verification-reported"' in own_badge
            assert "Reporter’s words" in own_badge and "Verbatim" not in own_badge
        counts = dict(
            (v.value, n) for v, n, _ in client.get("/integrity/").context["verdict_counts"]
        )
        assert (
            counts["verbatim"]
            == Quote.objects.published()
            .filter(verification="verbatim")
            .exclude(kind="paraphrase")
            .count()
        )
        assert counts["reported"] == paraphrases.count()

    def test_each_citation_shows_its_sources_reliability(self, seeded, client):
        claim = Claim.objects.published().filter(citations__source__reference="002").first()
        page = client.get(claim.get_absolute_url()).text
        assert "reliability: low" in page

    def test_values_and_dates_read_as_precisely_as_they_are_known(self, seeded, client):
        rare_earths = Claim.objects.get(text__startswith="China produces over 70%")
        assert "at least 70%" in client.get(rare_earths.get_absolute_url()).text
        deficit = Claim.objects.get(text__startswith="The US trade deficit in goods with China")
        page = client.get(deficit.get_absolute_url()).text
        assert "$295 billion</strong>, as of 2024" in page
        assert "295000000000" not in page and "1 January 2024" not in page
