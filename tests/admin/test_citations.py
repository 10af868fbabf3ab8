"""Citations in the admin: a pasted passage is anchored, refused when not in the source, and names one record."""

import pytest

from negotiations.models import Citation, Quote
from tests.factories import make_official, make_source
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
