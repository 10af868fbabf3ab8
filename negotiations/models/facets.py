"""Facet counts kept on write: how many published quotes, claims or sources each facet value has,
alone and together with one value of another facet, so that a list's facets are read, not
counted, whatever the size of the knowledge base.

A ``FacetCount`` is one cell: (subject, facet, value) with, for a pair, (by_facet, by_value),
and how many published records of the subject have both. A ``FacetSignature`` is the set of
cells one record is counted in now: the memory that lets a write move the counts by the
difference (``services.facets``) whichever path it took. ``services.facets.discrepancies()``
recounts them all from the records, for ``check_integrity``.

Which facets each subject has, and which are paired, is ``SUBJECTS`` below: a value with a
handful of records per value (a source) is counted alone only; paired facets have few values
(officials, issues, rounds, statuses), so pairs stay few.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from .base import PublicationState

PUBLISHED = PublicationState.PUBLISHED


@dataclass(frozen=True)
class Way:
    """One lookup from a subject's records to a facet's value, ``where`` the conditions (on the
    same related rows) that let it count: ``citations__quote__round_id`` where
    ``citations__quote__state`` is published."""

    lookup: str
    where: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class FacetPath:
    """A facet of a subject: ``path`` is the lookup to its value from the subject's records
    (``speaker_id``, ``sticking_points``, ``citations__source``, ``status``), or several
    (``Way``s, or lookups) whose values are unioned: a source's rounds, through the citations of
    quotes, claims and agenda items."""

    name: str
    path: "str | Way | tuple[str | Way, ...]"
    paired: bool = True

    @property
    def ways(self):
        paths = self.path if isinstance(self.path, tuple) else (self.path,)
        return tuple(way if isinstance(way, Way) else Way(way) for way in paths)


@dataclass(frozen=True)
class Subject:
    name: str
    model: str  # app model name
    facets: tuple[FacetPath, ...]

    def facet(self, name):
        return next(f for f in self.facets if f.name == name)


SUBJECTS = {
    "quote": Subject(
        "quote",
        "Quote",
        (
            FacetPath("speaker", "speaker_id"),
            FacetPath("issue", "sticking_points"),
            FacetPath("round", "round_id"),
            FacetPath("verification", "verification"),
            FacetPath("source", "citations__source", paired=False),
        ),
    ),
    "claim": Subject(
        "claim",
        "Claim",
        (
            FacetPath("status", "status"),
            FacetPath("issue", "sticking_points"),
            FacetPath("round", "round_id"),
            FacetPath("source", "citations__source", paired=False),
        ),
    ),
    "source": Subject(
        "source",
        "Source",
        (
            FacetPath("outlet", "outlet_id"),
            FacetPath("reliability", "reliability"),
            # The rounds it is cited in, as ``Source.objects.cited_in_round`` finds them: by
            # their published quotes and claims, and by their agenda (whatever the round's or
            # issue's state).
            FacetPath(
                "round",
                (
                    Way("citations__quote__round_id", (("citations__quote__state", PUBLISHED),)),
                    Way("citations__claim__round_id", (("citations__claim__state", PUBLISHED),)),
                    Way("citations__agenda_item__round_id"),
                ),
                paired=False,
            ),
        ),
    ),
}


class FacetCountQuerySet(models.QuerySet):
    def total(self, subject, *, facet="", value=""):
        """Published records of ``subject`` (with ``facet`` = ``value``): one indexed row."""
        cell = self.filter(
            subject=subject, facet=facet, value=value, by_facet="", by_value=""
        ).values_list("count", flat=True)
        return cell.first() or 0

    def top(self, subject, facet, *, by=("", ""), limit, after=None):
        """[(value, count)] of ``facet`` among the records with ``by`` = (facet, value), most
        counted first (then by value), at most ``limit``, after the (count, value) cursor."""
        cells = self.filter(subject=subject, facet=facet, by_facet=by[0], by_value=by[1])
        if after is not None:
            count, value = after
            cells = cells.filter(models.Q(count__lt=count) | models.Q(count=count, value__gt=value))
        return list(cells.order_by("-count", "value").values_list("value", "count")[:limit])


class FacetCount(models.Model):
    """Published records of ``subject`` with ``facet`` = ``value`` (and, for a pair,
    ``by_facet`` = ``by_value``; both empty for the facet alone, and both empty with facet
    "" for the subject's total). Never zero: a cell counting nothing is deleted."""

    subject = models.CharField(max_length=20)
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=100)
    by_facet = models.CharField(max_length=20, default="")
    by_value = models.CharField(max_length=100, default="")
    count = models.IntegerField()  # moved by signed deltas in one upsert (services.facets)

    objects = FacetCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("facet count")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "by_facet", "by_value", "facet", "value"],
                name="facet_count_cell",
            )
        ]
        indexes = [
            # The options of one facet, most counted first.
            models.Index(
                fields=["subject", "by_facet", "by_value", "facet", "-count", "value"],
                name="facet_count_top_idx",
            )
        ]

    def __str__(self):
        pair = f" with {self.by_facet}={self.by_value}" if self.by_facet else ""
        return f"{self.subject} {self.facet}={self.value}{pair}: {self.count}"


class FacetSignature(models.Model):
    """The cells one record is counted in now (empty: it is not counted, a draft)."""

    subject = models.CharField(max_length=20)
    record_id = models.BigIntegerField()
    cells = models.JSONField(default=list)

    class Meta:
        verbose_name = _("facet signature")
        constraints = [
            models.UniqueConstraint(fields=["subject", "record_id"], name="facet_signature_record")
        ]

    def __str__(self):
        return f"{self.subject} {self.record_id}"


def kept_count(subject, facet, outer="pk"):
    """The published ``subject`` records (``models.facets``) whose ``facet`` is the outer
    record (``outer``: its field naming it): read from its kept count, one indexed row, not
    counted from the records. 0 for none."""
    cell = FacetCount.objects.filter(
        subject=subject,
        facet=facet,
        value=Cast(models.OuterRef(outer), models.CharField()),
        by_facet="",
        by_value="",
    ).values("count")[:1]
    return Coalesce(models.Subquery(cell), 0)
