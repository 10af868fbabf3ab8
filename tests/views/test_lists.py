"""The public lists through real HTTP: filters, facets, chips, pagination, bad input, drafts hidden."""

import csv
import io
import re

import pytest

from negotiations.models import (
    AgendaItem,
    Claim,
    Official,
    Quote,
    Source,
)
from negotiations.services import derivation
from tests.factories import cite, make_official, make_quote, make_source

pytestmark = pytest.mark.django_db


class TestPublicIntegrity:
    def test_quotes_filter_by_verification(self, seeded, client):
        for verdict in ("verbatim", "variant", "reported", "unverified"):
            data = client.get("/quotes/", {"verification": verdict, "format": "json"}).json()
            assert data["count"] == Quote.objects.published().filter(verification=verdict).count()
            assert {r["verification"] for r in data["results"]} <= {verdict}


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
        all_claims = {c.pk: c for c in Claim.objects.published()}
        for status in ("corroborated", "single_source", "disputed", "unsupported"):
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
        source = make_source()
        with derivation.deferred():  # in bulk, as the seed loader writes
            for _n in range(55):
                cite(make_quote(speaker=speaker, text="somewhat deadlocked right now"), source)
        page = client.get("/quotes/", {"speaker": "busy"})
        assert page.context["result_count"] == 55
        assert len(page.context["object_list"]) == 50
        assert 'href="?speaker=busy&amp;page=2"' in page.text
        second = client.get("/quotes/", {"speaker": "busy", "page": 2})
        assert len(second.context["object_list"]) == 5

    def test_csv_has_every_result_and_json_follows_the_page(self, seeded, client):
        speaker = make_official(slug="busy")
        with derivation.deferred():  # in bulk, as the seed loader writes
            for n in range(55):
                text = f"=SUM(A{n})" if n == 0 else f"remark {n}"
                cite(make_quote(speaker=speaker, text=text))
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
