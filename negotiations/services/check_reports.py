"""Keeping the quote checker's reports (``models.CheckReport``): a report is written once, when
its author asks for a permanent link, and never edited; its text only when they chose to share
it. Staff may delete one (an abusive text) from the admin, which moves the change stamp on.
"""

from django.db import transaction

from ..models import CheckReport
from . import changes


@transaction.atomic
def keep(*, payload, text, share_text):
    """Keep the payload of ``checking.as_json``; the checked ``text`` only if ``share_text``."""
    return CheckReport.objects.create(
        findings=payload,
        characters=payload["characters"],
        text=text if share_text else "",
        text_shared=bool(share_text),
    )


def find(*, key):
    """The report kept under ``key``, or None (an unknown key, or one deleted by staff)."""
    return CheckReport.objects.by_key(key).first()


@transaction.atomic
def delete(*, reports):
    """Delete kept reports (staff removing an abusive one). Their pages may be kept by the page
    cache and by browsers' validators under the change stamp, which a reader's new report leaves
    alone; a deletion moves it on, so that the page is gone everywhere at the commit."""
    deleted, _per_model = CheckReport.objects.filter(pk__in=[r.pk for r in reports]).delete()
    if deleted:
        changes.note_change()
    return deleted
