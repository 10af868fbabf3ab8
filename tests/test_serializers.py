"""The JSON and CSV shapes: every record carries its public url; citations carry source, url,
exact and verified; unknown values stay null; CSV rows are flat."""

import datetime
from decimal import Decimal

import pytest

from negotiations import serializers
from negotiations.evidence import Evidence
from negotiations.models import Claim, Quote, Source
from tests.factories import cite, make_claim, make_official, make_quote, make_source

pytestmark = pytest.mark.django_db


def test_a_citation_links_to_its_marked_passage_and_says_whether_it_is_verified():
    source = make_source(reference="007")
    citation = cite(make_quote(), source)
    data = serializers.citation_data(citation)
    assert data["url"] == f"/sources/{source.slug}/#cite-{citation.pk}"
    assert (data["source"], data["source_reference"], data["outlet"]) == (source.slug, "007", None)
    assert data["exact"] == source.body[data["start"] : data["end"]]
    assert data["verified"] is True


def test_a_quote_carries_its_speaker_partial_date_and_citations():
    speaker = make_official(slug="ann")
    quote = make_quote(speaker=speaker, said_on=datetime.date(2025, 5, 1), said_precision="month")
    cite(quote)
    quote = Quote.objects.for_display().get(pk=quote.pk)
    data = serializers.quote_data(quote)
    assert data["url"] == f"/quotes/{quote.pk}/"
    assert data["speaker"] == "ann"
    assert data["said"] == {"date": "2025-05-01", "precision": "month"}
    assert data["round"] is None and data["statement"] is None
    assert len(data["citations"]) == 1


def test_a_claim_value_is_its_number_and_its_status_is_derived():
    claim = make_claim(value=Decimal("30.5000"), unit="percent")
    cite(claim)
    data = serializers.claim_data(Claim.objects.for_display().get(pk=claim.pk))
    assert data["value"] == 30.5 and data["unit"] == "percent"
    assert data["value_qualifier"] == "exact"
    assert data["status"] == "single_source" and data["independent_sources"] == 1
    assert data["as_of"] == {"date": None, "precision": "unknown"}


def test_unknown_source_metadata_stays_null():
    source = make_source()
    data = serializers.source_data(Source.objects.for_display().get(pk=source.pk))
    assert data["url"] == f"/sources/{source.slug}/"
    assert data["original_url"] is None and data["author"] is None and data["outlet"] is None
    assert data["published"] == {"date": None, "precision": "unknown"}
    assert "body" not in data
    assert serializers.source_data(source, with_body=True)["body"] == source.body


def test_flatten_makes_one_csv_row():
    row = serializers.flatten(
        {
            "text": "words",
            "said": {"date": "2025-05-01", "precision": "month"},
            "issues": ["tariffs", "chips"],
            "citations": [{"url": "/sources/a/#cite-1"}, {"url": "/sources/b/#cite-2"}],
            "round": None,
        }
    )
    assert row == {
        "text": "words",
        "said": "2025-05-01",
        "said_precision": "month",
        "issues": "tariffs; chips",
        "citations": "/sources/a/#cite-1; /sources/b/#cite-2",
        # Always beside the citations, empty or not: a streamed CSV's columns are its first row's.
        "citation_passages": "",
        "round": "",
    }


@pytest.mark.parametrize(
    "value, number", [("30.0000", 30), ("295000000000.0000", 295000000000), ("0.5000", 0.5)]
)
def test_values_are_plain_numbers_in_json_and_csv(client, value, number):
    claim = make_claim(value=Decimal(value), unit="usd", value_qualifier="at_least")
    cite(claim)
    data = client.get(claim.get_absolute_url(), {"format": "json"}).json()
    assert data["value"] == number and isinstance(data["value"], type(number))
    assert data["value_qualifier"] == "at_least"
    csv_text = client.get("/claims/", {"format": "csv"}).getvalue().decode()
    assert f",{number}," in csv_text and "E+" not in csv_text


def test_a_pages_evidence_is_the_first_records_their_count_and_their_list():
    quote = make_quote()
    cite(quote)
    shown = Evidence(
        items=list(Quote.objects.for_display()), count=41, list_url="/quotes/?round=r", noun="quote"
    )
    data = serializers.evidence_data("quotes", shown, serializers.quote_data)
    assert data == {
        "quotes": [serializers.quote_data(Quote.objects.for_display().get())],
        "quote_count": 41,
        "quotes_url": "/quotes/?round=r",
    }
    none = Evidence(items=[], count=0, list_url=None, noun="source")
    assert serializers.evidence_data("sources", none, str) == {
        "sources": [],
        "source_count": 0,
        "sources_url": None,
    }
