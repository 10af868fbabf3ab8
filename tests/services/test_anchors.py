"""Re-anchoring: after a source's text is edited, a passage moves with it or is marked broken."""

import pytest
from django.urls import reverse

from negotiations.models import AnchorStatus
from tests.factories import cite, make_quote, make_source

pytestmark = pytest.mark.django_db


def edit_body(client, source, body):
    """Save a source's new text through the admin, as an editor would."""
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
    def test_an_edit_before_the_passage_moves_the_anchor(self, editor_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        response = edit_body(editor_client, source, "UPDATED 30 May. " + BODY)
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.ANCHORED
        assert citation.start == len("UPDATED 30 May. ") + BODY.index("a bit stalled")
        assert "1 found again at new places" in response.text

    def test_an_edit_after_the_passage_keeps_it_in_place(self, editor_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        before = (citation.start, citation.end)
        edit_body(editor_client, source, BODY + " A correction was appended.")
        citation.refresh_from_db()
        assert (citation.start, citation.end) == before
        assert citation.is_anchored

    def test_an_edit_that_destroys_the_passage_marks_it_broken_and_keeps_it(
        self, editor_client, client
    ):
        source = make_source(body=BODY)
        quote = make_quote(text="a bit stalled")
        citation = cite(quote, source)
        response = edit_body(editor_client, source, BODY.replace("a bit stalled", "stuck"))
        citation.refresh_from_db()
        assert citation.anchor_status == AnchorStatus.BROKEN
        assert citation.exact == "a bit stalled"  # kept as it was, never silently moved
        assert f"Citation {citation.pk} of" in response.text and "is broken" in response.text
        quote.refresh_from_db()
        assert quote.verification == "unverified"
        integrity = client.get("/integrity/").text
        assert "a bit stalled" in integrity and quote.get_absolute_url() in integrity
        admin_list = editor_client.get(
            reverse("admin:negotiations_citation_changelist"), {"anchor_status__exact": "broken"}
        )
        assert admin_list.context["cl"].result_count == 1

    def test_repairing_a_broken_citation_anchors_it_again(self, editor_client):
        source = make_source(body=BODY)
        citation = cite(make_quote(text="a bit stalled"), source)
        edit_body(editor_client, source, BODY.replace("a bit stalled", "a little stalled"))
        citation.refresh_from_db()
        citation.exact = "a little stalled"
        citation.full_clean()
        citation.save()
        assert citation.anchor_status == AnchorStatus.ANCHORED


def test_an_edit_just_after_a_passage_refreshes_its_context(editor_client):
    source = make_source(body=BODY)
    citation = cite(make_quote(text="a bit stalled"), source)
    start = citation.start
    edited = BODY.replace("he told Fox News", "he told Fox Business")
    edit_body(editor_client, source, edited)
    citation.refresh_from_db()
    assert citation.start == start  # the passage did not move
    assert citation.suffix == edited[citation.end : citation.end + len(citation.suffix)]
    assert "Fox Business" in citation.suffix
