"""Changes to review: the list of editors' changes to published records, a page per change with
its field-by-field diff, and the reviewer's Approve and Reject (the editor's Withdraw).

Approving replays the data the editor submitted through the record's own admin form and inline
formsets, as the reviewer: the same validation and save path as a reviewer's own edit, so every
rule of the model layer holds, and one history version is written, which the public sees. A
record changed since the change was proposed is never overwritten: the change is marked stale
and the editor makes it again on the record as it is now. A replay that breaks a rule saves
nothing, and the reviewer is told why.

Decided here, for the other write paths an editor has: the bulk "accept the words found" and
"mark broken" of citations are repairs after a source's text changed (and that change was itself
reviewed when the source was published), so they apply at once; outlets have no publication
state and are edited directly; adding a citation on its own page to a published quote or claim
(or an agenda item to a published round) is an addition to review, like adding it as a row of
that record's form.
"""

import copy

from django.apps import apps
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.forms.formsets import all_valid
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from .. import wording
from ..models import ChangeKind, PendingChange, ReviewStatus
from ..services import reviews
from ..versioning import VERSION_FIELD, stored_version


class Refused(Exception):
    """The replay broke a rule: everything it wrote is rolled back; ``problems`` say why."""

    def __init__(self, problems, *, stale=False):
        super().__init__(problems)
        self.problems = problems
        self.stale = stale


def _as_request(request, method, data):
    replay = copy.copy(request)
    replay.method = method
    replay._post, replay._files = data, MultiValueDict()  # what request.POST and FILES read
    return replay


def _value(bound_field):
    value = bound_field.value()
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return [str(getattr(value, "pk", value))]


def current_data(model_admin, request, record, *, inlines=True):
    """The record's admin form and inline rows as a browser would post them unchanged."""
    reading = _as_request(request, "GET", QueryDict())
    form = model_admin.get_form(reading, record, change=True)(instance=record)
    data = {}
    for name in form.fields:
        value = _value(form[name])
        if value is not None:
            data[name] = value
    if inlines:
        formsets, _inlines = model_admin._create_formsets(reading, record, change=True)
        for formset in formsets:
            management = formset.management_form
            for name in management.fields:
                data[management.add_prefix(name)] = [str(management[name].value())]
            for row in formset.forms:
                for name in row.fields:
                    value = _value(row[name])
                    if value is not None:
                        data[row.add_prefix(name)] = value
    return data


def _problems(form, formsets):
    """What refused the replay, in the form's words, and whether a version guard did."""
    problems, stale = [], False
    for name, errors in form.errors.as_data().items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            stale = stale or error.code == "stale"
            text = " ".join(error.messages)
            problems.append(f"{label}: {text}" if label else text)
    for formset in formsets:
        noun = formset.model._meta.verbose_name
        problems.extend(f"{noun}: {message}" for message in formset.non_form_errors())
        for row in formset.forms:
            for name, errors in row.errors.as_data().items():
                for error in errors:
                    stale = stale or error.code == "stale"
                    label = row.fields[name].label if name in row.fields else noun
                    problems.append(
                        f"{noun} {row.instance.pk or ''}: {label}: " + " ".join(error.messages)
                    )
    return problems, stale


def replay(model_admin, request, change, record):
    """Apply ``change`` to ``record`` (None: add the record) through its admin form and
    formsets, as ``request.user``.

    Raises ``Refused`` (having written nothing) when the data breaks a rule."""
    data = change.data
    inlines = change.kind != ChangeKind.REVERT  # a restore from History has no inline rows
    adding = record is None
    if not change.complete and not adding:
        data = {**current_data(model_admin, request, record, inlines=inlines), **data}
    data = {key: values for key, values in data.items() if values != []}
    if not adding:
        data[VERSION_FIELD] = [str(change.base_version)]
    posted = reviews.as_query_dict(data)
    replaying = _as_request(request, "POST", posted)
    form = model_admin.get_form(replaying, record, change=not adding)(posted, {}, instance=record)
    form_valid = form.is_valid()
    formsets = []
    if inlines:
        formsets, _inlines = model_admin._create_formsets(
            replaying, form.instance, change=not adding
        )
    if not (all_valid(formsets) and form_valid):
        problems, stale = _problems(form, formsets)
        raise Refused(problems, stale=stale)
    try:
        with transaction.atomic():
            obj = model_admin.save_form(replaying, form, change=True)
            who = change.proposed_by or _("an editor")
            obj._change_reason = (
                _("Proposed by %(who)s, approved by %(reviewer)s")
                % {
                    "who": who,
                    "reviewer": request.user,
                }
            )[:100]
            model_admin.save_model(replaying, obj, form, not adding)
            model_admin.save_related(replaying, form, formsets, not adding)
            message = model_admin.construct_change_message(replaying, form, formsets, adding)
            if adding:
                model_admin.log_addition(replaying, obj, message)
            else:
                model_admin.log_change(replaying, obj, message)
    except ValidationError as refusal:
        raise Refused(refusal.messages) from refusal
    return obj


def approve(*, model_admin, request, change, note=""):
    """Approve ``change`` as ``request.user``: replayed, or refused (stale, or a broken rule)
    with nothing saved. Returns the problems ([] when it was applied)."""
    model = apps.get_model("negotiations", change.model_name)
    with transaction.atomic():
        change = reviews.still_pending(change)
        adding = change.kind == ChangeKind.ADDITION
        record = None if adding else model._default_manager.filter(pk=change.object_id).first()
        if not adding and (
            record is None or stored_version(record, lock=True) != change.base_version
        ):
            reviews.mark_stale(change=change, user=request.user, note=note)
            return [
                _(
                    "The %(kind)s changed after this change was proposed, so it was not applied "
                    "(nothing was overwritten). It is marked stale: the editor can make it again "
                    "on the %(kind)s as it is now."
                )
                % {"kind": model._meta.verbose_name}
            ]
        try:
            with transaction.atomic():
                applied = replay(model_admin, request, change, record)
        except Refused as refusal:
            if refusal.stale:
                reviews.mark_stale(change=change, user=request.user, note=note)
                return [_("A row of this record changed since: the change is marked stale.")]
            return refusal.problems
        change.object_id = applied.pk  # an addition: the record it added
        reviews.approved(change=change, user=request.user, note=note)
    return []


@admin.register(PendingChange)
class PendingChangeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "model_name", "proposed_by", "proposed_at", "status", "decided_by"]
    list_filter = ["status", "kind", "model_name"]
    list_select_related = ["proposed_by", "decided_by"]
    search_fields = ["record_label", "proposed_by__username"]
    list_display_links = ["__str__"]
    actions = None
    review_template = "admin/negotiations/pendingchange/review.html"

    def get_queryset(self, request):
        # Pending ones first, newest first within each.
        rank = Case(
            When(status=ReviewStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        queryset = self.model._default_manager.annotate(waiting_first=rank)
        return queryset.order_by(*self.get_ordering(request))

    def get_ordering(self, request):
        return ["waiting_first", "-proposed_at", "-pk"]

    def has_add_permission(self, request):
        return False  # proposed by saving a record's form, never made by hand

    def has_delete_permission(self, request, obj=None):
        return False  # every decision is kept

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change = get_object_or_404(
            PendingChange.objects.select_related("proposed_by", "decided_by"), pk=object_id
        )
        if not self.has_view_permission(request, change):
            raise PermissionDenied
        if request.method == "POST":
            return self.decide(request, change)
        return TemplateResponse(request, self.review_template, self.review_context(request, change))

    def decide(self, request, change):
        note = request.POST.get("decision_note", "").strip()
        back = HttpResponseRedirect(request.path)
        try:
            if "_withdraw" in request.POST:
                reviews.withdraw(change=change, user=request.user)
                messages.success(request, _("Withdrawn: the change will not be applied."))
                return back
            if not reviews.may_publish(user=request.user, model_name=change.reviewed_model):
                raise PermissionDenied
            if "_reject" in request.POST:
                reviews.reject(change=change, user=request.user, note=note)
                messages.success(request, _("Rejected: the record is unchanged."))
                return back
            if "_approve" in request.POST:
                model = apps.get_model("negotiations", change.model_name)
                problems = approve(
                    model_admin=self.admin_site._registry[model],
                    request=request,
                    change=change,
                    note=note,
                )
                if problems:
                    messages.error(
                        request,
                        _("Not applied: %(why)s") % {"why": " ".join(map(str, problems))},
                    )
                else:
                    messages.success(request, _("Approved: the change is public now."))
                return back
        except reviews.DecisionRefused as refusal:
            messages.error(request, str(refusal))
            return back
        messages.error(request, _("Choose Approve, Reject or Withdraw."))
        return back

    def review_context(self, request, change):
        model = apps.get_model("negotiations", change.model_name)
        record = None
        if change.object_id is not None:
            record = model._default_manager.filter(pk=change.object_id).first()
        current = stored_version(record) if record is not None else None
        rows = []
        for entry in change.diff:
            pieces = None
            if entry.get("long") and entry["old"] and entry["new"]:
                pieces = wording.word_diff(entry["old"], entry["new"])
            rows.append({**entry, "pieces": pieces})
        return {
            **self.admin_site.each_context(request),
            "title": str(change),
            "subtitle": None,
            "opts": self.opts,
            "change": change,
            "rows": rows,
            "record": record,
            "record_admin_url": (
                reverse(f"admin:negotiations_{change.model_name}_change", args=[record.pk])
                if record is not None
                else None
            ),
            "record_public_url": (
                record.get_absolute_url()
                if record is not None
                and getattr(record, "is_published", False)
                and hasattr(record, "get_absolute_url")
                else None
            ),
            "changed_since": current is not None and current != change.base_version,
            "may_decide": change.is_pending
            and reviews.may_publish(user=request.user, model_name=change.reviewed_model),
            "may_withdraw": change.is_pending and change.proposed_by_id == request.user.pk,
        }
