"""Keeping the quote checker's reports (``models.CheckReport``): a report is written once, when
its author asks for a permanent link, and never edited; its text only when they chose to share
it. Staff may delete one (an abusive text) from the admin; any deletion moves the change stamp
on (``receivers.check_report_deleted``).
"""

from django.db import transaction

from ..models import CheckReport


@transaction.atomic
def keep(*, payload, text, share_text):
    """Keep the payload of ``checking.as_json``; the checked ``text`` only if ``share_text``."""
    return CheckReport.objects.create(
        findings=payload,
        text=text if share_text else "",
    )


def find(*, key):
    """The report kept under ``key``, or None (an unknown key, or one deleted by staff)."""
    return CheckReport.objects.by_key(key).first()
