"""Anchors: after a source's stored text changed, find every citation into it again, and the
editor's two answers to a passage found only approximately (accept the words found, or mark the
citation broken).

A passage still there (by its exact words, chosen by context where they repeat, or with
tolerance for quotes, dashes and spaces) gets its new offsets. One found only approximately
goes to review: its offsets point at the words found, its ``exact`` keeps the cited words, and
it counts as support for nothing until an editor accepts it. One not found is broken. No
citation is ever deleted or silently moved onto other words.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from .. import anchoring
from ..models import AnchorStatus, Citation

ANCHOR_FIELDS = ["exact", "prefix", "suffix", "start", "end", "anchor_status", "anchor_checked_at"]


@dataclass
class AnchorReport:
    """What a check of citations against their sources' stored text found."""

    unchanged: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    review: list = field(default_factory=list)
    broken: list = field(default_factory=list)

    @property
    def checked(self):
        return len(self.unchanged) + len(self.moved) + len(self.review) + len(self.broken)

    @property
    def changed(self):
        """Citations whose standing as support may have changed."""
        return [*self.moved, *self.review, *self.broken]


def relocate(citation):
    """Where ``citation`` (with its source) stands in its source's current text: returns
    (outcome, anchor) with outcome one of unchanged, moved, review, broken."""
    body = citation.source.body
    if (
        citation.anchor_status == AnchorStatus.ANCHORED
        and body[citation.start : citation.end] == citation.exact
    ):
        # Same words in the same place; the text around them may still have changed.
        return "unchanged", anchoring.make_anchor(body, citation.start, citation.end)
    found = anchoring.locate(body, citation.anchor)
    if found is None:
        return "broken", None
    if found.approximate:
        return "review", found.anchor
    return "moved", found.anchor


def recheck(citations, *, dry_run=False):
    """Re-find each citation (loaded with its source) in its source's text and store the
    outcome, unless ``dry_run``. Writes with bulk_update: the caller derives what follows."""
    report = AnchorReport()
    now = timezone.now()
    for citation in citations:
        outcome, anchor = relocate(citation)
        if outcome == "review":
            # Keep the cited words; point at the words found, for an editor to compare.
            citation.start, citation.end = anchor.start, anchor.end
            citation.anchor_status = AnchorStatus.REVIEW
        elif outcome == "broken":
            citation.anchor_status = AnchorStatus.BROKEN
        else:
            citation.set_anchor(anchor)
        citation.anchor_checked_at = now
        getattr(report, outcome).append(citation)
    if not dry_run:
        all_checked = [*report.unchanged, *report.moved, *report.review, *report.broken]
        Citation.objects.bulk_update(all_checked, ANCHOR_FIELDS, batch_size=500)
    return report


def reanchor_source(*, source):
    """After ``source``'s stored text changed: find every citation into it again."""
    citations = list(source.citations.order_by("pk"))  # each citation's source is ``source``
    return recheck(citations)


def accept_found_words(*, citations):
    """Take the words found approximately as the passage: the citation is anchored on them,
    and what it backs is derived again. Returns how many were accepted."""
    accepted = 0
    with transaction.atomic():
        for citation in citations:
            if citation.anchor_status != AnchorStatus.REVIEW:
                continue
            citation.set_anchor(
                anchoring.make_anchor(citation.source.body, citation.start, citation.end)
            )
            citation.anchor_checked_at = timezone.now()
            citation.save()
            accepted += 1
    return accepted


def mark_broken(*, citations):
    """The words found approximately are not the passage: the citation is broken (and kept,
    for an editor to repair). Returns how many were marked."""
    marked = 0
    with transaction.atomic():
        for citation in citations:
            if citation.anchor_status == AnchorStatus.BROKEN:
                continue
            citation.anchor_status = AnchorStatus.BROKEN
            citation.save()
            marked += 1
    return marked
