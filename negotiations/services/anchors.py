"""Anchors: after a source's stored text changed, find every citation into it again; check every
citation in the knowledge base against its source (``verify_citations``)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .. import anchoring
from ..models import AnchorStatus, Citation, Quote
from .verdicts import refresh_verifications


@dataclass
class AnchorReport:
    """What a check of citations against their sources' stored text found."""

    unchanged: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    broken: list = field(default_factory=list)

    @property
    def checked(self):
        return len(self.unchanged) + len(self.moved) + len(self.broken)


def _recheck(citations, *, dry_run):
    report = AnchorReport()
    now = timezone.now()
    for citation in citations:
        body = citation.source.body
        if (
            citation.anchor_status == AnchorStatus.ANCHORED
            and body[citation.start : citation.end] == citation.exact
        ):
            # Same words in the same place; the text around them may still have changed.
            citation.set_anchor(anchoring.make_anchor(body, citation.start, citation.end))
            report.unchanged.append(citation)
        else:
            found = anchoring.locate(body, citation.anchor)
            if found is None:
                citation.anchor_status = AnchorStatus.BROKEN
                report.broken.append(citation)
            else:
                citation.set_anchor(found)
                report.moved.append(citation)
        citation.anchor_checked_at = now
    if not dry_run:
        Citation.objects.bulk_update(
            [*report.unchanged, *report.moved, *report.broken],
            ["exact", "prefix", "suffix", "start", "end", "anchor_status", "anchor_checked_at"],
        )
    return report


def reanchor_source(*, source):
    """After a source's stored text changed: find every citation into it again.

    A citation whose passage is still there (by its exact words, chosen by context where they
    repeat) gets its new offsets; one that is gone is marked broken and kept, never deleted or
    moved onto other words. Quote verdicts are derived again.
    """
    with transaction.atomic():
        citations = list(Citation.objects.filter(source=source).order_by("pk"))
        for citation in citations:
            citation.source = source
        report = _recheck(citations, dry_run=False)
        refresh_verifications(quotes=Quote.objects.filter(citations__source=source))
    return report


def check_all_anchors(*, dry_run=False):
    """Re-check every citation against its source's stored text (verify_citations)."""
    with transaction.atomic():
        citations = Citation.objects.select_related("source").order_by("source", "start", "pk")
        report = _recheck(list(citations), dry_run=dry_run)
        if not dry_run:
            refresh_verifications()
    return report
