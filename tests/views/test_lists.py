"""The public lists through real HTTP: filters, facets, chips, pagination, bad input, drafts hidden."""

import csv
import io
import re
from urllib.parse import parse_qs

import pytest
from django.utils.html import escape

from negotiations import filters, pagination
from negotiations.models import (
    AgendaItem,
    Claim,
    Official,
    Quote,
    Source,
)
from negotiations.services import derivation
from tests.factories import cite, make_official, make_quote, make_source, make_sticking_point

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
        quote.get_absolute_url()
        not in client.get("/quotes/", {"format": "csv"}).getvalue().decode()
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
        next_url = page.context["next_url"]
        assert "speaker=busy" in next_url and "after=" in next_url
        assert f'href="{escape(next_url)}"' in page.text
        second = client.get(next_url)
        assert len(second.context["object_list"]) == 5
        assert second.context["page_obj"].number == 2
        assert not second.context["page_obj"].has_next()
        back = client.get(second.context["previous_url"])
        assert [q.pk for q in back.context["object_list"]] == [
            q.pk for q in page.context["object_list"]
        ]
        # A page number kept from before still works, for the first pages.
        by_number = client.get("/quotes/", {"speaker": "busy", "page": 2})
        assert len(by_number.context["object_list"]) == 5

    def test_csv_has_every_result_and_json_follows_the_page(self, seeded, client):
        speaker = make_official(slug="busy")
        with derivation.deferred():  # in bulk, as the seed loader writes
            for n in range(55):
                text = f"=SUM(A{n})" if n == 0 else f"remark {n}"
                cite(make_quote(speaker=speaker, text=text))
        rows = list(
            csv.DictReader(
                io.StringIO(
                    client.get("/quotes/", {"speaker": "busy", "format": "csv"}).getvalue().decode()
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


class TestFacetsAtScale:
    """Several values of a facet, the top options and "show all", capped counts, keyset pages."""

    @pytest.fixture
    def speakers(self):
        made = []
        for n in range(10):
            official = make_official(slug=f"speaker-{n}", name=f"Speaker {n}")
            for _ in range(10 - n):  # speaker-0 most quoted
                cite(make_quote(speaker=official))
            made.append(official)
        return made

    def test_several_values_of_a_facet_combine_as_or_with_a_chip_each(self, client, speakers):
        page = client.get("/quotes/?speaker=speaker-0&speaker=speaker-9")
        assert page.context["result_count"] == 11
        chips = [(c.param, c.value) for c in page.context["filter"].chips()]
        assert chips == [("speaker", "Speaker 0"), ("speaker", "Speaker 9")]
        removal = page.context["filter"].chips()[0].remove_url
        assert parse_qs(removal[1:]) == {"speaker": ["speaker-9"]}
        assert client.get("/quotes/?speaker=speaker-0&speaker=").context["result_count"] == 10

    def test_several_issues_combine_as_or_without_repeating_a_quote(self, client):
        one, two = make_sticking_point(slug="one"), make_sticking_point(slug="two")
        both = make_quote()
        both.sticking_points.set([one, two])
        cite(both)
        only = make_quote()
        only.sticking_points.set([two])
        cite(only)
        data = client.get("/quotes/?issue=one&issue=two&format=json").json()
        assert sorted(r["url"] for r in data["results"]) == sorted(
            [both.get_absolute_url(), only.get_absolute_url()]
        )
        assert data["count"] == 2 and data["count_exact"] is True

    def test_the_top_options_are_shown_most_counted_first_with_a_link_to_all(
        self, client, speakers
    ):
        speaker_facet = client.get("/quotes/").context["filter"].facet_options[0]
        assert [o.value for o in speaker_facet.options] == [f"speaker-{n}" for n in range(8)]
        assert [o.count for o in speaker_facet.options] == list(range(10, 2, -1))
        assert speaker_facet.more_url.startswith("/quotes/facets/speaker/")
        every = client.get(speaker_facet.more_url)
        assert every.status_code == 200
        assert [o.value for o in every.context["facet"].options] == [
            f"speaker-{n}" for n in range(10)
        ]
        assert 'href="/quotes/?speaker=speaker-9"' in every.text
        data = client.get("/quotes/facets/speaker/?format=json").json()
        assert [(o["value"], o["count"]) for o in data["options"]][-1] == ("speaker-9", 1)

    def test_the_options_page_is_paged_by_count(self, client, speakers, monkeypatch):
        monkeypatch.setattr(filters, "OPTIONS_PAGE", 4)
        first = client.get("/quotes/facets/speaker/")
        assert len(first.context["facet"].options) == 4
        second = client.get(first.context["more_options_url"])
        assert [o.value for o in second.context["facet"].options] == [
            f"speaker-{n}" for n in range(4, 8)
        ]

    def test_a_chosen_option_is_shown_even_outside_the_top(self, client, speakers):
        facet_ = client.get("/quotes/?speaker=speaker-9").context["filter"].facet_options[0]
        assert any(o.value == "speaker-9" and o.active for o in facet_.options)

    def test_counts_beyond_the_cap_say_so(self, client, speakers, monkeypatch):
        monkeypatch.setattr(filters, "COUNT_CAP", 20)
        monkeypatch.setattr(filters, "LIVE_LIMIT", 20)
        page = client.get("/quotes/?q=deadlocked")
        assert page.context["result_count_exact"] is False
        assert "20+ quotes" in page.text
        speaker_facet = page.context["filter"].facet_options[0]
        assert speaker_facet.note == "Counted among 20 of the results."
        assert all(o.at_least for o in speaker_facet.options)
        data = client.get("/quotes/?q=deadlocked&format=json").json()
        assert (data["count"], data["count_exact"], data["pages"]) == (20, False, None)

    def test_kept_counts_are_exact_without_filters(self, client, speakers):
        page = client.get("/quotes/")
        assert page.context["result_count"] == 55 and page.context["result_count_exact"]
        assert "55 quotes" in page.text

    def test_a_deep_page_is_reached_by_its_links(self, client, speakers, monkeypatch):
        monkeypatch.setattr(pagination, "PAGE_SIZE", 5)
        seen, url = [], "/quotes/"
        while url:
            page = client.get(url)
            seen += [q.pk for q in page.context["object_list"]]
            url = page.context["next_url"]
        assert len(seen) == len(set(seen)) == 55
        assert seen == list(Quote.objects.published().values_list("pk", flat=True))
        assert page.context["page_obj"].number == 11

    @pytest.mark.parametrize(
        "query",
        [
            "after=garbage",
            "before=%00%01",
            "after=W1tdLDFd",  # a well-formed token for another sort
            "after=" + "A" * 5000,
            "page=99999999999999999999",
            "speaker=" + "&speaker=".join(f"s{n}" for n in range(25)),
            "speaker=speaker-0&speaker=nobody",
        ],
    )
    def test_hostile_paging_and_facet_values_get_a_message_never_a_500(
        self, client, speakers, query
    ):
        response = client.get("/quotes/?" + query)
        assert response.status_code == 200
        assert response.context["messages"] or list(response.context["messages"]) != []
        assert client.get("/quotes/?format=json&" + query).status_code in (200, 400)

    def test_an_unknown_facet_page_is_a_404(self, client):
        assert client.get("/quotes/facets/nothing/").status_code == 404
        assert client.get("/quotes/facets/speaker/?options_after=x-").status_code == 200

    def test_csv_streams_every_result(self, client, speakers):
        response = client.get("/quotes/?format=csv")
        assert response.streaming
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert len(rows) == 55


def test_a_retired_sort_in_a_kept_link_falls_back_to_the_default_with_a_word(client):
    cite(make_quote())
    page = client.get("/quotes/?sort=speaker")
    assert page.status_code == 200 and len(page.context["object_list"]) == 1
    assert "no longer sorted by speaker" in page.text
    assert client.get("/quotes/?sort=speaker&format=json").json()["count"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_stream_reads_from_a_plain_cursor_that_ends_when_the_reader_stops(client, seeded):
    """Outside a transaction Django declares PostgreSQL's cursor WITH HOLD, and PostgreSQL then
    computes every row before the first is sent (a million-row CSV sent nothing in 30 s).
    Mid-stream the cursor is a plain one; when the reader stops, the read ends with it."""
    from django.db import connection

    rows = Quote.objects.published().order_by("pk").streamed(chunk_size=2)
    next(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT is_holdable FROM pg_cursors")
            assert [row[0] for row in cursor.fetchall()] == [False]
    rows.close()
    assert not connection.in_atomic_block

    response = client.get("/quotes/?format=csv")
    chunks = iter(response.streaming_content)
    assert next(chunks).decode() == "\ufeff"  # the byte order mark
    assert next(chunks).decode().startswith("id,")  # the header, then rows from the cursor
    next(chunks)
    assert connection.in_atomic_block == (connection.vendor == "postgresql")
    response.close()  # the reader stops: the rows' generator is closed with the response
    assert not connection.in_atomic_block
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("values", [["not a date", 1], [1, 2], [None, 1], ["2025-01-01", "x"]])
def test_a_page_link_holding_values_of_the_wrong_type_shows_the_first_page(seeded, client, values):
    token = pagination.encode(values, 3)
    for path in ("/quotes/", "/claims/", "/sources/"):
        response = client.get(f"{path}?after={token}")
        assert response.status_code == 200, path
        assert "That page link is broken or out of date" in response.text, path
