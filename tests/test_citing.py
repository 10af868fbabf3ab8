"""Citation export for reference managers (CSL-JSON, RIS, BibTeX) and the Cite section of every
detail page, read back with real parsers: rispy for RIS, and both bibtexparser (v2) and pybtex for
BibTeX, since each lets through errors the other catches."""

import datetime
import json

import bibtexparser
import pybtex.database
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations import citing
from negotiations.models import Claim, Outlet, Quote, Round, Source
from negotiations.models.base import DatePrecision
from tests.factories import cite, make_official, make_outlet, make_quote, make_source

pytestmark = pytest.mark.django_db

FORMATS = ("csl-json", "ris", "bibtex")
TRICKY = 'He said "no" to {braces}, 50% & $5 #1 a_b ~ ^ \\ and 中美贸易谈判 “quoted”'


def fetch(client, path, fmt, **params):
    response = client.get(path, {"format": fmt, **params})
    assert response.status_code == 200, (path, fmt, response.status_code)
    return response, b"".join(response.streaming_content).decode("utf-8")


def csl(client, path, **params):
    return json.loads(fetch(client, path, "csl-json", **params)[1])


def ris(client, path, **params):
    return rispy.loads(fetch(client, path, "ris", **params)[1])


def bibtex(client, path, **params):
    """The entries of a BibTeX export, parsed by bibtexparser and by pybtex, which must agree
    on the keys; bibtexparser's entries (LaTeX decoded) are returned by key."""
    text = fetch(client, path, "bibtex", **params)[1]
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    by_pybtex = pybtex.database.parse_string(text, "bibtex")
    assert [e.key for e in library.entries] == list(by_pybtex.entries)
    return {entry.key: entry for entry in library.entries}, by_pybtex


def seed_paths():
    sources = [s.get_absolute_url() for s in Source.objects.published()]
    quotes = [q.get_absolute_url() for q in Quote.objects.published()]
    claims = [c.get_absolute_url() for c in Claim.objects.published()]
    return sources + quotes + claims


class TestEveryExportParses:
    def test_every_seed_record_and_list_parses_in_every_format(self, seeded, client):
        paths = [*seed_paths(), "/sources/", "/quotes/", "/claims/"]
        assert len(paths) > 20
        for path in paths:
            items = csl(client, path)
            assert items, path
            ids = [item["id"] for item in items]
            assert len(set(ids)) == len(ids), path
            assert [r["id"] for r in ris(client, path)] == ids, path
            entries, _ = bibtex(client, path)
            assert list(entries) == ids, path

    def test_the_detail_pages_of_rounds_issues_and_officials_cite_the_web_page(
        self, seeded, client
    ):
        round_ = Round.objects.published().first()
        url = "http://testserver" + round_.get_absolute_url()
        [item] = csl(client, round_.get_absolute_url())
        assert item["type"] == "webpage" and item["URL"] == url
        assert item["container-title"] == citing.KNOWLEDGE_BASE
        assert item["accessed"]["date-parts"][0] == list(datetime.date.today().timetuple()[:3])
        changed = round_.updated_at.date()
        assert item["issued"]["date-parts"][0] == [changed.year, changed.month, changed.day]
        for path in ("/issues/tariffs/", "/officials/scott-bessent/"):
            [record] = ris(client, path)
            assert record["type_of_reference"] == "ELEC"
            entries, _ = bibtex(client, path)
            assert list(entries) == [path.strip("/").replace("s/", "-", 1)]

    def test_media_types_encoding_and_file_names(self, seeded, client):
        source = Source.objects.published().first()
        expected = {
            "csl-json": ("application/vnd.citationstyles.csl+json", "json"),
            "ris": ("application/x-research-info-systems", "ris"),
            "bibtex": ("application/x-bibtex", "bib"),
        }
        for fmt, (media_type, extension) in expected.items():
            response, _ = fetch(client, source.get_absolute_url(), fmt)
            assert response["Content-Type"] == f"{media_type}; charset=utf-8"
            disposition = response["Content-Disposition"]
            assert disposition.startswith("attachment; filename=")
            assert disposition.endswith(f'{source.slug}.{extension}"') or (
                fmt == "csl-json" and disposition.endswith(f'{source.slug}.csl.json"')
            )
            response, _ = fetch(client, "/quotes/", fmt)
            assert response.streaming


class TestWhatZoteroReads:
    def test_a_seed_source_keeps_title_outlet_url_and_leaves_unknowns_out(self, seeded, client):
        source = Source.objects.get(slug="britishwire-talks-lose-momentum")
        [record] = ris(client, source.get_absolute_url())
        assert record["type_of_reference"] == "NEWS"
        assert record["title"] == source.title
        assert record["secondary_title"] == "British Wire"
        assert record["urls"] == [source.url]
        assert record["language"] == "en"
        # Its date and author are unknown: no year, date or author, not "None" or "Anonymous".
        for absent in ("year", "date", "authors", "first_authors"):
            assert absent not in record
        entries, by_pybtex = bibtex(client, source.get_absolute_url())
        entry = entries[f"source-{source.slug}"]
        assert entry.entry_type == "article"
        assert entry["journal"] == "British Wire" and entry["url"] == source.url
        assert "year" not in entry.fields_dict and "author" not in entry.fields_dict
        assert not by_pybtex.entries[f"source-{source.slug}"].persons
        [item] = csl(client, source.get_absolute_url())
        assert item["type"] == "article-newspaper" and item["container-title"] == "British Wire"
        assert "issued" not in item and "author" not in item

    def test_a_known_author_and_dates_arrive_with_their_precision(self, client):
        outlet = Outlet.objects.create(name="Xinhua", slug="xinhua")
        day = make_source(
            outlet=outlet,
            author="Jane Doe",
            published_on=datetime.date(2025, 7, 29),
            published_precision=DatePrecision.DAY,
            retrieved_on=datetime.date(2025, 8, 1),
            url="https://example.org/day",
            archive_url="https://web.archive.org/web/2025/https://example.org/day",
            language="en",
        )
        [record] = ris(client, day.get_absolute_url())
        assert record["authors"] == ["Doe, Jane"]
        assert record["year"] == "2025" and record["date"] == "2025/07/29/"
        assert record["access_date"] == "2025/08/01/"
        assert "web.archive.org" in record["notes"][0]
        entries, by_pybtex = bibtex(client, day.get_absolute_url())
        entry = entries[f"source-{day.slug}"]
        assert entry["year"] == "2025" and entry["month"] == "7" and entry["date"] == "2025-07-29"
        person = by_pybtex.entries[f"source-{day.slug}"].persons["author"][0]
        assert (person.last_names, person.first_names) == (["Doe"], ["Jane"])
        [item] = csl(client, day.get_absolute_url())
        assert item["author"] == [{"family": "Doe", "given": "Jane"}]
        assert item["issued"] == {"date-parts": [[2025, 7, 29]]}

        month = make_source(
            outlet=outlet,
            author="Xinhua staff writers",
            published_on=datetime.date(2025, 7, 1),
            published_precision=DatePrecision.MONTH,
        )
        [item] = csl(client, month.get_absolute_url())
        assert item["issued"] == {"date-parts": [[2025, 7]]}
        assert item["author"] == [{"literal": "Xinhua staff writers"}]
        [record] = ris(client, month.get_absolute_url())
        assert record["date"] == "2025/07//" and record["authors"] == ["Xinhua staff writers"]
        _, by_pybtex = bibtex(client, month.get_absolute_url())
        # Braced whole: BibTeX never takes "writers" for a surname.
        [person] = by_pybtex.entries[f"source-{month.slug}"].persons["author"]
        assert str(person) == "{Xinhua staff writers}"

    def test_a_source_with_no_outlet_is_online_in_bibtex(self, client):
        source = make_source(outlet=None)
        entries, _ = bibtex(client, source.get_absolute_url())
        entry = entries[f"source-{source.slug}"]
        assert entry.entry_type == "online" and "journal" not in entry.fields_dict


@pytest.mark.parametrize(
    "name, parts",
    [
        ("Jane Doe", {"family": "Doe", "given": "Jane"}),
        ("Jean-Luc O’Brien", {"family": "O’Brien", "given": "Jean-Luc"}),
        ("José Martí", {"family": "Martí", "given": "José"}),
        ("Jane Q. Doe", {"literal": "Jane Q. Doe"}),
        ("李成钢", {"literal": "李成钢"}),
        ("Reuters", {"literal": "Reuters"}),
        ("Xinhua staff", {"literal": "Xinhua staff"}),
        ("Jane Doe and John Roe", {"literal": "Jane Doe and John Roe"}),
        ("AP 2025", {"literal": "AP 2025"}),
    ],
)
def test_names_are_split_only_when_plain(name, parts):
    assert citing.name_parts(name) == parts


class TestQuotesAndClaimsCiteTheirSources:
    def test_one_item_per_citation_with_the_passage_and_the_page(self, seeded, client):
        quote = Quote.objects.published().for_display().filter(citations__isnull=False).first()
        citations = list(quote.citations.all())
        page = "http://testserver" + quote.get_absolute_url()
        items = csl(client, quote.get_absolute_url())
        assert [i["id"] for i in items] == [f"quote-{quote.pk}-citation-{c.pk}" for c in citations]
        for item, citation in zip(items, citations, strict=True):
            assert item["URL"] == page
            assert item["title"] == citation.source.title
            assert quote.speaker.name in item["note"]
            assert " ".join(citation.exact.split()) in item["note"]
        records = ris(client, quote.get_absolute_url())
        assert [r["urls"] for r in records] == [[page]] * len(citations)
        entries, _ = bibtex(client, quote.get_absolute_url())
        assert all(e["url"] == page for e in entries.values())

    def test_a_claim_cites_each_passage_with_its_stance(self, seeded, client):
        claim = Claim.objects.published().filter(status="disputed").first()
        items = csl(client, claim.get_absolute_url())
        assert {i["id"] for i in items} == {
            f"claim-{claim.pk}-citation-{c.pk}"
            for c in claim.citations.filter(source__state="published")
        }
        notes = " ".join(i["note"] for i in items)
        assert "(disputes)" in notes and "(supports)" in notes


class TestFilteredListsExportExactlyTheirResults:
    def test_quotes_filtered_by_speaker(self, seeded, client):
        expected = {
            f"quote-{q.pk}-citation-{c.pk}"
            for q in Quote.objects.published().for_display().filter(speaker__slug="scott-bessent")
            for c in q.citations.all()
        }
        assert expected
        items = csl(client, "/quotes/", speaker="scott-bessent")
        assert {i["id"] for i in items} == expected
        assert {r["id"] for r in ris(client, "/quotes/", speaker="scott-bessent")} == expected
        entries, _ = bibtex(client, "/quotes/", speaker="scott-bessent")
        assert set(entries) == expected

    def test_claims_by_status_and_sources_by_outlet(self, seeded, client):
        disputed = Claim.objects.published().filter(status="disputed").values_list("pk", flat=True)
        items = csl(client, "/claims/", status="disputed")
        assert {int(i["id"].split("-")[1]) for i in items} == set(disputed)
        items = csl(client, "/sources/", outlet="british-wire")
        assert [i["id"] for i in items] == ["source-britishwire-talks-lose-momentum"]

    def test_every_result_not_one_page(self, client):
        speaker = make_official()
        source = make_source()
        for _ in range(55):  # more than a page of 50
            cite(make_quote(speaker=speaker), source)
        assert len(csl(client, "/quotes/")) == 55


class TestBadInput:
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_an_invalid_filter_is_a_clear_400(self, seeded, client, fmt):
        response = client.get("/quotes/", {"said_after": "2025-99-99", "format": fmt})
        assert response.status_code == 400
        assert "Give a date as YYYY-MM-DD" in response.content.decode()

    def test_an_unknown_format_is_a_400_naming_the_formats(self, seeded, client):
        response = client.get("/sources/", {"format": "endnote"})
        assert response.status_code == 400
        assert "There is no format “endnote”" in response.text and "bibtex" in response.text

    @pytest.mark.parametrize("path", ["/rounds/", "/officials/", "/issues/"])
    def test_pages_that_list_nothing_citable_refuse_citation_formats(self, seeded, client, path):
        response = client.get(path, {"format": "ris"})
        assert response.status_code == 400
        assert "There is no format “ris”" in response.text


class TestTrickyTitle:
    def test_quotes_braces_percent_ampersand_and_chinese_survive(self, client):
        outlet = Outlet.objects.create(name="R&D {Weekly} 100%", slug="rd")
        source = make_source(outlet=outlet, title=TRICKY, author="王 毅")
        [item] = csl(client, source.get_absolute_url())
        assert item["title"] == TRICKY and item["container-title"] == outlet.name
        [record] = ris(client, source.get_absolute_url())
        assert record["title"] == TRICKY and record["secondary_title"] == outlet.name
        entries, by_pybtex = bibtex(client, source.get_absolute_url())
        entry = entries[f"source-{source.slug}"]
        # Written as \textasciicircum{}, which TeX prints as ^; pylatexenc reads it back as the
        # modifier letter ˆ (U+02C6), the one character it does not give back as it was.
        assert entry["title"] == TRICKY.replace("^", "\u02c6")
        assert entry["journal"] == outlet.name
        assert "中美贸易谈判" in by_pybtex.entries[f"source-{source.slug}"].fields["title"]


class TestCiteSection:
    def test_a_source_page_shows_apa_and_chicago_and_the_downloads(self, seeded, client):
        source = Source.objects.get(slug="britishwire-talks-lose-momentum")
        response = client.get(source.get_absolute_url())
        html = response.text
        section = html[html.index('<section class="cite"') :]
        assert "APA" in section and "Chicago" in section
        references = [
            r for style in response.context["cite"]["styles"] for r in style["references"]
        ]
        assert len(references) == 2
        assert all("British Wire" in r and source.url in r for r in references)
        assert "None" not in section and "Anonymous" not in section
        for fmt in FORMATS:
            assert f'href="?format={fmt}"' in section
        assert 'class="cite-copy"' in section and "js/cite.js" in section
        apa = response.context["cite"]["styles"][0]["references"][0]
        # No author: the title stands in its place, once (citeproc-py's substitution, fixed).
        assert apa.count("US–China trade talks stall") == 1
        assert apa.startswith("US–China trade talks stall") and "(n.d.)" in apa

    def test_a_quote_page_has_one_reference_per_citation(self, seeded, client):
        quote = Quote.objects.published().for_display().filter(citations__isnull=False).first()
        count = len(quote.citations.all())
        cite_section = client.get(quote.get_absolute_url()).context["cite"]
        assert [len(style["references"]) for style in cite_section["styles"]] == [count, count]

    @pytest.mark.parametrize(
        "path", ["/rounds/geneva-talks-2025-05/", "/issues/tariffs/", "/officials/scott-bessent/"]
    )
    def test_rounds_issues_and_officials_are_cited_as_the_knowledge_base_page(
        self, seeded, client, path
    ):
        section = client.get(path).context["cite"]
        for style in section["styles"]:
            [reference] = style["references"]
            assert "http://testserver" + path in reference
            assert "trade negotiations knowledge base" in reference.lower()

    def test_the_section_adds_no_query_per_citation(self, client):
        speaker = make_official()
        few = make_quote(speaker=speaker)
        cite(few, make_source())
        many = make_quote(speaker=speaker)
        for _ in range(5):
            cite(many, make_source(outlet=make_outlet(), author="Jane Doe"))

        def queries(quote):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(quote.get_absolute_url()).status_code == 200
            return len(captured)

        assert queries(few) == queries(many)


class TestAccessedTodayAndTheCache:
    """The Cite section says “accessed” today: a page kept or validated yesterday is not today's."""

    def test_the_etag_and_page_key_change_with_the_day(self, rf):
        from negotiations.caching import PublicAnswer
        from negotiations.models.changes import Stamp

        changed = datetime.datetime(2025, 7, 29, 10, 0, tzinfo=datetime.UTC)
        request = rf.get("/sources/x/")
        today = Stamp(counter=3, changed_at=changed, now=changed + datetime.timedelta(hours=1))
        tomorrow = Stamp(counter=3, changed_at=changed, now=changed + datetime.timedelta(days=1))
        first = PublicAnswer.for_request(request, today)
        second = PublicAnswer.for_request(request, tomorrow)
        assert first.etag != second.etag and first.key != second.key
        assert first.etag == PublicAnswer.for_request(request, today).etag
        # Last-Modified is the change while it is today, today's midnight the day after: an
        # If-Modified-Since of yesterday no longer answers 304.
        assert first.last_modified == changed.timestamp()
        assert second.last_modified > changed.timestamp() + 12 * 3600


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_list_export_ends_its_read_when_the_reader_stops(client, seeded, fmt):
    """As the CSV: read from a plain cursor mid-stream (in a transaction on PostgreSQL), and the
    read and its transaction end when the response is closed."""
    response = client.get("/quotes/", {"format": fmt})
    chunks = iter(response.streaming_content)
    next(chunks)
    next(chunks)
    assert connection.in_atomic_block == (connection.vendor == "postgresql")
    response.close()
    assert not connection.in_atomic_block
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            assert cursor.fetchone()[0] == 0
