"""Stale-save protection: the version every edited record carries, and the form guard that
checks it.

Two editors may open the same record. Each save bumps the record's ``version``; a form carries
the version it was opened at (``loaded_version``), and a save from a form whose version is no
longer the stored one is refused rather than silently overwriting the colleague's work. Inline
rows carry their own version, so a row changed on its own page meanwhile is caught too.
"""

import re

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import connection, models, router, transaction
from django.forms.formsets import DELETION_FIELD_NAME, INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from django.forms.models import BaseInlineFormSet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

VERSION_FIELD = "loaded_version"


class VersionedModel(models.Model):
    """A record editors change through forms: a version counter catches stale saves.

    A save runs in one transaction with everything it sets off (``receivers``: re-anchoring,
    verdicts, statuses, the rules about published records), so that a refusal there leaves
    nothing half-written; and it keeps, in ``_stored``, the values the row had before for the
    fields named in ``watched_fields``, so that those receivers see what changed whichever way
    the instance was made (a form, a History revert, the shell).
    """

    watched_fields: tuple[str, ...] = ()

    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Counts saves, so that a save of a form opened before another save is caught."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        with transaction.atomic(using=router.db_for_write(type(self), instance=self)):
            self._stored = None
            if not self._state.adding:
                rows = type(self)._default_manager.filter(pk=self.pk)
                self._stored = rows.values("version", *self.watched_fields).first()
            if self._stored is not None:
                # From the stored value, not this instance's: a reverted copy never goes back.
                self.version = self._stored["version"] + 1
            super().save(*args, **kwargs)

    def stored(self, field):
        """The value ``field`` had in the database before this save (None for a new row)."""
        return (getattr(self, "_stored", None) or {}).get(field)

    def changed(self, field):
        """Whether this save changed ``field`` (always true for a new row)."""
        if getattr(self, "_stored", None) is None:
            return True
        current = getattr(self, self._meta.get_field(field).attname)
        return self._stored[field] != current


def stored_version(instance, *, lock=False):
    """The version of ``instance`` as stored now (locked for this transaction if asked)."""
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if lock and connection.in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


class VersionGuardForm(forms.ModelForm):
    """Refuses the save of a form opened before someone else saved the same record.

    The refusal says who saved and when, and what they changed. The form keeps everything the
    second editor typed and takes the colleague's changes into the fields the second editor
    left alone, so that saving again replaces only what the second editor changed. Where both
    changed the same field, the form keeps the second editor's value and names the field.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields[VERSION_FIELD].initial = stored_version(self.instance)

    @cached_property
    def changed_data(self):
        # The version is bookkeeping: an inline row whose only "change" is it is left alone.
        return [name for name in super().changed_data if name != VERSION_FIELD]

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get(VERSION_FIELD)
        if self.instance.pk and loaded is not None:
            current = stored_version(self.instance, lock=True)
            if current is not None and current != loaded:
                theirs, both = self.take_their_changes(loaded)
                self.data = self.data.copy()
                self.data[self.add_prefix(VERSION_FIELD)] = str(current)
                for name, value in theirs.items():
                    self.data[self.add_prefix(name)] = value
                raise forms.ValidationError(self.stale_message(theirs, both), code="stale")
        return cleaned

    def _model_fields(self):
        names = {f.name for f in self.instance._meta.concrete_fields if f.editable}
        return [name for name in self.fields if name in names]

    def take_their_changes(self, loaded):
        """Fields the colleague changed since version ``loaded``, as form data to show, and the
        labels of fields both editors changed."""
        snapshot = self.instance.history.filter(version=loaded).order_by("-history_date").first()
        if snapshot is None:
            return {}, []
        theirs, both = {}, []
        for name in self._model_fields():
            field = self.instance._meta.get_field(name)
            before = getattr(snapshot, field.attname)
            now = field.value_from_object(
                self.instance
            )  # the stored record, as loaded for this POST
            if before == now:
                continue
            mine = self.cleaned_data.get(name, before)
            mine = getattr(mine, "pk", mine)
            if mine == before:
                theirs[name] = "" if now is None else str(now)
            elif mine != now:
                both.append(str(self.fields[name].label))
        return theirs, both

    def stale_message(self, theirs, both):
        latest = self.instance.history.order_by("-history_date").first()
        who = getattr(latest, "history_user", None) or _("someone")
        when = timezone.localtime(latest.history_date) if latest else None
        message = _(
            "%(who)s saved a newer version of this %(model)s at %(when)s, after you opened it, "
            "so nothing was saved. Your changes are still in the form."
        ) % {
            "who": who,
            "model": self.instance._meta.verbose_name,
            "when": when.strftime("%H:%M:%S on %d %B %Y") if when else _("an unknown time"),
        }
        if theirs:
            labels = ", ".join(str(self.fields[name].label) for name in theirs)
            message += " " + _("Their changes to %(fields)s are now in the form too.") % {
                "fields": labels
            }
        if both:
            message += " " + _(
                "You both changed %(fields)s: the form keeps yours; open the record in a new tab "
                "to see theirs."
            ) % {"fields": ", ".join(both)}
        return message + " " + _("Check, then save again.")


class VersionGuardedAdmin:
    """For a ModelAdmin: its form carries the version it was opened at."""

    form = VersionGuardForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]


class VersionGuardFormSet(BaseInlineFormSet):
    """A record's rows, when a colleague deleted some of them after the form was opened.

    Django would re-show such a row nowhere (the admin draws a stored row only beside its
    record) and refuse it with "Select a valid choice": what the editor typed in it was lost. Here
    a deleted row the editor left as it was is dropped (the colleague's deletion stands); one the
    editor changed is offered again as a new row with everything they typed, and the save is
    refused, saying who deleted it and when: saving again adds it back, Delete lets it go.
    """

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.deleted_meanwhile = []  # (the row's last history entry, whether it was offered again)
        if self.is_bound and self.instance.pk is not None:
            self._take_rows_deleted_meanwhile()

    def _count(self, name):
        try:
            return int(self.data.get(f"{self.prefix}-{name}", ""))
        except ValueError:
            return None

    def _take_rows_deleted_meanwhile(self):
        initial, total = self._count(INITIAL_FORM_COUNT), self._count(TOTAL_FORM_COUNT)
        if initial is None or total is None or not 0 < initial <= total <= self.absolute_max:
            return  # the management form's own check says what is wrong
        pk = self.model._meta.pk
        ids = {}
        for index in range(initial):
            try:
                ids[index] = pk.to_python(self.data.get(f"{self.prefix}-{index}-{pk.name}"))
            except forms.ValidationError:
                continue
        stored = set(self.get_queryset().filter(pk__in=ids.values()).values_list("pk", flat=True))
        gone = {index: row_id for index, row_id in ids.items() if row_id not in stored}
        if not gone:
            return
        kept, offered = [], []
        for index in range(initial):
            if index not in gone:
                kept.append(index)
            elif self._changed_since_opened(index, gone[index]):
                offered.append(index)
                self.deleted_meanwhile.append((self._last_entry(gone[index]), True))
            else:
                self.deleted_meanwhile.append((self._last_entry(gone[index]), False))
        self.data = self._renumbered([*kept, *offered, *range(initial, total)], set(offered))
        self.data[f"{self.prefix}-{INITIAL_FORM_COUNT}"] = str(len(kept))
        self.data[f"{self.prefix}-{TOTAL_FORM_COUNT}"] = str(
            len(kept) + len(offered) + total - initial
        )

    def _history(self, row_id):
        return self.model.history.filter(id=row_id)

    def _last_entry(self, row_id):
        return self._history(row_id).order_by("-history_id").first()

    def _changed_since_opened(self, index, row_id):
        """Whether the editor changed row ``index`` from the version they opened (as its history
        keeps it); a row marked for deletion, or one with no history to compare, counts as
        unchanged and as changed respectively."""
        prefix = self.add_prefix(index)
        if self.can_delete and self.data.get(f"{prefix}-{DELETION_FIELD_NAME}"):
            return False
        try:
            loaded = int(self.data.get(f"{prefix}-{VERSION_FIELD}", ""))
        except ValueError:
            loaded = None
        rows = self._history(row_id).exclude(history_type="-").order_by("-history_id")
        opened = (loaded is not None and rows.filter(version=loaded).first()) or rows.first()
        if opened is None:
            return True
        initial = {
            field.name: getattr(opened, field.attname) for field in self.model._meta.concrete_fields
        }
        form = self.form(data=self.data, prefix=prefix, initial=initial)
        return form.has_changed()

    def _renumbered(self, order, offered):
        """The form data with the rows in ``order`` numbered 0, 1, ...; the rows in ``offered``
        become new rows (no key, no version)."""
        pattern = re.compile(rf"^{re.escape(self.prefix)}-(\d+)-(.+)$")
        data = self.data.copy()  # a QueryDict (a POST) or a dict (a test's, the shell's)
        many = isinstance(data, QueryDict)
        rows = {}
        for key in list(data):
            if found := pattern.match(key):
                rows.setdefault(int(found[1]), {})[found[2]] = (
                    data.getlist(key) if many else data[key]
                )
                del data[key]
        forgotten = {self.model._meta.pk.name, VERSION_FIELD}
        for position, index in enumerate(order):
            for name, value in rows.get(index, {}).items():
                if index in offered and name in forgotten:
                    continue
                key = f"{self.prefix}-{position}-{name}"
                if many:
                    data.setlist(key, value)
                else:
                    data[key] = value
        return data

    def clean(self):
        super().clean()
        offered = [entry for entry, again in self.deleted_meanwhile if again]
        if not offered:
            return
        names = "; ".join(
            _("“%(row)s”, deleted by %(who)s at %(when)s")
            % {
                "row": entry.instance if entry else _("a row"),
                "who": getattr(entry, "history_user", None) or _("someone"),
                "when": timezone.localtime(entry.history_date).strftime("%H:%M:%S on %d %B %Y")
                if entry
                else _("an unknown time"),
            }
            for entry in offered
        )
        raise forms.ValidationError(
            _(
                "A colleague deleted rows you had changed after you opened this page, so nothing "
                "was saved: %(rows)s. What you typed in them is kept below as new rows: save "
                "again to add them back, or tick Delete to let them go."
            )
            % {"rows": names},
            code="deleted_meanwhile",
        )


class VersionGuardedInline:
    """For an inline: every row carries its own version, so a row changed on its own page
    meanwhile is caught too, and a row deleted meanwhile keeps what the editor typed in it."""

    form = VersionGuardForm
    formset = VersionGuardFormSet

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if VERSION_FIELD in fields else [*fields, VERSION_FIELD]
