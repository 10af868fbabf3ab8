"""Changes to published records waiting for a reviewer: what an editor proposed, against which
version, what it changes field by field, and what a reviewer decided.

A pending change holds the data the record's admin form (and its inline rows) was submitted
with, so that approving it replays that data through the same form, formsets and model layer as
a reviewer's own save: every rule holds. Nothing of the record is written before approval, so
the public keeps seeing the published version. ``services.reviews`` proposes and decides;
``admin.reviews`` shows them to reviewers.

The data and the diff are JSON kept as text: backups (``services.backup``) spell text the same
on every database.
"""

import json

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SUPERSEDED = "superseded", _("Superseded by a later change")
    STALE = "stale", _("Stale: the record changed since")


class ChangeKind(models.TextChoices):
    EDIT = "edit", _("Edit")
    REVERT = "revert", _("Restore from History")
    ADDITION = "addition", _("Addition")


class PendingChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ReviewStatus.PENDING)

    def of(self, record):
        """The changes proposed to ``record`` (any kind of record of the app)."""
        return self.filter(model_name=record._meta.model_name, object_id=record.pk)


class PendingChange(models.Model):
    """An editor's change to a published record, kept until a reviewer decides on it."""

    model_name = models.CharField(
        _("kind of record"),
        max_length=40,
        help_text=_("The model of the record changed, for example “claim” or “citation”."),
    )
    object_id = models.PositiveBigIntegerField(
        _("record id"), null=True, blank=True, help_text=_("None for a record to be added.")
    )
    record_label = models.CharField(
        _("record"), max_length=300, help_text=_("The record as it read when it was proposed.")
    )
    reviewed_model = models.CharField(
        _("published record's kind"),
        max_length=40,
        help_text=_(
            "The published record whose public page the change would alter (a citation's quote "
            "or claim, an agenda item's round, or the record itself): deciding on it needs the "
            "right to publish that kind."
        ),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ChangeKind, default=ChangeKind.EDIT)
    reverted_to = models.PositiveBigIntegerField(
        _("restored history row"),
        null=True,
        blank=True,
        help_text=_("For a restore from History: the history row restored."),
    )
    base_version = models.PositiveIntegerField(
        _("version proposed against"),
        help_text=_(
            "The record's version when the editor opened it: approval is refused once the "
            "record has changed since, rather than overwriting that change."
        ),
    )
    data_json = models.TextField(_("submitted data"), default="{}")
    complete = models.BooleanField(
        _("complete form"),
        default=True,
        help_text=_(
            "Whether the data is the whole form as a browser posted it; otherwise it names only "
            "the fields changed and the rest is taken from the record when approved."
        ),
    )
    diff_json = models.TextField(_("changes"), default="[]")
    note = models.TextField(_("editor's note"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus, default=ReviewStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="proposed_changes",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_changes",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("reviewer's note"), blank=True)

    objects = PendingChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change to review")
        verbose_name_plural = _("changes to review")
        indexes = [
            models.Index(fields=["status", "proposed_at"], name="pending_change_status_idx"),
            models.Index(
                fields=["model_name", "object_id", "status"], name="pending_change_record_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.record_label}"

    @property
    def data(self):
        return json.loads(self.data_json)

    @data.setter
    def data(self, value):
        self.data_json = json.dumps(value, sort_keys=True, ensure_ascii=False)

    @property
    def diff(self):
        return json.loads(self.diff_json)

    @diff.setter
    def diff(self, value):
        self.diff_json = json.dumps(value, ensure_ascii=False)

    @property
    def is_pending(self):
        return self.status == ReviewStatus.PENDING
