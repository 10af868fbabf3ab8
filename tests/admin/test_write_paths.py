"""The judgements built on the evidence stay right on every write path the admin offers, each
reproducing a case that went wrong before: History revert, bulk delete, inline delete, a
self-derivation, publishing under a draft speaker, unpublishing the only cited source, and a
broken citation blocking the edit of its quote."""

import pytest
from django.test import Client
from django.urls import reverse

from negotiations.models import AnchorStatus, Citation, Claim, Quote, Source
from tests.factories import cite, make_claim, make_official, make_quote, make_source
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

BODY = "Bessent said talks were “a bit stalled,” he told Fox News. Xi did not reply."


def revert(client, record, version):
    url = reverse(
        f"admin:negotiations_{record._meta.model_name}_simple_history", args=[record.pk, version.pk]
    )
    return client.post(url, form_data(client.get(url)), follow=True)


def test_restoring_a_sources_text_from_history_re_anchors_its_citations(reviewer_client):
    source = make_source(body=BODY)
    citation = cite(make_quote(text="a bit stalled"), source)
    original = source.history.order_by("history_date").last()
    page = reviewer_client.get(admin_url(Source, "change", source.pk))
    data = form_data(page)
    data["body"] = "UPDATED 30 May. " + BODY
    reviewer_client.post(admin_url(Source, "change", source.pk), data)
    citation.refresh_from_db()
    assert citation.start == len("UPDATED 30 May. ") + BODY.index("a bit stalled")

    revert(reviewer_client, source, original)  # the old text, restored
    source.refresh_from_db()
    citation.refresh_from_db()
    assert source.body == BODY
    assert source.body[citation.start : citation.end] == citation.exact == "a bit stalled"
    assert citation.anchor_status == AnchorStatus.ANCHORED


def test_restoring_a_text_that_lacks_a_published_quotes_passage_is_refused(reviewer_client):
    source = make_source(body="An early draft of the article, without the remark.")
    draft_text = source.history.order_by("history_date").last()
    source.body = BODY
    source.save()
    quote = make_quote(text="a bit stalled")
    cite(quote, source)
    response = revert(reviewer_client, source, draft_text)
    assert "removes the passages that these published records rest on" in response.text
    source.refresh_from_db()
    assert source.body == BODY


def test_restoring_a_quotes_text_from_history_derives_its_verdict_again(reviewer_client):
    source = make_source(body=BODY)
    quote = make_quote(text="a bit stalled")
    cite(quote, source)
    quote.refresh_from_db()
    assert quote.verification == "verbatim"
    first = quote.history.order_by("history_date").first()
    page = reviewer_client.get(admin_url(Quote, "change", quote.pk))
    data = form_data(page)
    data["text"] = "the talks are over"
    reviewer_client.post(admin_url(Quote, "change", quote.pk), data)
    quote.refresh_from_db()
    assert quote.verification == "unverified"
    revert(reviewer_client, quote, first)
    quote.refresh_from_db()
    assert quote.text == "a bit stalled" and quote.verification == "verbatim"


def test_bulk_deleting_the_citations_a_published_quote_rests_on_is_refused(editor_client):
    quote = make_quote(text="a bit stalled")
    citation = cite(quote, make_source(body=BODY))
    response = editor_client.post(
        admin_url(Citation, "changelist"),
        {"action": "delete_selected", "_selected_action": [citation.pk]},
    )
    assert "a reviewer must unpublish it first" in response.text
    response = editor_client.post(
        admin_url(Citation, "changelist"),
        {"action": "delete_selected", "_selected_action": [citation.pk], "post": "yes"},
    )
    assert Citation.objects.filter(pk=citation.pk).exists()
    quote.refresh_from_db()
    assert quote.is_published and quote.verification == "verbatim"


def test_bulk_deleting_one_of_two_citations_is_allowed_and_the_verdict_follows(reviewer_client):
    # A reviewer's: an editor's delete of a published record's citation waits for review
    # (tests/admin/test_reviews.py).
    quote = make_quote(text="a bit stalled")
    kept = cite(quote, make_source(body="“a bit stalled,” said Bessent."))
    gone = cite(quote, make_source(body="Bessent said the talks were a bit stalled."))
    reviewer_client.post(
        admin_url(Citation, "changelist"),
        {"action": "delete_selected", "_selected_action": [kept.pk], "post": "yes"},
    )
    assert not Citation.objects.filter(pk=kept.pk).exists()
    quote.refresh_from_db()
    # Only narration is left: the words are no longer printed as Bessent's quotation.
    assert Citation.objects.filter(pk=gone.pk).exists() and quote.verification == "unverified"


def test_deleting_the_last_citation_of_a_published_claim_inline_is_refused(editor_client):
    claim = make_claim()
    cite(claim)
    page = editor_client.get(admin_url(Claim, "change", claim.pk))
    data = form_data(page)
    data["citations-0-DELETE"] = "on"
    response = editor_client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 200
    assert "must rest on at least one anchored passage of a published source" in response.text
    assert claim.citations.count() == 1
    claim.refresh_from_db()
    assert claim.status == "single_source"


def test_a_source_cannot_be_made_to_derive_from_itself_in_the_form(editor_client):
    source, other = make_source(), make_source()
    other.derived_from.add(source)
    data = form_data(editor_client.get(admin_url(Source, "change", source.pk)))
    for parents, message in (([source.pk], "derived from itself"), ([other.pk], "already derives")):
        data["derived_from"] = [str(p) for p in parents]
        response = editor_client.post(admin_url(Source, "change", source.pk), data)
        assert response.status_code == 200 and message in response.text
        assert not source.derived_from.exists()


def test_a_quote_under_a_draft_speaker_is_not_published(reviewer_client):
    speaker = make_official(state="draft", name="Unpublished Person")
    quote = make_quote(speaker=speaker, state="draft")
    cite(quote)
    response = reviewer_client.post(
        admin_url(Quote, "changelist"),
        {"action": "publish_selected", "_selected_action": [quote.pk]},
        follow=True,
    )
    assert "publish the official first" in response.text
    quote.refresh_from_db()
    assert not quote.is_published


def test_unpublishing_the_only_cited_source_takes_its_records_out_of_view(reviewer_client):
    source = make_source(body=BODY)
    quote = make_quote(text="a bit stalled")
    cite(quote, source)
    claim = make_claim(text="Talks stalled")
    cite(claim, source, passage="a bit stalled")
    response = reviewer_client.post(
        admin_url(Source, "changelist"),
        {"action": "unpublish_selected", "_selected_action": [source.pk]},
        follow=True,
    )
    assert "Also taken out of public view, because they rested on them" in response.text
    assert "a bit stalled" in response.text and "Talks stalled" in response.text
    quote.refresh_from_db()
    claim.refresh_from_db()
    assert not quote.is_published and not claim.is_published
    assert claim.status == "unsupported" and quote.verification == "unverified"
    assert Client().get(quote.get_absolute_url()).status_code == 404  # to the public


def test_unpublishing_an_official_takes_their_quotes_with_them(reviewer_client):
    speaker = make_official()
    quote = make_quote(speaker=speaker)
    cite(quote)
    reviewer_client.post(
        admin_url(speaker.__class__, "changelist"),
        {"action": "unpublish_selected", "_selected_action": [speaker.pk]},
    )
    quote.refresh_from_db()
    assert not quote.is_published


def test_a_broken_citation_does_not_block_editing_its_quote(editor_client):
    source = make_source(body=BODY)
    quote = make_quote(text="a bit stalled", state="draft")
    citation = cite(quote, source)
    Citation.objects.filter(pk=citation.pk).update(anchor_status="broken", start=0, end=4)
    page = editor_client.get(admin_url(Quote, "change", quote.pk))
    data = form_data(page)
    data["setting"] = "Fox News interview"
    response = editor_client.post(admin_url(Quote, "change", quote.pk), data)
    assert response.status_code == 302, response.text[:2000]
    quote.refresh_from_db()
    assert quote.setting == "Fox News interview"
    citation.refresh_from_db()
    assert citation.anchor_status == AnchorStatus.BROKEN  # kept, for the editor to repair
