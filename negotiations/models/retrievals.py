"""Retrievals: a web page as the server fetched it (or an editor uploaded it) for import, kept
byte for byte so that a source's stored text can always be traced to the page it came from.

A retrieval is made when an editor imports a page, before the editor reviews what was
extracted; it is linked to the source once the editor saves that source. A retrieval whose
source was never saved stays unlinked: nothing lists or counts it, and it costs only its
stored bytes (``manage.py shell`` can delete unlinked ones older than a month if space
matters: ``Retrieval.objects.unlinked().filter(retrieved_at__lt=…).delete()``).
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .sources import Source


class RetrievalQuerySet(models.QuerySet):
    def unlinked(self):
        """Imports whose editor never saved the source."""
        return self.filter(source__isnull=True)


class Retrieval(models.Model):
    requested_url = models.URLField(
        _("requested address"),
        max_length=2000,
        blank=True,
        help_text=_("The address the editor gave; empty for an uploaded file."),
    )
    uploaded_name = models.CharField(
        _("uploaded file name"), max_length=255, blank=True, help_text=_("For an uploaded file.")
    )
    final_url = models.URLField(
        _("final address"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Where the page was found after redirects; for an uploaded file, the address the "
            "browser wrote into it when it was saved, if any."
        ),
    )
    retrieved_at = models.DateTimeField(_("retrieved at"))
    retrieved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retrieved by"),
    )
    http_status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=200, blank=True)
    content = models.BinaryField(_("original as retrieved"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    extracted = models.JSONField(
        _("extracted"), default=dict, help_text=_("What the extractor found, for the review form.")
    )
    # The addresses as compared (``page_addresses.key_digest``: a digest of the comparison key, short
    # enough for any index), so importing a page again finds the source it became by any of them.
    requested_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    final_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    canonical_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    source = models.ForeignKey(
        Source,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retrievals",
        verbose_name=_("source"),
        help_text=_("The source saved from this retrieval; empty until the editor saves it."),
    )

    objects = RetrievalQuerySet.as_manager()

    class Meta:
        ordering = ["-retrieved_at", "-id"]
        verbose_name = _("retrieval")
        verbose_name_plural = _("retrievals")

    def __str__(self):
        return self.final_url or self.requested_url or self.uploaded_name or f"#{self.pk}"

    def save(self, *args, **kwargs):
        self.sha256 = hashlib.sha256(bytes(self.content)).hexdigest()
        super().save(*args, **kwargs)

    @property
    def address(self):
        """The page's address as best known."""
        return self.final_url or self.requested_url
