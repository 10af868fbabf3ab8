"""What every admin page shares: history with diffs and revert, facets, the stale-save guard,
text stored with LF line endings, review of changes to published records; for publishable
records, drafts and the publish actions.

Review: when someone who may not publish a record's kind saves a change to a published record
(its form with its inline rows, or a restore from History), nothing is written: the change is
kept for a reviewer (``services.reviews``) and the public keeps seeing the published version.
A reviewer's own change applies at once. Which published record a change alters is each
admin's ``reviewed_record()``: the record itself here, a citation's quote or claim, an agenda
item's round. A restore from History never changes the publication state either way.

Each admin declares only the fieldsets of its own fields: the Publication fieldset (the state,
read-only) and the collapsed Record fieldset (created and last changed) are added here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import ChangeKind, PendingChange, PublicationState
from ..services import publishing, reviews, support
from ..versioning import VersionGuardedAdmin, VersionGuardedInline

RECORD_FIELDS = ("created_at", "updated_at")


class LFTextFormField(forms.CharField):
    """Text as typed in a browser, whose line breaks arrive as CR LF: stored with LF only, so
    that an untouched text is not a changed one (and citation offsets never shift)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


LF_TEXT = {models.TextField: {"form_class": LFTextFormField}}


def count_column(relation, description):
    """A sortable list column counting a record's ``relation`` (its citations, its sources),
    annotated onto the changelist's query by BaseAdmin rather than counted row by row."""
    name = f"{relation}_count"

    @admin.display(description=description, ordering=name)
    def column(record):
        return getattr(record, name)

    column.__name__ = name
    column.annotation = {name: Count(relation)}
    return column


class BaseAdmin(VersionGuardedAdmin, SimpleHistoryAdmin):
    """Facets, history with diffs and revert, and the stale-save guard on every form."""

    show_facets = admin.ShowFacets.ALWAYS
    list_per_page = 50
    formfield_overrides = LF_TEXT

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and formfield.help_text:
            # The admin shows help text as HTML: a model's "/rounds/<slug>/" lost its "<slug>".
            formfield.help_text = conditional_escape(formfield.help_text)
        return formfield

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id and request.method == "GET":
            self.tell_pending_changes(request, object_id)
        return self._refusal_as_message(
            request, super().changeform_view, request, object_id, form_url, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version saves the record and its links together, or nothing; for a
        # published record and an editor, it is a change to review like any other.
        request.reverting_to = version_id
        with transaction.atomic(using=router.db_for_write(self.model)):
            view = super().history_form_view
            return self._refusal_as_message(
                request, view, request, object_id, version_id, extra_context
            )

    def _refusal_as_message(self, request, view, *args):
        """A rule of the model layer that no form check foresaw refuses the write: nothing is
        saved, and the editor is told why rather than shown an error page."""
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return view(*args)
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
            return HttpResponseRedirect(request.get_full_path())

    # Review of changes to published records ----------------------------------------------------

    def reviewed_record(self, stored):
        """The published record whose public page a change of ``stored`` (the record as
        stored now) would alter, or None when the change needs no review."""
        return None

    def save_model(self, request, obj, form, change):
        if self._held_for_review(request, obj, form, change):
            return
        super().save_model(request, obj, form, change)

    def get_deleted_objects(self, objs, request):
        """Deleting a row of a published record (a citation of a published quote, an agenda
        item of a published round) changes that record's public page: for someone who may not
        publish it, the delete page (and the bulk delete) lists it as protected and says where
        the removal can be proposed instead. Nothing is deleted."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        held = []
        for obj in objs:
            record = self.reviewed_record(obj)
            if record is None or record in held:
                continue
            if not reviews.may_publish(user=request.user, model_name=record._meta.model_name):
                held.append(record)
        protected = [
            *protected,
            *(
                _(
                    "%(record)s is published: removing this from it waits for a reviewer; "
                    "delete the row in its form, where the save is kept for review"
                )
                % {"record": support.describe(record)}
                for record in held
            ),
        ]
        return deleted, model_count, perms_needed, protected

    def _held_for_review(self, request, obj, form, change):
        stored = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        if change and stored is None:
            return False  # gone meanwhile: the save fails as it would have
        # A change: of the record as stored; an addition (a citation of a published quote, an
        # agenda item of a published round): of the record it joins.
        record = self.reviewed_record(stored if change else obj)
        if record is None or reviews.may_publish(
            user=request.user, model_name=record._meta.model_name
        ):
            return False
        request.held_for_review = {"stored": stored, "record": record, "new": obj}
        form.save_m2m = lambda: None  # its links wait too (a History restore calls this itself)
        if getattr(request, "reverting_to", None) is not None:  # no inline rows: propose now
            self._propose(request, form, formsets=())
        return True

    def save_related(self, request, form, formsets, change):
        if getattr(request, "held_for_review", None) is not None:
            self._propose(request, form, formsets)
            return
        super().save_related(request, form, formsets, change)

    def _propose(self, request, form, formsets):
        held = request.held_for_review
        stored_form = type(form)(instance=held["stored"])
        diff = reviews.form_diff(form=form, stored_form=stored_form, formsets=formsets)
        if not diff:
            return
        reverting = getattr(request, "reverting_to", None)
        kind = ChangeKind.REVERT if reverting is not None else ChangeKind.EDIT
        if held["stored"] is None:
            kind = ChangeKind.ADDITION
        held["change"] = reviews.propose(
            record=held["stored"] or held["new"],
            data=reviews.submitted_data(request.POST),
            user=request.user,
            kind=kind,
            diff=diff,
            complete=True,
            base_version=form.cleaned_data.get("loaded_version") or 0,
            reverted_to=reverting,
            reviewed=held["record"],
        )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "held_for_review", None) is not None:
            return ""  # the formsets were not saved: there is nothing to describe yet
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "held_for_review", None) is None:  # nothing was changed yet
            return super().log_change(request, obj, message)
        return None

    def log_addition(self, request, obj, message):
        if getattr(request, "held_for_review", None) is None:
            return super().log_addition(request, obj, message)
        return None

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "held_for_review", None) is None:
            return super().response_add(request, obj, post_url_continue)
        return self.response_held(request)

    def response_change(self, request, obj):
        if getattr(request, "held_for_review", None) is None:
            return super().response_change(request, obj)
        return self.response_held(request)

    def response_held(self, request):
        """After a save kept for review: to the pending change, saying so."""
        held = request.held_for_review
        change = held.get("change")
        if change is None:
            messages.info(request, _("Nothing was changed, so there is nothing to review."))
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Saved for review: the public keeps seeing the published version until a "
                    "reviewer approves it."
                ),
                reverse("admin:negotiations_pendingchange_change", args=[change.pk]),
                _("See the change"),
            ),
        )
        return HttpResponseRedirect(
            reverse("admin:negotiations_pendingchange_change", args=[change.pk])
        )

    def tell_pending_changes(self, request, object_id):
        """On opening a record: the changes to it waiting for review, each with its link."""
        try:
            pk = int(object_id)
        except (TypeError, ValueError):
            return
        waiting = (
            PendingChange.objects.pending()
            .filter(model_name=self.opts.model_name, object_id=pk)
            .select_related("proposed_by")
            .order_by("proposed_at")
        )
        for change in waiting:
            messages.warning(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "%(who)s proposed a change to this %(kind)s at %(when)s, waiting for "
                        "review; the form shows the published version."
                    )
                    % {
                        "who": change.proposed_by or _("Someone"),
                        "kind": self.opts.verbose_name,
                        "when": timezone.localtime(change.proposed_at).strftime(
                            "%H:%M on %d %B %Y"
                        ),
                    },
                    reverse("admin:negotiations_pendingchange_change", args=[change.pk]),
                    _("See the proposed change"),
                ),
            )

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        for column in self.list_display:
            queryset = queryset.annotate(**getattr(column, "annotation", {}))
        return queryset

    def record_fields(self):
        names = {field.name for field in self.opts.get_fields()}
        return [name for name in RECORD_FIELDS if name in names]

    def extra_fieldsets(self):
        """Fieldsets every admin of this kind ends with."""
        fields = self.record_fields()
        if not fields:
            return []
        return [(_("Record"), {"classes": ["collapse"], "fields": [tuple(fields)]})]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [name for name in self.record_fields() if name not in readonly]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shown = set(flatten_fieldsets(fieldsets))
        extra = [
            fieldset
            for fieldset in self.extra_fieldsets()
            if not shown & set(flatten_fieldsets([fieldset]))
        ]
        return [*fieldsets, *extra]


class PublishableAdmin(BaseAdmin):
    """Records with a publication state: drafts until a reviewer publishes them.

    The state is changed only by the publish and unpublish actions (also in bulk), never in
    the form, and a published record is unpublished rather than deleted.
    """

    actions = ["publish_selected", "unpublish_selected"]

    def extra_fieldsets(self):
        return [(_("Publication"), {"fields": ["state"]}), *super().extra_fieldsets()]

    def save_model(self, request, obj, form, change):
        # A form never publishes or unpublishes, and neither does restoring a version from
        # History (whose snapshot carries the state it had then): the record keeps the state
        # stored now. Only the publish actions, for reviewers, change it.
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).values_list("state", flat=True)
            obj.state = stored.first() or PublicationState.DRAFT
        else:
            obj.state = PublicationState.DRAFT
        super().save_model(request, obj, form, change)

    def reviewed_record(self, stored):
        return stored if stored.is_published else None

    def has_publish_permission(self, request):
        return request.user.has_perm(f"negotiations.publish_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "state"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # it would skip the per-record rule above
        return actions

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = publishing.publish(records=queryset)
        if published:
            messages.success(request, _("Published %(n)d.") % {"n": len(published)})
        for record, reason in refused:
            messages.error(
                request,
                _("Not published: %(record)s. %(reason)s") % {"record": record, "reason": reason},
            )

    @admin.action(description=_("Unpublish the selected records"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count, along = publishing.unpublish(records=queryset)
        messages.success(request, _("Unpublished %(n)d; they are drafts again.") % {"n": count})
        if along:
            messages.warning(
                request,
                _("Also taken out of public view, because they rested on them: %(records)s.")
                % {"records": "; ".join(support.describe(record) for record in along)},
            )


class InlineMixin(VersionGuardedInline):
    """Rows inside a record's form: their own version guard, text stored with LF."""

    formfield_overrides = LF_TEXT
