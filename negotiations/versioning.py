"""Stale-save protection: the version every edited record carries, and the form guard that
checks it.

Two editors may open the same record. Each save bumps the record's ``version``; a form carries
the version it was opened at (``loaded_version``), and a save from a form whose version is no
longer the stored one is refused rather than silently overwriting the colleague's work. Inline
rows carry their own version, so a row changed on its own page meanwhile is caught too.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import connection, models, router, transaction
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


class VersionGuardedInline:
    """For an inline: every row carries its own version, so a row changed on its own page
    meanwhile is caught too."""

    form = VersionGuardForm

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if VERSION_FIELD in fields else [*fields, VERSION_FIELD]
