"""A record's public versions and public history, read from its revision history (the tables
django-simple-history keeps beside each model).

A version is a value of the record's ``version`` counter (``versioning``: each save adds one).
Several history rows may carry one number (a many-to-many change writes a row without a save):
the version is its last row, and it was current from its first row until the first row of the
next number. Only a version whose row says "published" is public, and only while the record is
published now: a draft version, or any version of a record unpublished since, is not found.

What a version shows is the record's own fields as that row holds them, in readers' words.
Derived judgements (a quote's verification, a claim's status) are left out: they are written
without a history row, so an old row's value is not what readers saw. So are editors' private
details (who saved, why, from where) and the bookkeeping fields (state, seed key, stamps).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Min, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.text import capfirst

from .models import (
    Citation,
    Claim,
    Official,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)
from .models.base import format_partial_date
from .models.claims import plain_number, readable_number

# The version counter is a 32-bit column: a larger number is no version of anything.
LARGEST_VERSION = 2**31 - 1
# Versions per page of a history: a source's rows each hold its whole stored text.
HISTORY_PAGE_SIZE = 20
# Citations shown with an old version of a quote or claim (a record has a handful).
CITATIONS_SHOWN = 100

# A partial date is shown with its precision, as one field.
PRECISIONS = {
    "said_on": "said_precision",
    "as_of": "as_of_precision",
    "published_on": "published_precision",
    "start_on": "start_precision",
    "end_on": "end_precision",
}


@dataclass(frozen=True)
class Kind:
    """One kind of public record: its name in URLs, its model, the key of its address, its
    own public fields in page order (the first is its main text), and whether its citations
    are shown with a version."""

    name: str
    model: type
    key: str
    fields: tuple[str, ...]
    with_citations: bool = False

    def url_kwargs(self, record):
        return {self.key: getattr(record, self.key)}

    def version_url(self, record, number):
        return reverse(
            f"negotiations:{self.name}-version",
            kwargs={**self.url_kwargs(record), "number": number},
        )

    def history_url(self, record):
        return reverse(f"negotiations:{self.name}-history", kwargs=self.url_kwargs(record))


KINDS = {
    kind.name: kind
    for kind in (
        Kind(
            "round",
            Round,
            "slug",
            ("title", "kind", "city", "country", "start_on", "end_on", "summary", "outcome"),
        ),
        Kind("issue", StickingPoint, "slug", ("name", "category", "summary")),
        Kind("official", Official, "slug", ("name", "native_name", "country", "summary")),
        Kind(
            "quote",
            Quote,
            "pk",
            ("text", "speaker", "kind", "said_on", "setting", "round"),
            with_citations=True,
        ),
        Kind(
            "claim",
            Claim,
            "pk",
            ("text", "round", "value", "value_qualifier", "unit", "as_of"),
            with_citations=True,
        ),
        Kind(
            "source",
            Source,
            "slug",
            (
                "title",
                "reference",
                "kind",
                "outlet",
                "author",
                "url",
                "language",
                "published_on",
                "published_as_printed",
                "retrieved_on",
                "archive_url",
                "reliability",
                "reliability_note",
                "body",
            ),
        ),
    )
}
KIND_OF = {kind.model: kind for kind in KINDS.values()}


def _label(model, name):
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _is_long(model, name):
    return model._meta.get_field(name).get_internal_type() == "TextField"


def _raw(model, row, name):
    field = model._meta.get_field(name)
    value = getattr(row, field.attname)
    if name in PRECISIONS:
        return {
            "date": value.isoformat() if value else None,
            "precision": getattr(row, PRECISIONS[name]),
        }
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _shown(model, row, name, related):
    """The value of ``name`` in ``row`` as a reader reads it ("" when there is none)."""
    field = model._meta.get_field(name)
    value = getattr(row, field.attname)
    if name in PRECISIONS:
        return str(format_partial_date(value, getattr(row, PRECISIONS[name])))
    if value is None or value == "":
        return ""
    if field.is_relation:
        other = related.get((field.related_model, value))
        return str(other) if other is not None else ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, Decimal):
        return readable_number(value)
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return value


@dataclass
class Field:
    name: str
    label: str
    value: object  # for JSON
    shown: str  # for reading
    long: bool
    url: str = ""  # a related record's page, where it is public


@dataclass
class Version:
    """One public version of ``record``: its ``fields`` as ``row`` holds them, when it was
    current (``current_until`` None: it still is), and its ``citations`` as they stood then
    (history rows of citations; None for kinds that show none)."""

    kind: Kind
    record: object
    number: int
    current_from: datetime.datetime
    current_until: datetime.datetime | None
    fields: list
    citations: list | None

    @property
    def is_current(self):
        return self.current_until is None

    @property
    def url(self):
        return self.kind.version_url(self.record, self.number)

    @property
    def history_url(self):
        return self.kind.history_url(self.record)

    @property
    def main(self):
        return self.fields[0]

    @property
    def details(self):
        return self.fields[1:]


def _history(record):
    return type(record).history.filter(id=record.pk)


def public_record(kind, key):
    """The published record of ``kind`` at ``key``, or None: a record not published now has
    no public versions."""
    return kind.model.objects.published().filter(**{kind.key: key}).first()


def current_public_version(record):
    """The number of the version a reader of ``record``'s page sees, when there is a public
    row of it to link to (records written in bulk have no history), else None. One query."""
    if not record.is_published:
        return None
    last = _history(record).order_by("-history_id").values("version", "state").first()
    if last and last["version"] == record.version and last["state"] == PublicationState.PUBLISHED:
        return record.version
    return None


def _related_records(kind, rows):
    """The public records the rows' relations name, by (model, id): one query per relation."""
    found = {}
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if not field.is_relation:
            continue
        ids = {getattr(row, field.attname) for row in rows} - {None}
        if not ids:
            continue
        others = field.related_model._default_manager.filter(pk__in=ids)
        if hasattr(others, "published"):
            others = others.published()  # a draft is never named
        found.update(((field.related_model, other.pk), other) for other in others)
    return found


def _fields(kind, row, related):
    fields = []
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        value, url = _raw(kind.model, row, name), ""
        if field.is_relation:
            # A related record as its page's path (an outlet, which has none, as its name);
            # one not public now as None.
            other = related.get((field.related_model, value))
            url = other.get_absolute_url() if hasattr(other, "get_absolute_url") else ""
            value = url or (str(other) if other is not None else None)
        fields.append(
            Field(
                name=name,
                label=_label(kind.model, name),
                value=value,
                shown=_shown(kind.model, row, name, related),
                long=_is_long(kind.model, name),
                url=url,
            )
        )
    return fields


def version_of(kind, record, number):
    """Version ``number`` of the published ``record``, or None when it is no public version."""
    if not 1 <= number <= LARGEST_VERSION:
        return None
    row = _history(record).filter(version=number).order_by("-history_id").first()
    if row is None or row.history_type == "-" or row.state != PublicationState.PUBLISHED:
        return None
    times = _history(record).aggregate(
        started=Min("history_date", filter=Q(version=number)),
        ended=Min("history_date", filter=Q(version__gt=number)),
    )
    citations = None
    if kind.with_citations:
        citations = citations_as_of(kind, record, until=times["ended"])
    return Version(
        kind=kind,
        record=record,
        number=number,
        current_from=times["started"],
        current_until=times["ended"],
        fields=_fields(kind, row, _related_records(kind, [row])),
        citations=citations,
    )


def citations_as_of(kind, record, *, until):
    """The citations of ``record`` as they stood just before ``until`` (now, if None): the last
    history row of each citation that ever backed it, where that row still backs it, of a
    source published now (its page is where the reader follows it). One query."""
    rows = Citation.history.model.objects
    ever = rows.filter(**{f"{kind.name}_id": record.pk}).values("id")
    before = rows.filter(id__in=ever)
    if until is not None:
        before = before.filter(history_date__lt=until)
    last = before.order_by().values("id").annotate(last=Max("history_id")).values("last")
    return list(
        rows.filter(history_id__in=last, **{f"{kind.name}_id": record.pk})
        .exclude(history_type="-")
        .filter(source__state=PublicationState.PUBLISHED)
        .select_related("source__outlet")
        .defer("source__body")
        .order_by("source_id", "start", "id")[:CITATIONS_SHOWN]
    )


def public_versions(record):
    """The public versions of ``record``, newest first: the last history row of each version
    number whose row says published, annotated with ``started`` (its first row's date)."""
    history = _history(record)
    last = history.order_by().values("version").annotate(last=Max("history_id")).values("last")
    first = (
        type(record)
        .history.filter(id=OuterRef("id"), version=OuterRef("version"))
        .order_by("history_id")
        .values("history_date")[:1]
    )
    return (
        history.filter(history_id__in=last, state=PublicationState.PUBLISHED)
        .exclude(history_type="-")
        .annotate(started=Subquery(first))
        .order_by("-version")
    )


@dataclass
class Change:
    name: str
    label: str
    old: str | None  # None for long fields: only "changed" is said
    new: str | None


@dataclass
class Entry:
    """One public version in a record's history, with what changed since the public version
    before it (``changes`` None: the first public version)."""

    number: int
    date: datetime.datetime
    url: str
    changes: list | None


def history_entries(kind, record, rows, *, older=None):
    """The entries of ``rows`` (public versions, newest first); ``older`` is the public version
    just before the last of them, when there is one, to say what that one changed."""
    rows = list(rows)
    compared = [*rows, older] if older is not None else rows
    related = _related_records(kind, compared)
    entries = []
    for position, row in enumerate(rows):
        before = compared[position + 1] if position + 1 < len(compared) else None
        changes = None
        if before is not None:
            changes = []
            for name in kind.fields:
                old = _shown(kind.model, before, name, related)
                new = _shown(kind.model, row, name, related)
                if old == new:
                    continue
                long = _is_long(kind.model, name)
                changes.append(
                    Change(
                        name=name,
                        label=_label(kind.model, name),
                        old=None if long else old,
                        new=None if long else new,
                    )
                )
        entries.append(
            Entry(
                number=row.version,
                date=row.started,
                url=kind.version_url(record, row.version),
                changes=changes,
            )
        )
    return entries
