"""Loading the seed knowledge base (``knowledge_base.toml`` beside this module, and the articles
in ``sources/``): idempotent, all or nothing, every citation anchored on the way in."""

from __future__ import annotations

import datetime
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..models import (
    AgendaItem,
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
)
from ..services.verdicts import refresh_verifications

SEED_DIR = Path(__file__).resolve().parent
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
        # The database checks the constraints on save; validating them here as well would cost
        # a query per constraint per row (most of the load on PostgreSQL).
        instance.full_clean(validate_constraints=False)
        instance.save()  # inside load_seed's transaction: a refused row rolls back the load
    except (ValidationError, IntegrityError) as error:
        raise SeedError(f"{model.__name__} {lookup}: {error}") from error
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
