"""Helpers shared by test modules: admin URLs, users in a role, forms as a browser posts them,
and inserts that bypass the model layer to show the database itself refuses."""

import pytest
from django.contrib.auth.models import Group, User
from django.db import IntegrityError, transaction
from django.urls import reverse

from negotiations.models import (
    Citation,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def insert_bypassing_save(**fields):
    """Write a citation straight to the database, to test the database's own constraints."""
    return Citation.objects.bulk_create([Citation(**fields)])


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def messages(error):
    return " ".join(error.value.messages)


def user_in(group, name):
    user = User.objects.create_user(name, password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


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


def quote_form(speaker, source, passage, **extra):
    """The admin's add-quote form with one pasted citation, as a browser posts it."""
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
