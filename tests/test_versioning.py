"""Stale saves: a form opened before a colleague saved is refused, and nothing typed is lost."""

import pytest
from django.db.models import F

from negotiations.models import (
    AgendaItem,
    PublicationState,
    Quote,
    Round,
)
from negotiations.roles import EDITORS
from tests.factories import (
    cite,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)
from tests.helpers import admin_url, form_data, user_in

pytestmark = pytest.mark.django_db


def draft_round(**fields):
    """A round editors change directly (their changes to a published one wait for a reviewer:
    tests/admin/test_reviews.py)."""
    return make_round(state=PublicationState.DRAFT, **fields)


class TestStaleSaves:
    def test_the_second_save_of_a_stale_form_is_refused_and_keeps_the_input(self, client, editor):
        round_ = draft_round(summary="Original.", outcome="Unknown.")
        colleague = user_in(EDITORS, "colleague")
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Round, "change", round_.pk)))
        client.force_login(colleague)
        theirs = form_data(client.get(admin_url(Round, "change", round_.pk)))
        theirs["summary"] = "The colleague's summary."
        assert client.post(admin_url(Round, "change", round_.pk), theirs).status_code == 302

        client.force_login(editor)
        mine["outcome"] = "My careful outcome."
        response = client.post(admin_url(Round, "change", round_.pk), mine)
        assert response.status_code == 200
        assert "colleague saved a newer version of this round" in response.text
        assert "Their changes to Summary are now in the form too." in response.text
        assert "My careful outcome." in response.text
        round_.refresh_from_db()
        assert (round_.summary, round_.outcome) == ("The colleague's summary.", "Unknown.")

        # Saving again replaces only what this editor changed: both changes survive.
        response = client.post(admin_url(Round, "change", round_.pk), form_data(response))
        assert response.status_code == 302
        round_.refresh_from_db()
        assert (round_.summary, round_.outcome) == (
            "The colleague's summary.",
            "My careful outcome.",
        )

    def test_when_both_change_one_field_the_form_keeps_mine_and_says_so(self, client, editor):
        round_ = draft_round(summary="Original.")
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Round, "change", round_.pk)))
        Round.objects.filter(pk=round_.pk).update(summary="Theirs.", version=F("version") + 1)
        Round.objects.get(pk=round_.pk).save()
        mine["summary"] = "Mine."
        response = client.post(admin_url(Round, "change", round_.pk), mine)
        assert "You both changed Summary" in response.text
        assert form_data(response)["summary"] == "Mine."

    def test_an_inline_edit_makes_other_open_forms_stale(self, client, editor):
        round_ = draft_round()
        AgendaItem.objects.create(
            round=round_, sticking_point=make_sticking_point(), status="raised"
        )
        colleague = user_in(EDITORS, "colleague")
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Round, "change", round_.pk)))
        client.force_login(colleague)
        theirs = form_data(client.get(admin_url(Round, "change", round_.pk)))
        theirs["agenda_items-0-note"] = "Discussed at length."
        assert client.post(admin_url(Round, "change", round_.pk), theirs).status_code == 302

        client.force_login(editor)
        mine["agenda_items-0-status"] = "resolved"
        response = client.post(admin_url(Round, "change", round_.pk), mine)
        assert "saved a newer version" in response.text
        item = AgendaItem.objects.get(round=round_)
        assert (item.note, item.status) == ("Discussed at length.", "raised")
        response = client.post(admin_url(Round, "change", round_.pk), form_data(response))
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.note, item.status) == ("Discussed at length.", "resolved")

    def test_a_row_changed_on_its_own_page_is_not_overwritten_by_a_stale_parent_form(
        self, client, editor
    ):
        round_ = draft_round()
        item = AgendaItem.objects.create(
            round=round_, sticking_point=make_sticking_point(), status="raised"
        )
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Round, "change", round_.pk)))
        client.force_login(user_in(EDITORS, "colleague"))
        on_its_page = form_data(client.get(admin_url(AgendaItem, "change", item.pk)))
        on_its_page["note"] = "Changed on the agenda item's own page."
        assert client.post(admin_url(AgendaItem, "change", item.pk), on_its_page).status_code == 302

        client.force_login(editor)
        mine["summary"] = "A new summary."
        response = client.post(admin_url(Round, "change", round_.pk), mine)
        assert response.status_code == 200
        assert "colleague saved a newer version of this agenda item" in response.text
        item.refresh_from_db()
        assert item.note == "Changed on the agenda item's own page."

    def test_saving_a_record_leaves_its_untouched_inline_rows_alone(self, seeded, editor_client):
        round_ = Round.objects.get(slug="stockholm-talks-2025-07")
        versions = dict(AgendaItem.objects.filter(round=round_).values_list("pk", "version"))
        data = form_data(editor_client.get(admin_url(Round, "change", round_.pk)))
        data["summary"] = "A corrected summary."
        assert editor_client.post(admin_url(Round, "change", round_.pk), data).status_code == 302
        assert (
            dict(AgendaItem.objects.filter(round=round_).values_list("pk", "version")) == versions
        )

    def test_a_stale_quote_with_inline_citations_is_refused(self, client, editor):
        quote = make_quote(text="somewhat deadlocked right now")
        cite(quote, make_source())
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Quote, "change", quote.pk)))
        Quote.objects.get(pk=quote.pk).save()  # someone else saves meanwhile
        mine["setting"] = "Fox News interview"
        response = client.post(admin_url(Quote, "change", quote.pk), mine)
        assert "saved a newer version of this quote" in response.text
        quote.refresh_from_db()
        assert quote.setting == ""


class TestRowsDeletedMeanwhile:
    """A colleague deletes an inline row while an editor edits it: the editor's save is refused,
    and what they typed in that row stays in the form, as a new row (issue 13, 6h)."""

    def open_then_delete(self, client, editor, *, on_its_own_page):
        round_ = draft_round()
        item = AgendaItem.objects.create(
            round=round_, sticking_point=make_sticking_point(), status="raised", note="Old."
        )
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Round, "change", round_.pk)))
        client.force_login(user_in(EDITORS, "colleague"))
        if on_its_own_page:
            client.post(admin_url(AgendaItem, "delete", item.pk), {"post": "yes"})
        else:
            theirs = form_data(client.get(admin_url(Round, "change", round_.pk)))
            theirs["agenda_items-0-DELETE"] = "on"
            assert client.post(admin_url(Round, "change", round_.pk), theirs).status_code == 302
        assert not AgendaItem.objects.exists()
        client.force_login(editor)
        return round_, item, mine

    @pytest.mark.parametrize("on_its_own_page", [False, True], ids=["in-the-form", "own-page"])
    def test_the_refusal_keeps_what_was_typed_in_the_deleted_row(
        self, client, editor, on_its_own_page
    ):
        round_, item, mine = self.open_then_delete(client, editor, on_its_own_page=on_its_own_page)
        mine["agenda_items-0-note"] = "My careful note on the talks."
        mine["agenda_items-0-status"] = "progress"
        response = client.post(admin_url(Round, "change", round_.pk), mine)
        assert response.status_code == 200
        assert "deleted" in response.text and "colleague" in response.text
        assert "My careful note on the talks." in response.text
        assert not AgendaItem.objects.exists()  # nothing saved

        # The row is offered again as a new one, with the editor's values: saving brings it back.
        again = form_data(response)
        assert again["agenda_items-INITIAL_FORMS"] == "0"
        assert again["agenda_items-0-note"] == "My careful note on the talks."
        response = client.post(admin_url(Round, "change", round_.pk), again)
        assert response.status_code == 302, response.text
        restored = AgendaItem.objects.get(round=round_)
        assert (restored.note, restored.status, restored.sticking_point_id) == (
            "My careful note on the talks.",
            "progress",
            item.sticking_point_id,
        )

    def test_a_deleted_row_left_untouched_is_simply_gone(self, client, editor):
        round_, _item, mine = self.open_then_delete(client, editor, on_its_own_page=True)
        mine["summary"] = "A new summary."
        response = client.post(admin_url(Round, "change", round_.pk), mine)
        assert response.status_code == 302  # the colleague's deletion stands; nothing to refuse
        round_.refresh_from_db()
        assert round_.summary == "A new summary."
        assert not AgendaItem.objects.exists()

    def test_a_deleted_row_marked_for_deletion_is_simply_gone(self, client, editor):
        round_, _item, mine = self.open_then_delete(client, editor, on_its_own_page=True)
        mine["agenda_items-0-note"] = "Changed, then deleted after all."
        mine["agenda_items-0-DELETE"] = "on"
        assert client.post(admin_url(Round, "change", round_.pk), mine).status_code == 302
        assert not AgendaItem.objects.exists()

    def test_a_citation_row_deleted_meanwhile_keeps_the_passage_typed(self, client, editor):
        quote = make_quote(text="somewhat deadlocked right now", state="draft")
        citation = cite(quote, make_source())
        client.force_login(editor)
        mine = form_data(client.get(admin_url(Quote, "change", quote.pk)))
        citation.delete()  # a colleague, on the citation's own page
        mine["citations-0-note"] = "Said on Fox News."
        response = client.post(admin_url(Quote, "change", quote.pk), mine)
        assert response.status_code == 200
        assert "A colleague deleted rows you had changed" in response.text
        assert form_data(response)["citations-0-note"] == "Said on Fox News."
        response = client.post(admin_url(Quote, "change", quote.pk), form_data(response))
        assert response.status_code == 302
        assert quote.citations.get().note == "Said on Fox News."
