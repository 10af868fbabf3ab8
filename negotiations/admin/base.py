"""What every admin page shares: history with diffs and revert, facets, the stale-save guard,
text stored with LF line endings; for publishable records, drafts and the publish actions.

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
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import PublicationState
from ..services import publishing, support
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
        return self._refusal_as_message(
            request, super().changeform_view, request, object_id, form_url, extra_context
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version saves the record and its links together, or nothing.
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
