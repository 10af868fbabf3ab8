"""Publishing: drafts until a reviewer publishes, and only on anchored citations of a published source."""

import pytest

from negotiations.models import (
    Citation,
    Claim,
    PublicationState,
    Quote,
    Round,
    Source,
)
from tests.factories import (
    cite,
    make_claim,
    make_quote,
    make_round,
    make_source,
)
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


class TestDraftsAndPublishing:
    def test_a_new_record_starts_as_a_draft_whatever_is_posted(self, editor_client):
        editor_client.post(
            admin_url(Round, "add"),
            {
                "title": "Madrid talks",
                "slug": "madrid-talks",
                "kind": "talks",
                "start_precision": "unknown",
                "end_precision": "unknown",
                "state": "published",
                "participants-TOTAL_FORMS": "0",
                "participants-INITIAL_FORMS": "0",
                "agenda_items-TOTAL_FORMS": "0",
                "agenda_items-INITIAL_FORMS": "0",
            },
        )
        assert Round.objects.get(slug="madrid-talks").state == PublicationState.DRAFT

    def test_a_reviewer_publishes_in_bulk(self, reviewer_client):
        source = make_source(state="draft")
        rounds = [make_round(state="draft") for _ in range(3)]
        response = reviewer_client.post(
            admin_url(Round, "changelist"),
            {"action": "publish_selected", "_selected_action": [r.pk for r in rounds]},
            follow=True,
        )
        assert "Published 3." in response.text
        assert set(Round.objects.values_list("state", flat=True)) == {"published"}
        source.refresh_from_db()
        assert source.state == "draft"  # publishing rounds publishes nothing else

    def test_publishing_a_quote_needs_anchored_citations_of_a_published_source(
        self, reviewer_client
    ):
        draft_source = make_source(state="draft")
        quote = make_quote(state="draft")
        cite(quote, draft_source)
        uncited = make_quote(state="draft", text="never cited")
        response = reviewer_client.post(
            admin_url(Quote, "changelist"),
            {"action": "publish_selected", "_selected_action": [quote.pk, uncited.pk]},
            follow=True,
        )
        assert "publish a source first" in response.text
        assert "It cites no source" in response.text
        assert not Quote.objects.published().exists()

        Source.objects.filter(pk=draft_source.pk).update(state="published", body="Rewritten.")
        Citation.objects.filter(quote=quote).update(anchor_status="broken")
        response = reviewer_client.post(
            admin_url(Quote, "changelist"),
            {"action": "publish_selected", "_selected_action": [quote.pk]},
            follow=True,
        )
        assert "not anchored" in response.text
        assert not Quote.objects.published().exists()

    def test_a_claim_with_good_citations_is_published_and_can_be_unpublished(self, reviewer_client):
        claim = make_claim(state="draft")
        cite(claim, make_source())
        reviewer_client.post(
            admin_url(Claim, "changelist"),
            {"action": "publish_selected", "_selected_action": [claim.pk]},
        )
        claim.refresh_from_db()
        assert claim.is_published
        reviewer_client.post(
            admin_url(Claim, "changelist"),
            {"action": "unpublish_selected", "_selected_action": [claim.pk]},
        )
        claim.refresh_from_db()
        assert not claim.is_published
        assert claim.history.filter(state="published").exists()

    def test_staff_preview_a_draft_with_a_banner_and_the_public_gets_404(self, client, editor):
        round_ = make_round(state="draft", title="Secret Madrid round")
        assert client.get(round_.get_absolute_url()).status_code == 404
        assert "Secret Madrid round" not in client.get("/rounds/").text
        assert client.get("/rounds/", {"format": "json"}).json()["count"] == 0
        client.force_login(editor)
        preview = client.get(round_.get_absolute_url())
        assert preview.status_code == 200
        assert "Draft preview." in preview.text
        assert "Secret Madrid round" not in client.get("/rounds/").text  # lists stay public
