"""Re-anchoring: after a source's text is edited (through the admin here), a passage moves with
it, goes to review when found only approximately, or is marked broken; an edit that would leave
a published record resting on nothing is refused."""

import pytest
from django.urls import reverse

from negotiations.models import AnchorStatus, Source
from negotiations.services import anchors as services_anchors
from tests.factories import cite, make_quote, make_source
from tests.helpers import form_data

pytestmark = pytest.mark.django_db


def edit_body(client, source, body):
    """Save a source's new text through the admin, as a reviewer would (the sources here are
    published: an editor's change to one waits for review, tests/admin/test_reviews.py)."""
    data = {
        "title": source.title,
        "slug": source.slug,
        "kind": source.kind,
        "language": source.language,
        "published_precision": source.published_precision,
        "body": body,
        "reliability": source.reliability,
        "state": source.state,
    }
    url = reverse("admin:negotiations_source_change", args=[source.pk])
    return client.post(url, data, follow=True)


BODY = "Bessent said talks were “a bit stalled,” he told Fox News. Xi did not reply."


class TestReanchoring:
    def test_an_edit_before_the_passage_moves_the_anchor(self, reviewer_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        response = edit_body(reviewer_client, source, "UPDATED 30 May. " + BODY)
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.ANCHORED
        assert citation.start == len("UPDATED 30 May. ") + BODY.index("a bit stalled")
        assert "1 found again at new places" in response.text

    def test_an_edit_after_the_passage_keeps_it_in_place(self, reviewer_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        before = (citation.start, citation.end)
        edit_body(reviewer_client, source, BODY + " A correction was appended.")
        citation.refresh_from_db()
        assert (citation.start, citation.end) == before
        assert citation.is_anchored

    def test_an_edit_that_destroys_the_passage_marks_it_broken_and_keeps_it(
        self, reviewer_client, client
    ):
        source = make_source(body=BODY)
        quote = make_quote(text="a bit stalled", state="draft")
        citation = cite(quote, source)
        quote.refresh_from_db()
        assert quote.verification == "verbatim"
        response = edit_body(reviewer_client, source, BODY.replace("a bit stalled", "stuck"))
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.BROKEN
        assert citation.exact == "a bit stalled"  # kept as it was, never silently moved
        assert f"Citation {citation.pk} of" in response.text and "is broken" in response.text
        quote.refresh_from_db()
        assert quote.verification == "unverified"
        admin_list = reviewer_client.get(
            reverse("admin:negotiations_citation_changelist"), {"anchor_status__exact": "broken"}
        )
        assert admin_list.context["cl"].result_count == 1

    def test_a_broken_passage_of_a_published_quote_is_listed_on_the_integrity_page(self, client):
        quote = make_quote(text="a bit stalled")
        cite(quote, make_source(body=BODY))  # published, resting on this citation
        broken = cite(quote, make_source(body=BODY))  # and on this one, soon broken
        Source.objects.filter(pk=broken.source_id).update(body="Rewritten entirely.")
        services_anchors.reanchor_source(source=Source.objects.get(pk=broken.source_id))
        integrity = client.get("/integrity/").text
        assert "a bit stalled" in integrity and quote.get_absolute_url() in integrity

    def test_an_edit_that_removes_the_passage_a_published_quote_rests_on_is_refused(
        self, reviewer_client
    ):
        source = make_source(body=BODY)
        quote = make_quote(text="a bit stalled")
        citation = cite(quote, source)
        response = edit_body(reviewer_client, source, BODY.replace("a bit stalled", "stuck"))
        assert response.status_code == 200  # the form again, with the reason
        assert "removes the passages that these published records rest on" in response.text
        assert "a bit stalled" in Source.objects.get(pk=source.pk).body  # nothing saved
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.ANCHORED

    def test_a_reworded_passage_goes_to_review_and_the_editor_accepts_the_words_found(
        self, reviewer_client
    ):
        source = make_source(body=BODY)
        quote = make_quote(text="a bit stalled", state="draft")
        citation = cite(quote, source)
        response = edit_body(
            reviewer_client, source, BODY.replace("a bit stalled", "a bit stalling")
        )
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.REVIEW
        assert citation.exact == "a bit stalled"  # the cited words, until the editor decides
        assert "needs review" in response.text and "a bit stalling" in response.text
        quote.refresh_from_db()
        assert quote.verification == "unverified"  # a passage under review supports nothing
        page = reviewer_client.get(
            reverse("admin:negotiations_citation_change", args=[citation.pk])
        )
        assert "As cited:" in page.text and "Found now:" in page.text
        data = form_data(page)
        data["_accept_found"] = "1"
        reviewer_client.post(
            reverse("admin:negotiations_citation_change", args=[citation.pk]), data
        )
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.ANCHORED
        assert citation.exact == "a bit stalling"
        quote.refresh_from_db()
        assert quote.verification == "unverified"  # the quote's words are no longer printed

    def test_the_editor_can_say_the_words_found_are_not_the_passage(self, reviewer_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled", state="draft"), source)
        edit_body(reviewer_client, source, BODY.replace("a bit stalled", "a bit stalling"))
        reviewer_client.post(
            reverse("admin:negotiations_citation_changelist"),
            {"action": "mark_broken", "_selected_action": [citation.pk]},
        )
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.BROKEN

    def test_repairing_a_broken_citation_anchors_it_again(self, reviewer_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled", state="draft"), source)
        edit_body(reviewer_client, source, BODY.replace("a bit stalled", "quite stuck"))
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.BROKEN
        citation.exact = "quite stuck"
        citation.full_clean()
        citation.save()
        assert citation.anchor_status == AnchorStatus.ANCHORED


def test_an_edit_just_after_a_passage_refreshes_its_context(reviewer_client):
    source = make_source(body=BODY)
    citation = cite(make_quote(text="a bit stalled"), source)
    start = citation.start
    edited = BODY.replace("he told Fox News", "he told Fox Business")
    edit_body(reviewer_client, source, edited)
    citation.refresh_from_db()
    assert citation.start == start  # the passage did not move
    assert citation.suffix == edited[citation.end : citation.end + len(citation.suffix)]
    assert "Fox Business" in citation.suffix
