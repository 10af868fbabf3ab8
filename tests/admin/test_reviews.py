"""Changes to published records are reviewed: an editor's edit (its form, its inline rows, a
restore from History) is kept as a pending change the public does not see, with its diff; a
reviewer approves (replayed through the admin form: one public version), rejects, or finds it
stale; a revert never changes the publication state; an editor cannot decide."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from negotiations.models import (
    AgendaItem,
    Citation,
    Claim,
    PendingChange,
    PublicationState,
    Quote,
    ReviewStatus,
    Statement,
)
from negotiations.revisions import public_versions
from negotiations.roles import EDITORS, REVIEWERS
from negotiations.services import publishing, reviews
from tests.factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_official,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)
from tests.helpers import admin_url, form_data, user_in

pytestmark = pytest.mark.django_db

OLD = "US tariffs on Chinese goods fell from 145% to 30%."
NEW = "US tariffs on Chinese goods fell from 145% to 30% for 90 days."


def change_url(change):
    return admin_url(PendingChange, "change", change.pk)


def published_claim():
    claim = make_claim(text=OLD)
    cite(claim)
    claim.refresh_from_db()
    assert claim.is_published
    return claim


def propose_text(client, record, text):
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url))
    data["text"] = text
    return client.post(url, data)


def revert(client, record, row):
    url = reverse(
        f"admin:negotiations_{record._meta.model_name}_simple_history", args=[record.pk, row.pk]
    )
    return client.post(url, form_data(client.get(url)))


def decide(client, change, button, note=""):
    return client.post(change_url(change), {button: "1", "decision_note": note}, follow=True)


@pytest.fixture
def reviewer(db):
    return user_in(REVIEWERS, "rita")


@pytest.fixture
def as_reviewer(client, reviewer):
    return lambda: client.force_login(reviewer)


def test_an_editors_change_to_a_published_claim_waits_and_the_public_sees_the_old(
    client, editor, as_reviewer
):
    claim = published_claim()
    versions = claim.history.count()
    client.force_login(editor)
    response = propose_text(client, claim, NEW)

    change = PendingChange.objects.get()
    assert response.status_code == 302 and response["Location"] == change_url(change)
    page = client.get(change_url(change))
    assert "Saved for review: the public keeps seeing the published version" in page.text
    assert "for 90 days" in page.text and "Approve" not in page.text
    claim.refresh_from_db()
    assert claim.text == OLD and claim.history.count() == versions  # nothing written
    assert (change.status, change.proposed_by, change.kind) == ("pending", editor, "edit")
    assert change.diff == [{"label": "Claim", "old": OLD, "new": NEW, "long": True}]

    client.logout()
    public = client.get(claim.get_absolute_url())
    assert OLD in public.text and NEW not in public.text
    listed = client.get("/claims/?format=json").json()["results"]
    assert [row["text"] for row in listed] == [OLD]

    client.force_login(editor)
    reopened = client.get(admin_url(Claim, "change", claim.pk))
    assert "waiting for review" in reopened.text and change_url(change) in reopened.text


def test_a_reviewer_approves_and_the_public_sees_one_new_version(client, editor, as_reviewer):
    claim = published_claim()
    public_before = public_versions(claim).count()
    client.force_login(editor)
    propose_text(client, claim, NEW)
    change = PendingChange.objects.get()

    as_reviewer()
    page = client.get(change_url(change))
    assert "Approve" in page.text and "<ins>for 90 days</ins>" in page.text
    response = decide(client, change, "_approve", "Checked against the source.")
    assert "Approved: the change is public now." in response.text
    claim.refresh_from_db()
    assert claim.text == NEW and claim.is_published
    change.refresh_from_db()
    assert change.status == ReviewStatus.APPROVED and change.decided_by.username == "rita"
    assert public_versions(claim).count() == public_before + 1
    latest = claim.history.order_by("-history_id").first()
    assert latest.history_change_reason == "Proposed by editor, approved by rita"

    client.logout()
    assert NEW in client.get(claim.get_absolute_url()).text
    versions = client.get(reverse("negotiations:claim-history", args=[claim.pk]))
    assert versions.status_code == 200 and str(claim.version) in versions.text


def test_a_rejected_change_changes_nothing(client, editor, as_reviewer):
    claim = published_claim()
    client.force_login(editor)
    propose_text(client, claim, NEW)
    change = PendingChange.objects.get()
    as_reviewer()
    response = decide(client, change, "_reject", "The source says no such thing.")
    assert "Rejected" in response.text
    claim.refresh_from_db()
    change.refresh_from_db()
    assert claim.text == OLD
    assert (change.status, change.decision_note) == ("rejected", "The source says no such thing.")
    # decided once: a second decision is refused with a message, not applied
    response = decide(client, change, "_approve")
    assert "already decided" in response.text
    claim.refresh_from_db()
    assert claim.text == OLD


def test_approving_a_change_to_a_record_changed_since_is_refused_as_stale(
    client, editor, as_reviewer
):
    claim = published_claim()
    client.force_login(editor)
    propose_text(client, claim, NEW)
    change = PendingChange.objects.get()
    as_reviewer()
    propose_text(client, claim, "A reviewer's own wording.")  # a reviewer's edit applies at once
    claim.refresh_from_db()
    assert claim.text == "A reviewer's own wording."

    response = decide(client, change, "_approve")
    assert "changed after this change was proposed" in response.text
    change.refresh_from_db()
    claim.refresh_from_db()
    assert change.status == ReviewStatus.STALE
    assert claim.text == "A reviewer's own wording."


def test_a_replay_that_breaks_a_rule_saves_nothing_and_says_why(client, editor, as_reviewer):
    claim = published_claim()
    change = reviews.propose(record=claim, data={"text": ""}, user=editor)
    as_reviewer()
    response = decide(client, change, "_approve")
    assert "Not applied" in response.text and "This field is required" in response.text
    claim.refresh_from_db()
    change.refresh_from_db()
    assert claim.text == OLD and change.status == ReviewStatus.PENDING


def test_an_editor_cannot_approve_or_reject_but_withdraws_their_own(client, editor):
    claim = published_claim()
    client.force_login(editor)
    propose_text(client, claim, NEW)
    change = PendingChange.objects.get()
    assert client.post(change_url(change), {"_approve": "1"}).status_code == 403
    assert client.post(change_url(change), {"_reject": "1"}).status_code == 403
    claim.refresh_from_db()
    assert claim.text == OLD

    client.force_login(user_in(EDITORS, "eve"))
    response = client.post(change_url(change), {"_withdraw": "1"}, follow=True)
    assert "Only the editor who proposed" in response.text
    client.force_login(editor)
    client.post(change_url(change), {"_withdraw": "1"})
    change.refresh_from_db()
    assert change.status == ReviewStatus.WITHDRAWN


def test_a_second_proposal_supersedes_the_editors_first(client, editor):
    claim = published_claim()
    client.force_login(editor)
    propose_text(client, claim, NEW)
    propose_text(client, claim, "Another wording.")
    statuses = list(PendingChange.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == ["superseded", "pending"]


def test_changes_to_review_are_listed_pending_first_with_a_count_on_the_index(client, editor):
    claim = published_claim()
    client.force_login(editor)
    propose_text(client, claim, NEW)
    first = PendingChange.objects.get()
    client.post(change_url(first), {"_withdraw": "1"})
    propose_text(client, claim, "Another wording.")
    assert "1 change waiting for review" in client.get(reverse("admin:index")).text
    listing = client.get(admin_url(PendingChange, "changelist")).context["cl"].result_list
    assert [c.status for c in listing] == ["pending", "withdrawn"]


def test_a_reviewers_own_edit_and_an_editors_edit_of_a_draft_apply_at_once(
    client, editor, as_reviewer
):
    claim = published_claim()
    as_reviewer()
    assert propose_text(client, claim, NEW).status_code == 302
    claim.refresh_from_db()
    assert claim.text == NEW

    draft = make_claim(text="A draft claim.")
    client.force_login(editor)
    propose_text(client, draft, "A draft claim, corrected.")
    draft.refresh_from_db()
    assert draft.text == "A draft claim, corrected." and not draft.is_published
    assert not PendingChange.objects.exists()


def test_an_editors_inline_citation_change_of_a_published_quote_waits(client, editor, as_reviewer):
    source = make_source()
    quote = make_quote(text="somewhat deadlocked right now")
    citation = cite(quote, source)
    client.force_login(editor)
    url = admin_url(Quote, "change", quote.pk)
    data = form_data(client.get(url))
    data["citations-0-note"] = "Said on Fox News."
    assert client.post(url, data).status_code == 302
    citation.refresh_from_db()
    assert citation.note == ""
    change = PendingChange.objects.get()
    assert {"label": f"Citation {citation.pk}: Note", "old": "", "new": "Said on Fox News."} == {
        k: v for k, v in change.diff[0].items() if k != "long"
    }

    as_reviewer()
    decide(client, change, "_approve")
    citation.refresh_from_db()
    assert citation.note == "Said on Fox News."


def test_an_editors_change_to_a_citation_of_a_published_claim_on_its_own_page_waits(client, editor):
    claim = published_claim()
    citation = claim.citations.get()
    client.force_login(editor)
    url = admin_url(Citation, "change", citation.pk)
    data = form_data(client.get(url))
    data["note"] = "Paragraph 3."
    assert client.post(url, data).status_code == 302
    citation.refresh_from_db()
    assert citation.note == ""
    change = PendingChange.objects.get()
    assert (change.model_name, change.reviewed_model) == ("citation", "claim")


def test_an_editors_revert_of_a_published_quote_waits_and_keeps_its_state(
    client, editor, as_reviewer
):
    quote = make_quote(text="somewhat deadlocked right now")
    cite(quote)
    first = quote.history.order_by("history_id").last()
    as_reviewer()
    propose_text(client, quote, "deadlocked")
    quote.refresh_from_db()
    assert quote.text == "deadlocked"

    client.force_login(editor)
    assert revert(client, quote, first).status_code == 302
    quote.refresh_from_db()
    assert quote.text == "deadlocked" and quote.is_published
    change = PendingChange.objects.get()
    assert change.kind == "revert" and change.diff[0]["new"] == "somewhat deadlocked right now"

    as_reviewer()
    decide(client, change, "_approve")
    quote.refresh_from_db()
    assert quote.text == "somewhat deadlocked right now" and quote.is_published


def test_an_editors_revert_of_an_unpublished_quote_to_a_published_version_stays_draft(
    client, editor
):
    """The escalation of issue 13: restoring a version whose row says "published"."""
    quote = make_quote(text="somewhat deadlocked right now")
    cite(quote)
    published_row = quote.history.order_by("history_id").last()
    assert published_row.state == PublicationState.PUBLISHED
    publishing.unpublish(records=[quote])
    client.force_login(editor)
    assert revert(client, quote, published_row).status_code == 302
    quote.refresh_from_db()
    assert quote.state == PublicationState.DRAFT  # applied (a draft), never published
    assert not PendingChange.objects.exists()
    client.logout()
    assert client.get(quote.get_absolute_url()).status_code == 404


def test_a_proposal_from_code_names_only_what_changes(client, editor, as_reviewer):
    """``services.reviews.propose`` for other paths (putting a published quote into a
    statement): the rest of the form is the record's own when approved."""
    speaker = make_official()
    quote = make_quote(speaker=speaker, text="somewhat deadlocked right now")
    cite(quote)
    statement = Statement.objects.create(summary="Talks stalled", slug="stalled", speaker=speaker)
    change = reviews.propose(record=quote, data={"statement": statement.pk}, user=editor)
    assert change.diff[0]["label"] == "Statement" and change.diff[0]["new"] == str(statement)
    quote.refresh_from_db()
    assert quote.statement is None
    as_reviewer()
    decide(client, change, "_approve")
    quote.refresh_from_db()
    assert quote.statement == statement and quote.text == "somewhat deadlocked right now"
    assert quote.citations.count() == 1
    assert User.objects.filter(username="editor").exists()


def test_an_editors_new_citation_of_a_published_claim_on_its_own_page_waits(
    client, editor, as_reviewer
):
    claim = published_claim()
    second = make_source(body=f"Officials confirmed it: {OLD}")
    client.force_login(editor)
    data = {
        "source": second.pk,
        "claim": claim.pk,
        "stance": "supports",
        "exact": OLD,
        "prefix": "",
        "suffix": "",
        "note": "",
    }
    response = client.post(admin_url(Citation, "add"), data)
    change = PendingChange.objects.get()
    assert response["Location"] == change_url(change)
    assert claim.citations.count() == 1
    assert (change.kind, change.object_id, change.reviewed_model) == ("addition", None, "claim")

    as_reviewer()
    assert "Approved" in decide(client, change, "_approve").text
    added = claim.citations.get(source=second)
    change.refresh_from_db()
    assert change.object_id == added.pk and added.is_anchored


class TestDeletingARowOfAPublishedRecord:
    """A citation or agenda item deleted on its own page changes its published record's page:
    an editor is shown it as protected there (single and bulk delete), a reviewer deletes it."""

    def published_claim_with_two_citations(self):
        claim = published_claim()
        extra = cite(claim, make_source(body="A second report: Tariffs fell from 145% to 30%."))
        return claim, extra

    def test_an_editor_cannot_delete_a_citation_of_a_published_claim(self, editor_client):
        claim, extra = self.published_claim_with_two_citations()
        url = admin_url(Citation, "delete", extra.pk)
        page = editor_client.get(url)
        assert page.status_code == 200
        assert "is published: removing this from it waits for a reviewer" in page.text
        editor_client.post(url, {"post": "yes"})
        assert Citation.objects.filter(pk=extra.pk).exists()

    def test_nor_in_bulk(self, editor_client):
        claim, extra = self.published_claim_with_two_citations()
        editor_client.post(
            admin_url(Citation, "changelist"),
            {"action": "delete_selected", "_selected_action": [extra.pk], "post": "yes"},
        )
        assert claim.citations.count() == 2

    def test_a_reviewer_can(self, reviewer_client):
        claim, extra = self.published_claim_with_two_citations()
        reviewer_client.post(admin_url(Citation, "delete", extra.pk), {"post": "yes"})
        assert not Citation.objects.filter(pk=extra.pk).exists()
        assert claim.citations.count() == 1

    def test_a_citation_of_a_draft_is_deleted_by_an_editor(self, editor_client):
        claim = make_claim(text=OLD, state=PublicationState.DRAFT)
        citation = cite(claim)
        editor_client.post(admin_url(Citation, "delete", citation.pk), {"post": "yes"})
        assert not Citation.objects.filter(pk=citation.pk).exists()

    def test_an_editor_cannot_delete_an_agenda_item_of_a_published_round(self, editor_client):
        round_ = make_round()  # published
        item = make_agenda_item(round_, make_sticking_point())
        url = admin_url(AgendaItem, "delete", item.pk)
        page = editor_client.get(url)
        assert page.status_code == 200
        assert f"round “{round_}” is published: removing this from it waits" in page.text
        editor_client.post(url, {"post": "yes"})
        assert AgendaItem.objects.filter(pk=item.pk).exists()
