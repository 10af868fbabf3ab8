"""Every admin page answers an editor and turns away an anonymous visitor."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from negotiations.models import Citation, Quote, Round

from .factories import make_official, make_quote, make_source

pytestmark = pytest.mark.django_db

KNOWLEDGE_BASE = sorted(
    (m for m in admin.site._registry if m._meta.app_label == "negotiations"),
    key=lambda model: model.__name__,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


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
        assert model in admin.site._registry or model in inline_models, model


def test_facets_count_each_filter_option(seeded, editor_client):
    response = editor_client.get(admin_url(Quote, "changelist"))
    paraphrases = Quote.objects.filter(kind="paraphrase").count()
    assert paraphrases > 0
    assert f"Paraphrase ({paraphrases})" in response.text


def quote_form(speaker, source, passage, **extra):
    data = {
        "text": "somewhat deadlocked right now",
        "speaker": speaker.pk,
        "kind": "partial",
        "said_precision": "unknown",
        "state": "draft",
        "citations-TOTAL_FORMS": "1",
        "citations-INITIAL_FORMS": "0",
        "citations-0-source": source.pk,
        "citations-0-stance": "supports",
        "citations-0-exact": passage,
    }
    data.update(extra)
    return data


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


def test_a_duplicate_slug_is_a_message_not_an_error(editor_client):
    Round.objects.create(slug="geneva", title="Geneva")
    response = editor_client.post(
        admin_url(Round, "add"),
        {
            "title": "Geneva again",
            "slug": "geneva",
            "kind": "talks",
            "start_precision": "unknown",
            "end_precision": "unknown",
            "state": "draft",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "agenda_items-TOTAL_FORMS": "0",
            "agenda_items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert Round.objects.count() == 1


def test_editors_cannot_delete_a_quote(editor_client):
    quote = make_quote()
    response = editor_client.post(admin_url(Quote, "delete", quote.pk), {"post": "yes"})
    assert response.status_code == 403
    assert Quote.objects.filter(pk=quote.pk).exists()
