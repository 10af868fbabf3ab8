"""What every admin page shares: pages answer editors, facets, deletion rules, history and revert."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape

from negotiations.models import (
    ChangeStamp,
    CheckReport,
    FacetCount,
    FacetSignature,
    PendingChange,
    Quote,
    Retrieval,
    Round,
    Source,
)
from tests.factories import (
    cite,
    make_quote,
    make_round,
    make_source,
)
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db


# The records' admins (not the changes to review, which tests/admin/test_reviews.py covers,
# nor the quote checker's reports, read-only: tests/admin/test_checks.py).
KNOWLEDGE_BASE = sorted(
    (
        m
        for m in admin.site._registry
        if m._meta.app_label == "negotiations" and m not in (PendingChange, CheckReport)
    ),
    key=lambda model: model.__name__,
)


@pytest.mark.parametrize("model", KNOWLEDGE_BASE, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_answer_an_editor(seeded, editor_client, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 200
    assert editor_client.get(admin_url(model, "changelist"), {"q": "trade"}).status_code == 200
    assert editor_client.get(admin_url(model, "add")).status_code == 200
    instance = model.objects.first()
    assert instance is not None, f"the seed has no {model.__name__}"
    assert editor_client.get(admin_url(model, "change", instance.pk)).status_code == 200


@pytest.mark.parametrize("model", KNOWLEDGE_BASE, ids=lambda m: m.__name__)
def test_anonymous_visitors_are_sent_to_log_in(client, model):
    for url in (admin_url(model, "changelist"), admin_url(model, "add")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_every_model_is_edited_in_the_admin_on_its_own_page_or_inline():
    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    for model in apps.get_app_config("negotiations").get_models():
        if model._meta.auto_created or model.__name__.startswith("Historical"):
            continue
        if model in (ChangeStamp, FacetCount, FacetSignature):  # bookkeeping, not records
            continue
        if model is Retrieval:  # a page as fetched, never edited: shown on its source's page
            continue
        assert model in admin.site._registry or model in inline_models, model


def test_facets_count_each_filter_option(seeded, editor_client):
    response = editor_client.get(admin_url(Quote, "changelist"))
    paraphrases = Quote.objects.filter(kind="paraphrase").count()
    assert paraphrases > 0
    assert f"Paraphrase ({paraphrases})" in response.text


KNOWLEDGE_BASE_ADMINS = KNOWLEDGE_BASE


@pytest.mark.parametrize("model", KNOWLEDGE_BASE_ADMINS, ids=lambda m: m.__name__)
def test_every_form_ends_with_publication_and_record_once(rf, editor, model):
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = editor
    fieldsets = model_admin.get_fieldsets(request)
    fields = flatten_fieldsets(fieldsets)
    assert len(fields) == len(set(fields)), f"{model.__name__}: a field shown twice"
    names = [str(name) for name, _options in fieldsets]
    has_record = any(f.name == "created_at" for f in model._meta.get_fields())
    assert ("Record" in names) == has_record
    if has_record:
        assert names[-1] == "Record"
        assert {"created_at", "updated_at"} <= set(model_admin.get_readonly_fields(request))
    if any(f.name == "state" for f in model._meta.get_fields()):
        assert names[-2] == "Publication" and "state" in model_admin.get_readonly_fields(request)
    assert "loaded_version" in fields  # the stale-save guard


def test_editors_cannot_delete_a_quote(editor_client):
    quote = make_quote()
    response = editor_client.post(admin_url(Quote, "delete", quote.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Quote.objects.filter(pk=quote.pk).exists()


class TestDeletion:
    def test_a_cited_source_cannot_be_deleted_and_the_page_says_what_cites_it(self, client):
        root = User.objects.create_superuser("root", password="correct horse battery")
        client.force_login(root)
        source = make_source(state="draft")
        quote = make_quote(text="somewhat deadlocked right now", state="draft")
        cite(quote, source)
        page = client.get(admin_url(Source, "delete", source.pk))
        assert page.status_code == 200
        assert "protected" in page.text.lower()
        assert "somewhat deadlocked right now" in page.text
        client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})
        assert Source.objects.filter(pk=source.pk).exists()

    def test_a_published_record_is_unpublished_not_deleted(self, client):
        client.force_login(User.objects.create_superuser("root", password="correct horse battery"))
        round_ = make_round()
        assert client.get(admin_url(Round, "delete", round_.pk)).status_code == 403
        assert Round.objects.filter(pk=round_.pk).exists()


class TestHistory:
    def test_every_change_is_recorded_with_who_and_what_and_can_be_reverted(
        self, editor_client, editor
    ):
        # a draft: an editor's change to a published round waits for review (test_reviews.py)
        round_ = make_round(title="Geneva talks", summary="First summary.", state="draft")
        page = editor_client.get(admin_url(Round, "change", round_.pk))
        data = form_data(page)
        data["summary"] = "Second summary."
        response = editor_client.post(admin_url(Round, "change", round_.pk), data)
        assert response.status_code == 302
        latest = round_.history.order_by("-history_date").first()
        assert latest.history_user == editor and latest.summary == "Second summary."

        history_page = editor_client.get(admin_url(Round, "history", round_.pk))
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
        assert editor_client.get(admin_url(model, "history", record.pk)).status_code == 200


def test_help_text_reads_as_written_angle_brackets_and_all(admin_client):
    """The admin renders help text as HTML: "/rounds/<slug>/" read "/rounds//." before."""
    shown = []
    for model in KNOWLEDGE_BASE:
        page = admin_client.get(admin_url(model, "add")).text
        for field in model._meta.get_fields():
            text = str(getattr(field, "help_text", ""))
            if "<" in text and f'name="{field.name}"' in page:
                assert escape(text) in page, (model.__name__, field.name)
                shown.append(f"{model.__name__}.{field.name}")
    assert {"Round.slug", "Source.slug", "Official.slug", "StickingPoint.slug"} <= set(shown)
