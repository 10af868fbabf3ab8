"""Editorial workflow through the admin: roles, drafts and publishing, history, stale saves."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from negotiations.models import (
    AgendaItem,
    Citation,
    Claim,
    PublicationState,
    Quote,
    Round,
    Source,
)
from negotiations.roles import EDITORS, PUBLISHABLE, REVIEWERS
from negotiations.seed.loader import SEED_DIR

from .factories import (
    cite,
    make_claim,
    make_official,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:negotiations_{model._meta.model_name}_{view}", args=args)


def user_in(group, name):
    user = User.objects.create_user(name, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(user_in(REVIEWERS, "rita"))
    return client


def form_data(response):
    """The fields of the admin form on a page, as a browser would post them back: only the
    fields the page renders."""
    html = response.content.decode()

    def rendered(name):
        return f'name="{name}"' in html

    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or not rendered(name):
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    inline_formsets = response.context.get("inline_admin_formsets", [])  # none on a revert page
    for formset in inline_formsets:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = str(management[name].value())
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value not in (None, "") and rendered(inline_form.add_prefix(name)):
                    data[inline_form.add_prefix(name)] = str(getattr(value, "pk", value))
    return data


class TestRoles:
    @pytest.mark.parametrize("model_name", PUBLISHABLE)
    def test_editors_and_reviewers_rights_on_each_record(self, db, model_name):
        editor, reviewer = user_in(EDITORS, "ed"), user_in(REVIEWERS, "rita")
        for user in (editor, reviewer):
            for action in ("add", "change", "view"):
                assert user.has_perm(f"negotiations.{action}_{model_name}")
            assert not user.has_perm(f"negotiations.delete_{model_name}")
        assert not editor.has_perm(f"negotiations.publish_{model_name}")
        assert reviewer.has_perm(f"negotiations.publish_{model_name}")

    def test_only_reviewers_are_offered_the_publish_actions(self, seeded, client):
        client.force_login(user_in(EDITORS, "ed"))
        assert "publish_selected" not in client.get(url(Quote, "changelist")).text
        client.force_login(user_in(REVIEWERS, "rita"))
        page = client.get(url(Quote, "changelist")).text
        assert "publish_selected" in page and "unpublish_selected" in page
        assert "delete_selected" not in page

    def test_an_editor_cannot_publish_by_posting_the_action(self, seeded, editor_client):
        quote = Quote.objects.first()
        Quote.objects.filter(pk=quote.pk).update(state="draft")
        editor_client.post(
            url(Quote, "changelist"), {"action": "publish_selected", "_selected_action": [quote.pk]}
        )
        quote.refresh_from_db()
        assert quote.state == "draft"

    def test_nobody_in_the_groups_can_delete_a_record(self, seeded, reviewer_client):
        quote = Quote.objects.first()
        assert reviewer_client.get(url(Quote, "delete", quote.pk)).status_code == 403


class TestDraftsAndPublishing:
    def test_a_new_record_starts_as_a_draft_whatever_is_posted(self, editor_client):
        editor_client.post(
            url(Round, "add"),
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
            url(Round, "changelist"),
            {"action": "publish_selected", "_selected_action": [r.pk for r in rounds]},
            follow=True,
        )
        assert "Published 3." in response.text
        assert set(Round.objects.values_list("state", flat=True)) == {"published"}
        assert source.state == "draft"

    def test_publishing_a_quote_needs_anchored_citations_of_a_published_source(
        self, reviewer_client
    ):
        draft_source = make_source(state="draft")
        quote = make_quote(state="draft")
        cite(quote, draft_source)
        uncited = make_quote(state="draft", text="never cited")
        response = reviewer_client.post(
            url(Quote, "changelist"),
            {"action": "publish_selected", "_selected_action": [quote.pk, uncited.pk]},
            follow=True,
        )
        assert "publish a source first" in response.text
        assert "It cites no source" in response.text
        assert not Quote.objects.published().exists()

        Source.objects.filter(pk=draft_source.pk).update(state="published", body="Rewritten.")
        Citation.objects.filter(quote=quote).update(anchor_status="broken")
        response = reviewer_client.post(
            url(Quote, "changelist"),
            {"action": "publish_selected", "_selected_action": [quote.pk]},
            follow=True,
        )
        assert "not anchored" in response.text
        assert not Quote.objects.published().exists()

    def test_a_claim_with_good_citations_is_published_and_can_be_unpublished(self, reviewer_client):
        claim = make_claim(state="draft")
        cite(claim, make_source())
        reviewer_client.post(
            url(Claim, "changelist"), {"action": "publish_selected", "_selected_action": [claim.pk]}
        )
        claim.refresh_from_db()
        assert claim.is_published
        reviewer_client.post(
            url(Claim, "changelist"),
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


class TestDeletion:
    def test_a_cited_source_cannot_be_deleted_and_the_page_says_what_cites_it(self, client):
        root = User.objects.create_superuser("root", password="correct horse battery")
        client.force_login(root)
        source = make_source(state="draft")
        quote = make_quote(text="somewhat deadlocked right now")
        cite(quote, source)
        page = client.get(url(Source, "delete", source.pk))
        assert page.status_code == 200
        assert "protected" in page.text.lower()
        assert "somewhat deadlocked right now" in page.text
        client.post(url(Source, "delete", source.pk), {"post": "yes"})
        assert Source.objects.filter(pk=source.pk).exists()

    def test_a_published_record_is_unpublished_not_deleted(self, client):
        client.force_login(User.objects.create_superuser("root", password="correct horse battery"))
        round_ = make_round()
        assert client.get(url(Round, "delete", round_.pk)).status_code == 403
        assert Round.objects.filter(pk=round_.pk).exists()


class TestHistory:
    def test_every_change_is_recorded_with_who_and_what_and_can_be_reverted(
        self, editor_client, editor
    ):
        round_ = make_round(title="Geneva talks", summary="First summary.")
        page = editor_client.get(url(Round, "change", round_.pk))
        data = form_data(page)
        data["summary"] = "Second summary."
        response = editor_client.post(url(Round, "change", round_.pk), data)
        assert response.status_code == 302
        latest = round_.history.order_by("-history_date").first()
        assert latest.history_user == editor and latest.summary == "Second summary."

        history_page = editor_client.get(url(Round, "history", round_.pk))
        assert history_page.status_code == 200
        assert "First summary." in history_page.text and "Second summary." in history_page.text

        first = round_.history.order_by("history_date").first()
        revert_url = reverse("admin:negotiations_round_simple_history", args=[round_.pk, first.pk])
        revert_page = editor_client.get(revert_url)
        assert revert_page.status_code == 200
        response = editor_client.post(revert_url, form_data(revert_page))
        assert response.status_code == 302
        round_.refresh_from_db()
        assert round_.summary == "First summary."
        assert round_.history.count() == 3

    @pytest.mark.parametrize(
        "model_name",
        [
            "outlet",
            "source",
            "official",
            "stickingpoint",
            "round",
            "agendaitem",
            "statement",
            "quote",
            "claim",
            "citation",
        ],
    )
    def test_every_record_has_a_history_page(self, seeded, editor_client, model_name):
        model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
        record = model.objects.first()
        assert editor_client.get(url(model, "history", record.pk)).status_code == 200


class TestStaleSaves:
    def test_the_second_save_of_a_stale_form_is_refused_and_keeps_the_input(self, client, editor):
        round_ = make_round(summary="Original.", outcome="Unknown.")
        colleague = user_in(EDITORS, "colleague")
        client.force_login(editor)
        mine = form_data(client.get(url(Round, "change", round_.pk)))
        client.force_login(colleague)
        theirs = form_data(client.get(url(Round, "change", round_.pk)))
        theirs["summary"] = "The colleague's summary."
        assert client.post(url(Round, "change", round_.pk), theirs).status_code == 302

        client.force_login(editor)
        mine["outcome"] = "My careful outcome."
        response = client.post(url(Round, "change", round_.pk), mine)
        assert response.status_code == 200
        assert "colleague saved a newer version of this round" in response.text
        assert "Their changes to Summary are now in the form too." in response.text
        assert "My careful outcome." in response.text
        round_.refresh_from_db()
        assert (round_.summary, round_.outcome) == ("The colleague's summary.", "Unknown.")

        # Saving again replaces only what this editor changed: both changes survive.
        response = client.post(url(Round, "change", round_.pk), form_data(response))
        assert response.status_code == 302
        round_.refresh_from_db()
        assert (round_.summary, round_.outcome) == (
            "The colleague's summary.",
            "My careful outcome.",
        )

    def test_when_both_change_one_field_the_form_keeps_mine_and_says_so(self, client, editor):
        round_ = make_round(summary="Original.")
        client.force_login(editor)
        mine = form_data(client.get(url(Round, "change", round_.pk)))
        Round.objects.filter(pk=round_.pk).update(summary="Theirs.", version=F("version") + 1)
        Round.objects.get(pk=round_.pk).save()
        mine["summary"] = "Mine."
        response = client.post(url(Round, "change", round_.pk), mine)
        assert "You both changed Summary" in response.text
        assert form_data(response)["summary"] == "Mine."

    def test_an_inline_edit_makes_other_open_forms_stale(self, client, editor):
        round_ = make_round()
        AgendaItem.objects.create(
            round=round_, sticking_point=make_sticking_point(), status="raised"
        )
        colleague = user_in(EDITORS, "colleague")
        client.force_login(editor)
        mine = form_data(client.get(url(Round, "change", round_.pk)))
        client.force_login(colleague)
        theirs = form_data(client.get(url(Round, "change", round_.pk)))
        theirs["agenda_items-0-note"] = "Discussed at length."
        assert client.post(url(Round, "change", round_.pk), theirs).status_code == 302

        client.force_login(editor)
        mine["agenda_items-0-status"] = "resolved"
        response = client.post(url(Round, "change", round_.pk), mine)
        assert "saved a newer version" in response.text
        item = AgendaItem.objects.get(round=round_)
        assert (item.note, item.status) == ("Discussed at length.", "raised")
        response = client.post(url(Round, "change", round_.pk), form_data(response))
        assert response.status_code == 302
        item.refresh_from_db()
        assert (item.note, item.status) == ("Discussed at length.", "resolved")

    def test_a_row_changed_on_its_own_page_is_not_overwritten_by_a_stale_parent_form(
        self, client, editor
    ):
        round_ = make_round()
        item = AgendaItem.objects.create(
            round=round_, sticking_point=make_sticking_point(), status="raised"
        )
        client.force_login(editor)
        mine = form_data(client.get(url(Round, "change", round_.pk)))
        client.force_login(user_in(EDITORS, "colleague"))
        on_its_page = form_data(client.get(url(AgendaItem, "change", item.pk)))
        on_its_page["note"] = "Changed on the agenda item's own page."
        assert client.post(url(AgendaItem, "change", item.pk), on_its_page).status_code == 302

        client.force_login(editor)
        mine["summary"] = "A new summary."
        response = client.post(url(Round, "change", round_.pk), mine)
        assert response.status_code == 200
        assert "colleague saved a newer version of this agenda item" in response.text
        item.refresh_from_db()
        assert item.note == "Changed on the agenda item's own page."

    def test_saving_a_record_leaves_its_untouched_inline_rows_alone(self, seeded, editor_client):
        round_ = Round.objects.get(slug="stockholm-talks-2025-07")
        versions = dict(AgendaItem.objects.filter(round=round_).values_list("pk", "version"))
        data = form_data(editor_client.get(url(Round, "change", round_.pk)))
        data["summary"] = "A corrected summary."
        assert editor_client.post(url(Round, "change", round_.pk), data).status_code == 302
        assert (
            dict(AgendaItem.objects.filter(round=round_).values_list("pk", "version")) == versions
        )

    def test_a_stale_quote_with_inline_citations_is_refused(self, client, editor):
        quote = make_quote(text="somewhat deadlocked right now")
        cite(quote, make_source())
        client.force_login(editor)
        mine = form_data(client.get(url(Quote, "change", quote.pk)))
        Quote.objects.get(pk=quote.pk).save()  # someone else saves meanwhile
        mine["setting"] = "Fox News interview"
        response = client.post(url(Quote, "change", quote.pk), mine)
        assert "saved a newer version of this quote" in response.text
        quote.refresh_from_db()
        assert quote.setting == ""


class TestTextAsBrowsersSendIt:
    def test_saving_a_source_untouched_keeps_its_text_and_anchors(self, seeded, editor_client):
        source = Source.objects.get(slug="stockholm-no-major-progress")
        anchors = list(source.citations.order_by("pk").values_list("start", "end"))
        data = form_data(editor_client.get(url(Source, "change", source.pk)))
        data["body"] = data["body"].replace("\n", "\r\n")  # as a browser posts a textarea
        data["reliability_note"] = "Checked again."
        response = editor_client.post(url(Source, "change", source.pk), data, follow=True)
        assert "The text changed" not in response.text
        source.refresh_from_db()
        assert "\r" not in source.body
        assert list(source.citations.order_by("pk").values_list("start", "end")) == anchors
        assert (SEED_DIR / "sources" / "002_ffa3484574f55223.txt").read_text(
            encoding="utf-8"
        ) == source.body


class TestValidation:
    def test_a_concluded_round_cannot_be_dated_in_the_future(self, editor_client):
        future = timezone.localdate() + datetime.timedelta(days=40)
        response = editor_client.post(
            url(Round, "add"),
            {
                "title": "Future talks",
                "slug": "future-talks",
                "kind": "talks",
                "start_on": future.isoformat(),
                "start_precision": "day",
                "end_precision": "unknown",
                "outcome": "An agreement.",
                "participants-TOTAL_FORMS": "0",
                "participants-INITIAL_FORMS": "0",
                "agenda_items-TOTAL_FORMS": "0",
                "agenda_items-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert "cannot be in the future" in response.text
        assert not Round.objects.filter(slug="future-talks").exists()

    def test_an_end_before_the_start_says_what_to_fix(self, editor_client):
        response = editor_client.post(
            url(Round, "add"),
            {
                "title": "Backwards talks",
                "slug": "backwards",
                "kind": "talks",
                "start_on": "2025-05-12",
                "start_precision": "day",
                "end_on": "2025-05-10",
                "end_precision": "day",
                "participants-TOTAL_FORMS": "0",
                "participants-INITIAL_FORMS": "0",
                "agenda_items-TOTAL_FORMS": "0",
                "agenda_items-INITIAL_FORMS": "0",
            },
        )
        assert "A round cannot end before it starts." in response.text

    def test_a_quote_said_in_the_future_is_refused(self, editor_client):
        speaker = make_official()
        future = timezone.localdate() + datetime.timedelta(days=3)
        response = editor_client.post(
            url(Quote, "add"),
            {
                "text": "words",
                "speaker": speaker.pk,
                "kind": "direct",
                "said_on": future.isoformat(),
                "said_precision": "day",
                "citations-TOTAL_FORMS": "0",
                "citations-INITIAL_FORMS": "0",
            },
        )
        assert "cannot have been said in the future" in response.text
