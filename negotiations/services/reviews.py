"""Review of changes to published records: proposing a change, and recording a reviewer's
decision on it (``models.PendingChange``).

An editor (someone without the right to publish the record's kind) who changes a published
record does not write it: the change is proposed here, with what it changes field by field, and
the public keeps seeing the published version. A reviewer approves it (``admin.reviews`` replays
the submitted data through the record's admin form and formsets, so every rule of the model
layer holds), rejects it, or finds it stale; its editor may withdraw it. A later proposal by the
same editor for the same record supersedes their earlier one.

``propose()`` is also for other code that changes a published record on an editor's behalf
(for example putting a published quote into a statement): give it the form fields to change, as
the record's admin form would post them; the rest is taken from the record when it is approved.
"""

import datetime
from decimal import Decimal

from django import forms
from django.db import models, transaction
from django.forms.models import modelform_factory
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ChangeKind, PendingChange, ReviewStatus
from ..versioning import VERSION_FIELD, stored_version

# Form data that is no field of the record: the admin's buttons and the CSRF token.
NOT_DATA = {"csrfmiddlewaretoken", "_save", "_continue", "_addanother", "_saveasnew"}


def may_publish(*, user, model_name):
    """Whether ``user`` may publish records of ``model_name`` (and so decide on their changes)."""
    return user.has_perm(f"negotiations.publish_{model_name}")


def needs_review(*, record, user):
    """Whether a change by ``user`` to ``record`` must wait for a reviewer: the record is
    published as stored now, and the user may not publish its kind."""
    if record is None or record.pk is None or not hasattr(record, "is_published"):
        return False
    state = type(record)._default_manager.filter(pk=record.pk).values_list("state", flat=True)
    published = state.first() == "published"
    return published and not may_publish(user=user, model_name=record._meta.model_name)


def submitted_data(query_dict):
    """A form's POST data as JSON-ready lists, without the buttons and the CSRF token."""
    return {key: query_dict.getlist(key) for key in query_dict if key not in NOT_DATA}


# Field by field -------------------------------------------------------------------------------


def _comparable(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple):
        return sorted(_comparable(v) for v in value)
    if isinstance(value, Decimal):
        return value.normalize()
    if value is None:
        return ""
    return value


def _shown(field, value):
    """``value`` of form field ``field`` as an editor reads it."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.QuerySet | list | tuple):
        return ", ".join(_shown(field, v) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    choices = getattr(field, "choices", None)
    if choices and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in _flat(choices)}
        return str(labels.get(str(value), value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _flat(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat(label)
        else:
            yield key, label


def _initial_value(field, initial):
    """A form's initial value (primary keys for relations) as the records it names."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = list(initial or [])
        pks = [getattr(item, "pk", item) for item in items]
        return list(field.queryset.model._default_manager.filter(pk__in=pks))
    if isinstance(field, forms.ModelChoiceField) and initial not in (None, ""):
        if isinstance(initial, models.Model):
            return initial
        return field.queryset.model._default_manager.filter(pk=initial).first()
    return initial


def _is_long(field):
    return isinstance(field.widget, forms.Textarea)


def _entry(label, field, old, new):
    return {
        "label": str(label),
        "old": _shown(field, old),
        "new": _shown(field, new),
        "long": _is_long(field),
    }


def _form_changes(form, initial, names, prefix=""):
    changes = []
    for name in names:
        if name == VERSION_FIELD or name not in form.cleaned_data:
            continue
        field = form.fields[name]
        old = _initial_value(field, initial.get(name))
        new = form.cleaned_data[name]
        if _comparable(old) != _comparable(new):
            changes.append(_entry(f"{prefix}{field.label or name}", field, old, new))
    return changes


def form_diff(*, form, stored_form, formsets=()):
    """What a valid bound ``form`` (and its inline ``formsets``) would change in the record an
    unbound ``stored_form`` shows as stored: [{label, old, new, long}], rows added and removed
    included."""
    changes = _form_changes(form, stored_form.initial, list(form.fields))
    for formset in formsets:
        noun = formset.model._meta.verbose_name
        for row in formset.forms:
            if not hasattr(row, "cleaned_data"):
                continue
            deleted = formset.can_delete and formset._should_delete_form(row)
            if row.instance.pk is None:
                if deleted or not row.has_changed():
                    continue
                fields = [n for n in row.changed_data if n in row.fields]
                described = "; ".join(
                    f"{row.fields[n].label}: {_shown(row.fields[n], row.cleaned_data.get(n))}"
                    for n in fields
                    if _shown(row.fields[n], row.cleaned_data.get(n))
                )
                label = _("New %(row)s") % {"row": noun}
                changes.append({"label": label, "old": "", "new": described, "long": True})
            elif deleted:
                changes.append(
                    {
                        "label": _("%(row)s %(id)s removed") % {"row": noun, "id": row.instance.pk},
                        "old": _describe_stored(row),
                        "new": "",
                        "long": True,
                    }
                )
            else:
                prefix = f"{noun} {row.instance.pk}: ".capitalize()
                changes.extend(_form_changes(row, row.initial, row.changed_data, prefix))
    return changes


def _describe_stored(row):
    parts = []
    for name, field in row.fields.items():
        if name in (VERSION_FIELD, "DELETE", "id") or isinstance(field.widget, forms.HiddenInput):
            continue
        shown = _shown(field, _initial_value(field, row.initial.get(name)))
        if shown:
            parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


def plain_diff(*, record, data):
    """The diff of ``data`` (form fields of ``record``'s own) against ``record``, through a plain
    model form of those fields: for proposals that come without the admin's form."""
    names = [
        f.name
        for f in record._meta.get_fields()
        if getattr(f, "editable", False) and f.concrete and f.name in data
    ]
    if not names:
        return []
    form_class = modelform_factory(type(record), fields=names)
    form = form_class(as_query_dict(data), instance=record)
    form.is_valid()
    stored = type(record)._default_manager.get(pk=record.pk)
    return _form_changes(form, form_class(instance=stored).initial, names)


def as_query_dict(data):
    """Form data kept as {name: [values]} back into what a form is bound with."""
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return query


# Proposing and deciding -----------------------------------------------------------------------


def propose(
    *,
    record,
    data,
    user,
    kind=ChangeKind.EDIT,
    diff=None,
    complete=False,
    base_version=None,
    reverted_to=None,
    reviewed=None,
    note="",
):
    """Keep a change of ``record`` for review; nothing of the record is written.

    ``data``: form data ({field name: [values]}) as the record's admin form posts it; with
    ``complete`` False it names only what changes. ``base_version``: the version the change
    was made against (the stored one, unless given). ``reviewed``: the published record whose
    page the change alters, when not ``record`` itself (a citation's quote). Supersedes the
    same editor's earlier pending change of the record. Returns the ``PendingChange``.
    """
    data = {key: (list(v) if isinstance(v, list | tuple) else [v]) for key, v in data.items()}
    data = {key: [str(x) for x in values] for key, values in data.items()}
    with transaction.atomic():
        version = base_version if base_version is not None else stored_version(record) or 0
        if diff is None:
            diff = plain_diff(record=record, data=data)
        if record.pk is not None:  # an addition supersedes nothing
            earlier = PendingChange.objects.pending().of(record).filter(proposed_by=user)
            earlier.update(status=ReviewStatus.SUPERSEDED, decided_at=timezone.now())
        label = str(record)
        if record.pk is None:
            label = _("new %(kind)s: %(record)s") % {
                "kind": record._meta.verbose_name,
                "record": label,
            }
        change = PendingChange(
            model_name=record._meta.model_name,
            object_id=record.pk,
            record_label=label[:300],
            reviewed_model=(reviewed or record)._meta.model_name,
            kind=kind,
            reverted_to=reverted_to,
            base_version=version,
            complete=complete,
            note=note,
            proposed_by=user,
        )
        change.data = data
        change.diff = diff
        change.save()
    return change


def _decide(change, status, *, user, note=""):
    change.status = status
    change.decided_by = user
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return change


def still_pending(change):
    """``change`` read again, locked for this transaction, or a refusal if it was decided."""
    fresh = PendingChange.objects.select_for_update().get(pk=change.pk)
    if not fresh.is_pending:
        raise DecisionRefused(
            _("This change was already decided: %(status)s.")
            % {"status": fresh.get_status_display()}
        )
    return fresh


class DecisionRefused(Exception):
    """A decision that cannot be taken (already decided, not yours); the message says why."""


def approved(*, change, user, note=""):
    """Record that ``change`` was approved (its data has been applied by then)."""
    _decide(change, ReviewStatus.APPROVED, user=user, note=note)
    change.save(update_fields=["object_id"])  # an addition names the record it added
    return change


def reject(*, change, user, note=""):
    """Turn ``change`` down: nothing of the record changes."""
    with transaction.atomic():
        change = still_pending(change)
        if not may_publish(user=user, model_name=change.reviewed_model):
            raise DecisionRefused(_("Only a reviewer may reject a change."))
        return _decide(change, ReviewStatus.REJECTED, user=user, note=note)


def withdraw(*, change, user):
    """Its editor takes ``change`` back before a reviewer decides."""
    with transaction.atomic():
        change = still_pending(change)
        if change.proposed_by_id != user.pk:
            raise DecisionRefused(_("Only the editor who proposed a change may withdraw it."))
        return _decide(change, ReviewStatus.WITHDRAWN, user=user)


def mark_stale(*, change, user, note=""):
    """The record changed after ``change`` was proposed: it cannot be applied as it stands."""
    return _decide(change, ReviewStatus.STALE, user=user, note=note)
