"""Citations in the admin: a pasted passage is anchored, refused when not in the source, and names one record."""

import re

import pytest

from negotiations.models import Citation, Quote
from tests.factories import make_official, make_quote, make_source
from tests.helpers import admin_url, quote_form

pytestmark = pytest.mark.django_db


def test_an_editor_adds_a_quote_with_a_pasted_passage(editor_client):
    speaker, source = make_official(), make_source()
    response = editor_client.post(
        admin_url(Quote, "add"), quote_form(speaker, source, "somewhat deadlocked   right now")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    citation = Citation.objects.get()
    assert (
        source.body[citation.start : citation.end]
        == citation.exact
        == "somewhat deadlocked right now"
    )
    assert citation.quote.speaker == speaker


def test_a_passage_not_in_the_source_is_refused_and_the_form_kept(editor_client):
    speaker, source = make_official(), make_source()
    response = editor_client.post(
        admin_url(Quote, "add"), quote_form(speaker, source, "talks are hopelessly deadlocked")
    )
    assert response.status_code == 200
    assert "does not appear in the source" in response.text
    assert "talks are hopelessly deadlocked" in response.text
    assert not Quote.objects.exists() and not Citation.objects.exists()


def test_a_standalone_citation_must_name_one_record(editor_client):
    source = make_source()
    response = editor_client.post(
        admin_url(Citation, "add"), {"source": source.pk, "stance": "supports", "exact": "Geneva"}
    )
    assert response.status_code == 200
    assert "Choose exactly one record" in response.text
    assert not Citation.objects.exists()


def citation_rows(html):
    """Each citation row of a quote's form (a stacked inline), as its HTML."""
    return re.findall(
        r'<div class="inline-related[^"]*" id="citations-\d+">.*?</fieldset>', html, re.S
    )


def read_only(row, label):
    found = re.search(rf"<label>{label}:</label>\s*<div class=\"readonly\">(.*?)</div>", row, re.S)
    return found and found.group(1).strip()


def test_a_refused_citation_row_claims_no_anchor(editor_client):
    """The row's read-only anchor status came from the unsaved instance: "Anchored"."""
    speaker, source = make_official(), make_source()
    response = editor_client.post(
        admin_url(Quote, "add"), quote_form(speaker, source, "talks are hopelessly deadlocked")
    )
    [row] = citation_rows(response.text)
    assert "does not appear in the source" in row
    assert "Anchored" not in row
    assert read_only(row, "Anchor status") == "Not saved yet"


def test_a_saved_citation_row_shows_its_stored_anchor_status(editor_client):
    speaker, source = make_official(), make_source()
    editor_client.post(
        admin_url(Quote, "add"), quote_form(speaker, source, "somewhat deadlocked right now")
    )
    quote = Quote.objects.get()
    [row] = citation_rows(editor_client.get(admin_url(Quote, "change", quote.pk)).text)
    assert read_only(row, "Anchor status") == "Anchored"


def test_a_refused_citation_on_its_own_page_claims_no_anchor(editor_client):
    quote = make_quote()
    source = make_source()
    response = editor_client.post(
        admin_url(Citation, "add"),
        {"source": source.pk, "stance": "supports", "exact": "not there at all", "quote": quote.pk},
    )
    assert "does not appear in the source" in response.text
    assert read_only(response.text, "Anchor status") == "Not saved yet"
