"""No admin path bypasses a role: an editor (not a reviewer) walks every admin view and action
of the knowledge base (change forms with their inlines, History restores, every bulk action,
posted even when not offered, deletes) and nothing becomes published, unpublished or deleted
that an editor may not touch."""

import pytest
from django.contrib import admin
from django.urls import reverse

from negotiations.models import PublicationState, Quote
from negotiations.roles import INLINE_ROWS
from negotiations.services import publishing
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label == "negotiations"]
ACTIONS = ["publish_selected", "unpublish_selected", "delete_selected"]


def snapshot():
    """Every record of the knowledge base, with its publication state where it has one."""
    return {
        (model._meta.model_name, pk): state
        for model in MODELS
        for pk, state in (
            model.objects.values_list("pk", "state")
            if any(f.name == "state" for f in model._meta.get_fields())
            else ((pk, None) for pk in model.objects.values_list("pk", flat=True))
        )
    }


def test_an_editor_walks_every_admin_path_and_changes_no_state(seeded, editor_client):
    # A quote a reviewer took down: its History holds the version in which it was published.
    taken_down = Quote.objects.published().first()
    publishing.unpublish(records=[taken_down])
    before = snapshot()

    for model in MODELS:  # one record's forms, History and delete view at a time
        records = list(model.objects.order_by("pk")[:2])
        if model is Quote:
            records.append(taken_down)
        for record in records:
            url = admin_url(model, "change", record.pk)
            page = editor_client.get(url)
            assert page.status_code == 200, url
            data = form_data(page)
            data["state"] = PublicationState.PUBLISHED  # not in the form: must change nothing
            assert editor_client.post(url, data).status_code < 500, url
            for version in record.history.all():
                revert = reverse(
                    f"admin:negotiations_{model._meta.model_name}_simple_history",
                    args=[record.pk, version.pk],
                )
                page = editor_client.get(revert)
                if page.status_code == 200:
                    assert editor_client.post(revert, form_data(page)).status_code < 500
            if model._meta.model_name not in INLINE_ROWS:
                delete = editor_client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
                assert delete.status_code == 403, (model, record.pk)
    for model in MODELS:  # then every bulk action, on everything, offered or not
        selected = list(model.objects.values_list("pk", flat=True))
        for action in ACTIONS:
            response = editor_client.post(
                admin_url(model, "changelist"),
                {"action": action, "_selected_action": selected, "post": "yes"},
            )
            assert response.status_code < 500, (model, action)

    after = snapshot()
    for key, state in before.items():
        model_name, _pk = key
        if model_name in INLINE_ROWS:
            continue  # an editor may remove the rows inside a record's form
        assert key in after, f"the editor deleted {key}"
        assert after[key] == state, f"the editor changed {key} from {state} to {after[key]}"


def test_restoring_a_published_version_never_publishes(seeded, editor_client):
    quote = Quote.objects.published().first()
    published_version = quote.history.order_by("-history_date").first()
    publishing.unpublish(records=[quote])
    revert = reverse(
        "admin:negotiations_quote_simple_history", args=[quote.pk, published_version.pk]
    )
    response = editor_client.post(revert, form_data(editor_client.get(revert)))
    assert response.status_code == 302
    quote.refresh_from_db()
    assert quote.state == PublicationState.DRAFT
