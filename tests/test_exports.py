"""The exports every page offers: errors answered as errors, CSV that spreadsheets and pandas
read right (formulas neutralised, a byte order mark, identifiers kept as text, the passages
beside their links)."""

import csv
import io

import pandas
import pytest

from negotiations.exports import FORMULA_PREFIXES, safe_cell
from negotiations.models import Source
from tests.factories import cite, make_official, make_quote, make_source

pytestmark = pytest.mark.django_db


class TestErrorsInExports:
    def test_an_invalid_filter_in_json_is_a_400_with_the_messages(self, seeded, client):
        response = client.get("/quotes/", {"said_after": "2025-99-99", "format": "json"})
        assert response.status_code == 400
        assert response.json() == {
            "errors": [
                "Said on or after: Give a date as YYYY-MM-DD, for example 2025-05-12. No "
                "results are shown until it is corrected."
            ]
        }

    def test_an_invalid_filter_in_csv_is_a_400_with_the_messages(self, seeded, client):
        response = client.get("/rounds/", {"year": "99999", "format": "csv"})
        assert response.status_code == 400
        rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
        assert rows and "between 1900 and 2100" in rows[0]["error"]

    def test_a_page_that_does_not_exist_is_an_error_in_json(self, seeded, client):
        response = client.get("/quotes/", {"page": "abc", "format": "json"})
        assert response.status_code == 400 and "There is no page" in response.json()["errors"][0]

    def test_no_message_is_kept_to_surface_on_another_page(self, seeded, client):
        client.get("/quotes/", {"said_after": "2025-99-99", "format": "json"})
        client.get("/quotes/", {"page": "abc", "format": "csv"})
        later = client.get("/sources/")
        assert list(later.context["messages"]) == []

    def test_on_a_page_the_message_is_shown_on_that_page(self, seeded, client):
        page = client.get("/quotes/", {"said_after": "2025-99-99"})
        assert "Give a date as YYYY-MM-DD" in page.text
        assert list(client.get("/sources/").context["messages"]) == []


class TestSpreadsheets:
    @pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
    def test_every_formula_prefix_is_neutralised(self, prefix):
        assert safe_cell(f"{prefix}2+3+cmd|' /C calc'!A0") == f"'{prefix}2+3+cmd|' /C calc'!A0"
        assert safe_cell(-5) == -5  # numbers stay numbers

    def test_pandas_reads_names_identifiers_and_formulas_as_they_are_meant(self, client):
        speaker = make_official(name="何咏前", slug="he-yongqian")
        source = make_source(reference="001", body="“-2+3+cmd|' /C calc'!A0” she said.")
        cite(make_quote(speaker=speaker, text="-2+3+cmd|' /C calc'!A0"), source)
        raw = client.get("/quotes/", {"format": "csv"}).getvalue()
        assert raw.startswith("\ufeff".encode())  # Excel needs it to read UTF-8
        frame = pandas.read_csv(io.BytesIO(raw), keep_default_na=False)
        row = frame.iloc[0]
        assert row["speaker_name"] == "何咏前"
        assert row["text"] == "'-2+3+cmd|' /C calc'!A0"  # never run as a formula
        sources = pandas.read_csv(
            io.BytesIO(client.get("/sources/", {"format": "csv"}).getvalue()), keep_default_na=False
        )
        assert sources.loc[0, "reference"] == "'001"  # text, not the number 1

    def test_the_passages_stand_beside_their_links(self, client):
        source = make_source(slug="wire", reference="007")
        quote = make_quote(text="somewhat deadlocked right now")
        citation = cite(quote, source)
        rows = list(
            csv.DictReader(
                io.StringIO(
                    client.get("/quotes/", {"format": "csv"}).getvalue().decode().lstrip("\ufeff")
                )
            )
        )
        assert rows[0]["citations"] == f"http://testserver/sources/wire/#cite-{citation.pk}"
        assert rows[0]["citation_passages"] == "“somewhat deadlocked right now” (007)"
        assert rows[0]["url"] == f"http://testserver/quotes/{quote.pk}/"
        assert Source.objects.count() == 1
