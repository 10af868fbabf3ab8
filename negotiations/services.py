"""Writes that touch several models at once."""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import anchoring
from .models import (
    AgendaItem,
    AnchorStatus,
    Citation,
    Claim,
    DatePrecision,
    Official,
    Outlet,
    Participant,
    Position,
    PublicationState,
    Quote,
    Round,
    Source,
    Statement,
    StickingPoint,
    Verification,
)

SEED_DIR = Path(__file__).resolve().parent / "seed"
SEED_FILE = SEED_DIR / "knowledge_base.toml"


class SeedError(Exception):
    """The seed file says something the knowledge base cannot hold; nothing was loaded."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)

    def count(self, model, outcome):
        getattr(self, outcome)[model._meta.verbose_name_plural] += 1

    @property
    def changed(self):
        return bool(self.created or self.updated)

    def lines(self):
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for name in names:
            yield (
                f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
                f"{self.unchanged[name]} unchanged"
            )


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _upsert(report, model, lookup, values):
    """Create the row, or bring an existing one in line, saving only when something differs."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        outcome = "created"
    else:
        differs = {
            name: value for name, value in values.items() if getattr(instance, name) != value
        }
        if not differs:
            report.count(model, "unchanged")
            return instance
        for name, value in differs.items():
            setattr(instance, name, value)
        outcome = "updated"
    try:
        instance.full_clean()
    except ValidationError as error:
        raise SeedError(f"{model.__name__} {lookup}: {error}") from error
    instance.save()
    report.count(model, outcome)
    return instance


def _set_many(instance, name, objects):
    manager = getattr(instance, name)
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) != wanted:
        manager.set(objects)


def _lookup(registry, kind, slug, where):
    try:
        return registry[slug]
    except KeyError:
        raise SeedError(f"{where}: unknown {kind} “{slug}”.") from None


class SeedLoader:
    def __init__(self, data, source_dir):
        self.data = data
        self.source_dir = source_dir
        self.report = LoadReport()
        self.outlets, self.sources, self.issues = {}, {}, {}
        self.officials, self.rounds, self.statements = {}, {}, {}

    def load(self):
        for entry in self.data.get("outlets", []):
            self.outlets[entry["slug"]] = _upsert(
                self.report,
                Outlet,
                {"slug": entry["slug"]},
                {"name": entry["name"], "website": entry.get("website", "")},
            )
        for entry in self.data.get("sources", []):
            self.load_source(entry)
        for entry in self.data.get("sources", []):
            derived = [
                _lookup(self.sources, "source", s, entry["slug"])
                for s in entry.get("derived_from", [])
            ]
            _set_many(self.sources[entry["slug"]], "derived_from", derived)
        for entry in self.data.get("sticking_points", []):
            self.issues[entry["slug"]] = _upsert(
                self.report,
                StickingPoint,
                {"slug": entry["slug"]},
                {
                    "name": entry["name"],
                    "category": entry["category"],
                    "summary": entry.get("summary", ""),
                    "state": PublicationState.PUBLISHED,
                },
            )
        for entry in self.data.get("officials", []):
            self.load_official(entry)
        for entry in self.data.get("rounds", []):
            self.load_round(entry)
        for entry in self.data.get("statements", []):
            self.statements[entry["slug"]] = _upsert(
                self.report,
                Statement,
                {"slug": entry["slug"]},
                {
                    "speaker": _lookup(self.officials, "official", entry["speaker"], entry["slug"]),
                    "summary": entry["summary"],
                    "state": PublicationState.PUBLISHED,
                },
            )
        for entry in self.data.get("quotes", []):
            self.load_quote(entry)
        for entry in self.data.get("claims", []):
            self.load_claim(entry)
        return self.report

    def load_source(self, entry):
        path = self.source_dir / entry["file"]
        try:
            body = path.read_text(encoding="utf-8")
        except OSError as error:
            raise SeedError(f"source {entry['slug']}: cannot read {path}: {error}") from error
        outlet = entry.get("outlet")
        self.sources[entry["slug"]] = _upsert(
            self.report,
            Source,
            {"slug": entry["slug"]},
            {
                "title": entry["title"],
                "reference": entry.get("reference", ""),
                "title_is_descriptive": entry.get("title_is_descriptive", False),
                "outlet": _lookup(self.outlets, "outlet", outlet, entry["slug"])
                if outlet
                else None,
                "url": entry.get("url", ""),
                "author": entry.get("author", ""),
                "language": entry.get("language", "en"),
                "published_on": _date(entry.get("published_on")),
                "published_precision": entry.get("published_precision", DatePrecision.UNKNOWN),
                "published_as_printed": entry.get("published_as_printed", ""),
                "body": body,
                "reliability": entry.get("reliability", "unrated"),
                "reliability_note": entry.get("reliability_note", ""),
                "state": PublicationState.PUBLISHED,
            },
        )

    def load_official(self, entry):
        official = _upsert(
            self.report,
            Official,
            {"slug": entry["slug"]},
            {
                "name": entry["name"],
                "native_name": entry.get("native_name", ""),
                "country": entry["country"],
                "summary": entry.get("summary", ""),
                "state": PublicationState.PUBLISHED,
            },
        )
        self.officials[entry["slug"]] = official
        for position in entry.get("positions", []):
            _upsert(
                self.report,
                Position,
                {
                    "official": official,
                    "title": position["title"],
                    "organisation": position.get("organisation", ""),
                },
                {
                    "start_on": _date(position.get("start_on")),
                    "start_precision": position.get("start_precision", DatePrecision.UNKNOWN),
                    "end_on": _date(position.get("end_on")),
                    "end_precision": position.get("end_precision", DatePrecision.UNKNOWN),
                },
            )

    def load_round(self, entry):
        round_ = _upsert(
            self.report,
            Round,
            {"slug": entry["slug"]},
            {
                "title": entry["title"],
                "kind": entry["kind"],
                "city": entry.get("city", ""),
                "country": entry.get("country", ""),
                "start_on": _date(entry.get("start_on")),
                "start_precision": entry.get("start_precision", DatePrecision.UNKNOWN),
                "end_on": _date(entry.get("end_on")),
                "end_precision": entry.get("end_precision", DatePrecision.UNKNOWN),
                "summary": entry.get("summary", ""),
                "outcome": entry.get("outcome", ""),
                "state": PublicationState.PUBLISHED,
            },
        )
        self.rounds[entry["slug"]] = round_
        for participant in entry.get("participants", []):
            _upsert(
                self.report,
                Participant,
                {
                    "round": round_,
                    "official": _lookup(
                        self.officials, "official", participant["official"], entry["slug"]
                    ),
                },
                {
                    "side": participant["side"],
                    "role": participant["role"],
                    "note": participant.get("note", ""),
                },
            )
        for item in entry.get("agenda", []):
            agenda_item = _upsert(
                self.report,
                AgendaItem,
                {
                    "round": round_,
                    "sticking_point": _lookup(
                        self.issues, "sticking point", item["sticking_point"], entry["slug"]
                    ),
                },
                {"status": item["status"], "note": item.get("note", "")},
            )
            self.load_citations(item, agenda_item=agenda_item)

    def load_quote(self, entry):
        where = f"quote “{entry['text'][:40]}”"
        speaker = _lookup(self.officials, "official", entry["speaker"], where)
        quote = _upsert(
            self.report,
            Quote,
            {"speaker": speaker, "text": entry["text"]},
            {
                "statement": _lookup(self.statements, "statement", entry["statement"], where)
                if entry.get("statement")
                else None,
                "kind": entry.get("kind", "direct"),
                "said_on": _date(entry.get("said_on")),
                "said_precision": entry.get("said_precision", DatePrecision.UNKNOWN),
                "setting": entry.get("setting", ""),
                "round": _lookup(self.rounds, "round", entry["round"], where)
                if entry.get("round")
                else None,
                "state": PublicationState.PUBLISHED,
            },
        )
        _set_many(
            quote,
            "sticking_points",
            [
                _lookup(self.issues, "sticking point", s, where)
                for s in entry.get("sticking_points", [])
            ],
        )
        self.load_citations(entry, quote=quote)

    def load_claim(self, entry):
        where = f"claim “{entry['text'][:40]}”"
        value = entry.get("value")
        claim = _upsert(
            self.report,
            Claim,
            {"text": entry["text"]},
            {
                "round": _lookup(self.rounds, "round", entry["round"], where)
                if entry.get("round")
                else None,
                "value": Decimal(str(value)).quantize(Decimal("0.0001"))
                if value is not None
                else None,
                "unit": entry.get("unit", ""),
                "as_of": _date(entry.get("as_of")),
                "as_of_precision": entry.get("as_of_precision", DatePrecision.UNKNOWN),
                "state": PublicationState.PUBLISHED,
            },
        )
        _set_many(
            claim,
            "sticking_points",
            [
                _lookup(self.issues, "sticking point", s, where)
                for s in entry.get("sticking_points", [])
            ],
        )
        _set_many(
            claim,
            "officials",
            [_lookup(self.officials, "official", s, where) for s in entry.get("officials", [])],
        )
        self.load_citations(entry, claim=claim)

    def load_citations(self, entry, **target):
        if not entry.get("citations"):
            raise SeedError(f"{next(iter(target.values()))}: every record needs a citation.")
        for cited in entry["citations"]:
            source = _lookup(
                self.sources, "source", cited["source"], str(next(iter(target.values())))
            )
            citation = Citation(
                source=source,
                exact=cited["exact"],
                prefix=cited.get("prefix", ""),
                suffix=cited.get("suffix", ""),
                **target,
            )
            try:
                citation.anchor_in_source()
            except ValidationError as error:
                raise SeedError(
                    f"citation of {source.slug} for {citation.target}: {error.messages[0]}"
                ) from error
            _upsert(
                self.report,
                Citation,
                {"source": source, "start": citation.start, "end": citation.end, **target},
                {
                    "exact": citation.exact,
                    "prefix": citation.prefix,
                    "suffix": citation.suffix,
                    "stance": cited.get("stance", "supports"),
                    "note": cited.get("note", ""),
                },
            )


def load_seed(*, path=SEED_FILE, dry_run=False, only_if_empty=False):
    """Load the seed knowledge base; idempotent, all or nothing.

    Returns the LoadReport, or None when ``only_if_empty`` and the base already has sources
    (so that editors' later corrections are never overwritten by ``make run``).
    """
    if only_if_empty and Source.objects.exists():
        return None
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise SeedError(f"cannot read {path}: {error}") from error
    with transaction.atomic():
        report = SeedLoader(data, path.parent / "sources").load()
        refresh_verifications()
        if dry_run:
            transaction.set_rollback(True)
    return report


# Anchors -------------------------------------------------------------------------------------


@dataclass
class AnchorReport:
    """What a check of citations against their sources' stored text found."""

    unchanged: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    broken: list = field(default_factory=list)

    @property
    def checked(self):
        return len(self.unchanged) + len(self.moved) + len(self.broken)


def _recheck(citations, *, dry_run=False):
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


def reanchor_source(source):
    """After a source's stored text changed: find every citation into it again.

    A citation whose passage is still there (by its exact words, chosen by context where they
    repeat) gets its new offsets; one that is gone is marked broken and kept, never deleted or
    moved onto other words. Quote verdicts are derived again.
    """
    with transaction.atomic():
        citations = list(Citation.objects.filter(source=source).order_by("pk"))
        for citation in citations:
            citation.source = source
        report = _recheck(citations)
        refresh_verifications(Quote.objects.filter(citations__source=source))
    return report


def check_all_anchors(*, dry_run=False):
    """Re-check every citation against its source's stored text (verify_citations)."""
    with transaction.atomic():
        citations = Citation.objects.select_related("source").order_by("source", "start", "pk")
        report = _recheck(list(citations), dry_run=dry_run)
        if not dry_run:
            refresh_verifications()
    return report


# Quote verdicts ------------------------------------------------------------------------------

_EDGE_PUNCTUATION = "\"'.,;:!?…"


def _words(text):
    """Text compared the way a reader would: equivalent quotes, dashes and spaces, any case."""
    return anchoring.normalise(text)[0].strip().strip(_EDGE_PUNCTUATION).strip().casefold()


def derive_verification(quote, citations, has_other_wordings):
    """verbatim, variant or unverified, from the quote's anchored citations.

    ``citations`` are the quote's citations with their sources; ``has_other_wordings`` says
    whether its statement holds other wordings reported by other sources.
    """
    words = _words(quote.text)
    printed = any(
        words and words in _words(citation.source.body)
        for citation in citations
        if citation.anchor_status == AnchorStatus.ANCHORED and citation.stance != "disputes"
    )
    if not printed:
        return Verification.UNVERIFIED
    if has_other_wordings:
        return Verification.VARIANT
    return Verification.VERBATIM


def refresh_verifications(quotes=None):
    """Derive the verdict of the given quotes (all by default) and of their statements' other
    wordings, saving those that changed. Returns how many changed."""
    if quotes is not None:
        statement_ids = set(quotes.exclude(statement=None).values_list("statement", flat=True))
        quote_ids = set(quotes.values_list("pk", flat=True))
        quotes = Quote.objects.filter(Q(pk__in=quote_ids) | Q(statement__in=statement_ids))
    else:
        quotes = Quote.objects.all()
    quotes = list(quotes.prefetch_related("citations__source"))
    wordings = {}
    for quote in (
        Quote.objects.exclude(statement=None)
        .prefetch_related("citations")
        .filter(statement__in={q.statement_id for q in quotes if q.statement_id})
    ):
        sources = {c.source_id for c in quote.citations.all()}
        wordings.setdefault(quote.statement_id, []).append((quote.pk, _words(quote.text), sources))
    changed = []
    for quote in quotes:
        citations = list(quote.citations.all())
        own_sources = {c.source_id for c in citations}
        words = _words(quote.text)
        others = any(
            pk != quote.pk and (text != words) and (sources - own_sources)
            for pk, text, sources in wordings.get(quote.statement_id, [])
        )
        verdict = derive_verification(quote, citations, others)
        if verdict != quote.verification:
            quote.verification = verdict
            changed.append(quote)
    Quote.objects.bulk_update(changed, ["verification"])
    return len(changed)


# Publication ---------------------------------------------------------------------------------


def publication_problem(record):
    """Why a record cannot be published yet, in an editor's words, or None."""
    if not isinstance(record, Quote | Claim):
        return None
    citations = list(record.citations.select_related("source"))
    if not citations:
        return "It cites no source: add the passage that supports it."
    broken = [c for c in citations if not c.is_anchored]
    if broken:
        return (
            f"{len(broken)} of its citations are not anchored in their source's text "
            f"(for example “{broken[0].exact[:60]}”): repair them first."
        )
    if not any(c.source.is_published for c in citations):
        return "None of the sources it cites is published: publish a source first."
    return None


def publish(records):
    """Publish each record that may be; return (published, [(record, reason), ...])."""
    published, refused = [], []
    with transaction.atomic():
        for record in records:
            if record.is_published:
                continue
            problem = publication_problem(record)
            if problem:
                refused.append((record, problem))
                continue
            record.state = PublicationState.PUBLISHED
            record.save()
            published.append(record)
    return published, refused


def unpublish(records):
    count = 0
    with transaction.atomic():
        for record in records:
            if record.is_published:
                record.state = PublicationState.DRAFT
                record.save()
                count += 1
    return count
