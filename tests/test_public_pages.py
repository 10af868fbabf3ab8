"""Public pages through real HTTP requests: browse, filter, follow citations, export."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from negotiations.models import (
    AgendaItem,
    Citation,
    Claim,
    Official,
    Quote,
    Round,
    Source,
    StickingPoint,
)

from .factories import cite, make_official, make_quote, make_source

pytestmark = pytest.mark.django_db

LISTS = ["/", "/rounds/", "/issues/", "/officials/", "/quotes/", "/claims/", "/sources/"]
EXTRA = ["/integrity/", "/search/?q=tariffs"]


@pytest.mark.parametrize("path", LISTS + EXTRA)
def test_every_public_path_answers(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    assert '<main id="content"' in response.text


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


def test_drafts_are_hidden_everywhere(seeded, client):
    quote = Quote.objects.published().get(text__startswith="a bit stalled")
    Quote.objects.filter(pk=quote.pk).update(state="draft")
    assert client.get(quote.get_absolute_url()).status_code == 404
    assert f'href="{quote.get_absolute_url()}"' not in client.get("/quotes/").text
    data = client.get("/quotes/", {"format": "json"}).json()
    assert data["count"] == Quote.objects.published().count()
    assert quote.pk not in [r["id"] for r in data["results"]]
    assert (
        quote.get_absolute_url() not in client.get("/quotes/", {"format": "csv"}).content.decode()
    )
    assert f'href="{quote.get_absolute_url()}"' not in client.get("/officials/scott-bessent/").text
    source = quote.citations.get().source
    assert f'id="cite-{quote.citations.get().pk}"' not in client.get(source.get_absolute_url()).text


def test_draft_records_are_never_offered_as_facets(seeded, client):
    Source.objects.filter(slug="bessent-fox-yahoo").update(state="draft")
    Official.objects.filter(slug="mao-ning").update(state="draft")
    page = client.get("/quotes/").text
    assert 'data-value="bessent-fox-yahoo"' not in page
    assert 'data-value="mao-ning"' not in page
    assert 'data-value="scott-bessent"' in page


class TestFilters:
    def test_speaker_json_holds_only_that_officials_quotes(self, seeded, client):
        data = client.get("/quotes/", {"speaker": "scott-bessent", "format": "json"}).json()
        expected = Quote.objects.published().filter(speaker__slug="scott-bessent").count()
        assert data["count"] == expected > 0
        assert {r["speaker"] for r in data["results"]} == {"scott-bessent"}

    def test_each_facet_count_is_what_choosing_it_gives(self, seeded, client):
        page = client.get("/quotes/", {"speaker": "scott-bessent"}).text
        options = re.findall(
            r'data-filter="issue" data-value="([^"]+)">[^<]*<span class="facet-count">(\d+)</span>',
            page,
        )
        assert options
        for slug, count in options:
            data = client.get(
                "/quotes/", {"speaker": "scott-bessent", "issue": slug, "format": "json"}
            ).json()
            assert data["count"] == int(count), slug

    def test_claims_filter_by_status_issue_and_source(self, seeded, client):
        all_claims = {c.pk: c for c in Claim.objects.published().with_status()}
        for status in ("corroborated", "single_source", "disputed"):
            data = client.get("/claims/", {"status": status, "format": "json"}).json()
            assert data["count"] == sum(c.status == status for c in all_claims.values())
            assert {r["status"] for r in data["results"]} <= {status}
        data = client.get(
            "/claims/",
            {"issue": "tariffs", "source": "britishwire-talks-lose-momentum", "format": "json"},
        ).json()
        expected = (
            Claim.objects.published()
            .filter(
                sticking_points__slug="tariffs",
                citations__source__slug="britishwire-talks-lose-momentum",
            )
            .distinct()
            .count()
        )
        assert data["count"] == expected > 0

    def test_rounds_filter_across_the_agenda(self, seeded, client):
        data = client.get("/rounds/", {"issue": "russia-iran", "format": "json"}).json()
        expected = set(
            AgendaItem.objects.filter(sticking_point__slug="russia-iran").values_list(
                "round__slug", flat=True
            )
        )
        assert {r["slug"] for r in data["results"]} == expected != set()
        assert (
            client.get("/rounds/", {"year": "2025", "kind": "talks", "format": "json"}).json()[
                "count"
            ]
            == 2
        )

    def test_chips_remove_one_filter_and_keep_the_other(self, seeded, client):
        page = client.get("/quotes/", {"speaker": "scott-bessent", "issue": "truce-extension"}).text
        chip = re.search(r'<a class="chip" href="([^"]+)" data-filter="speaker"', page)
        assert chip and chip.group(1).replace("&amp;", "&") == "?issue=truce-extension"

    def test_pagination_keeps_the_filters(self, seeded, client):
        speaker = make_official(slug="busy")
        for n in range(55):
            make_quote(speaker=speaker, text=f"remark {n}")
        page = client.get("/quotes/", {"speaker": "busy"})
        assert page.context["result_count"] == 55
        assert len(page.context["object_list"]) == 50
        assert 'href="?speaker=busy&amp;page=2"' in page.text
        second = client.get("/quotes/", {"speaker": "busy", "page": 2})
        assert len(second.context["object_list"]) == 5

    def test_csv_has_every_result_and_json_follows_the_page(self, seeded, client):
        speaker = make_official(slug="busy")
        for n in range(55):
            make_quote(speaker=speaker, text=f"=SUM(A{n})" if n == 0 else f"remark {n}")
        rows = list(
            csv.DictReader(
                io.StringIO(
                    client.get("/quotes/", {"speaker": "busy", "format": "csv"}).content.decode()
                )
            )
        )
        assert len(rows) == 55
        assert "'=SUM(A0)" in [r["text"] for r in rows]  # not run as a spreadsheet formula
        data = client.get("/quotes/", {"speaker": "busy", "format": "json", "page": 2}).json()
        assert data["count"] == 55 and len(data["results"]) == 5 and data["previous"]


class TestBadInput:
    @pytest.mark.parametrize(
        ("path", "message"),
        [
            ("/quotes/?said_after=2025-13-45", "Give a date as YYYY-MM-DD"),
            ("/quotes/?speaker=nobody", "There is no published official “nobody”"),
            ("/claims/?status=true", "Select a valid choice"),
            ("/rounds/?year=twenty", "Give a year as four digits"),
            ("/sources/?published_before=yesterday", "Give a date as YYYY-MM-DD"),
            ("/quotes/?sort=loudest", "There is no sort order"),
        ],
    )
    def test_invalid_filters_say_so_and_show_nothing(self, seeded, client, path, message):
        response = client.get(path)
        assert response.status_code == 200
        assert message in response.text
        assert response.context["result_count"] == 0

    @pytest.mark.parametrize("page", ["abc", "999", "-1", "0"])
    def test_a_bad_page_number_shows_a_real_page_with_a_message(self, seeded, client, page):
        response = client.get("/quotes/", {"page": page})
        assert response.status_code == 200
        assert f"There is no page “{page}”" in response.text

    def test_an_unknown_format_is_a_400_with_a_message(self, seeded, client):
        response = client.get("/quotes/", {"format": "xml"})
        assert response.status_code == 400
        assert "There is no format “xml”" in response.text
        assert client.get("/sources/bessent-fox-yahoo/", {"format": "pdf"}).status_code == 400

    def test_markup_is_escaped_when_echoed(self, seeded, client):
        attack = '<script>alert("x")</script>'
        for path in ("/quotes/", "/search/", "/claims/"):
            response = client.get(path, {"q": attack})
            assert response.status_code == 200
            assert attack not in response.text
            assert "&lt;script&gt;" in response.text


def links_to_citations(html):
    return re.findall(r'href="(/sources/[^"#]+/)#cite-(\d+)"', html)


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
        assert {s.slug for s in page.context["sources"]} >= {"stockholm-no-major-progress"}

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
