"""Check reports: what the quote checker (``/check/``) found in a text, kept at a permanent
address so that a reader can share it.

A report is a snapshot: the findings as they were when the text was checked (the verdicts, the
quotes matched and their passages), so that a shared link keeps saying what it said even when
the record grows. The checked text itself is kept only when its author chose to share it; the
quotations found in it are part of the findings. Reports are written by anyone and never edited;
they are not public records of the knowledge base (no history, no change stamp, no search).
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

KEY_BYTES = 9  # 12 URL-safe characters: unguessable, short enough to read out


def new_key():
    return secrets.token_urlsafe(KEY_BYTES)


class CheckReportQuerySet(models.QuerySet):
    def by_key(self, key):
        return self.filter(key=key)


class CheckReport(models.Model):
    key = models.CharField(_("key"), max_length=32, unique=True, default=new_key, editable=False)
    checked_at = models.DateTimeField(_("checked at"), auto_now_add=True, db_index=True)
    text = models.TextField(
        _("checked text"),
        blank=True,
        help_text=_("Kept only when the person who checked it chose to share it."),
    )
    findings = models.JSONField(
        _("findings"), help_text=_("The checker's report as its JSON API gave it.")
    )

    objects = CheckReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("check report")
        verbose_name_plural = _("check reports")
        ordering = ["-checked_at"]

    def __str__(self):
        return f"Check report {self.key}"

    def get_absolute_url(self):
        return f"/check/{self.key}/"

    def payload_value(self, name):
        """A value of the kept payload (read defensively: an older engine may have written it)."""
        return self.findings.get(name, "") if isinstance(self.findings, dict) else ""

    @property
    def text_shared(self):
        """Whether its author shared the text (a checked text is never empty)."""
        return bool(self.text)

    @property
    def characters(self):
        return self.payload_value("characters")
