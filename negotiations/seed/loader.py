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
from ..services import changes, derivation

SEED_DIR = Path(__file__).resolve().parent
SEED_FILE = SEED_DIR / "knowledge_base.toml"


class SeedError(Exception):
    """The seed file says something the knowledge base cannot hold; nothing was loaded."""


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)

    def count(self, model, outcome, n=1):
        getattr(self, outcome)[model._meta.verbose_name_plural] += n

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deleted)

    def lines(self):
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        for name in names:
            yield (
                f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
                f"{self.unchanged[name]} unchanged, {self.deleted[name]} deleted"
            )


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _upsert(report, model, lookup, values, *, legacy=None):
    """Create the row, or bring an existing one in line, saving only when something differs.

    ``legacy``: how a row loaded before seed keys existed is found, to be adopted (given the
    key) rather than duplicated.
    """
    instance = model.objects.filter(**lookup).first()
    adopted = False
    if instance is None and legacy:
        instance = model.objects.filter(**legacy, seed_key="").first()
        adopted = instance is not None
    if instance is None:
        instance = model(**lookup, **values)
        outcome = "created"
    else:
        differs = {
            name: value for name, value in values.items() if getattr(instance, name) != value
        }
        if adopted:
            differs.update(lookup)
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
        self.keys = set()  # the seed keys of every quote, claim and citation loaded

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
            for relation in ("derived_from", "same_report_as"):
                others = [
                    _lookup(self.sources, "source", slug, entry["slug"])
                    for slug in entry.get(relation, [])
                ]
                # same_report_as is symmetric: a link given on either side is kept.
                if relation == "same_report_as":
                    others += [
                        self.sources[other["slug"]]
                        for other in self.data.get("sources", [])
                        if entry["slug"] in other.get(relation, [])
                    ]
                _set_many(self.sources[entry["slug"]], relation, others)
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
        self.remove_what_the_seed_no_longer_holds()
        return self.report

    def remove_what_the_seed_no_longer_holds(self):
        """Seed records (those with a seed key) whose key the file no longer holds: a corrected
        seed replaces them rather than keeping them beside their correction."""
        for model in (Citation, Quote, Claim):
            stale = model.objects.exclude(seed_key="").exclude(seed_key__in=self.keys)
            count = stale.count()
            if count:
                stale.delete()
                self.report.count(model, "deleted", count)

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
            key = f"agenda:{entry['slug']}/{item['sticking_point']}"
            self.load_citations(item, key, agenda_item=agenda_item)
        self.remove_what_the_round_no_longer_holds(round_, entry)

    def remove_what_the_round_no_longer_holds(self, round_, entry):
        """Participants and agenda items of a seed round that the file no longer lists. An
        agenda item an editor gave citations of their own is kept."""
        officials = [p["official"] for p in entry.get("participants", [])]
        stale = round_.participants.exclude(official__slug__in=officials)
        if count := stale.count():
            stale.delete()
            self.report.count(Participant, "deleted", count)
        issues = [item["sticking_point"] for item in entry.get("agenda", [])]
        stale = round_.agenda_items.exclude(sticking_point__slug__in=issues).exclude(
            citations__seed_key=""
        )
        if count := stale.count():
            stale.delete()
            self.report.count(AgendaItem, "deleted", count)

    def record_key(self, kind, entry):
        if not entry.get("key"):
            raise SeedError(f"{kind} “{entry['text'][:40]}”: every {kind} needs a unique key.")
        key = f"{kind}:{entry['key']}"
        if key in self.keys:
            raise SeedError(f"{kind} key “{entry['key']}” is used twice.")
        self.keys.add(key)
        return key

    def load_quote(self, entry):
        where = f"quote “{entry['text'][:40]}”"
        key = self.record_key("quote", entry)
        speaker = _lookup(self.officials, "official", entry["speaker"], where)
        quote = _upsert(
            self.report,
            Quote,
            {"seed_key": key},
            {
                "text": entry["text"],
                "speaker": speaker,
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
            legacy={"speaker": speaker, "text": entry["text"]},
        )
        _set_many(
            quote,
            "sticking_points",
            [
                _lookup(self.issues, "sticking point", s, where)
                for s in entry.get("sticking_points", [])
            ],
        )
        self.load_citations(entry, key, quote=quote)

    def load_claim(self, entry):
        where = f"claim “{entry['text'][:40]}”"
        key = self.record_key("claim", entry)
        value = entry.get("value")
        claim = _upsert(
            self.report,
            Claim,
            {"seed_key": key},
            {
                "text": entry["text"],
                "round": _lookup(self.rounds, "round", entry["round"], where)
                if entry.get("round")
                else None,
                "value": Decimal(str(value)).quantize(Decimal("0.0001"))
                if value is not None
                else None,
                "unit": entry.get("unit", ""),
                "value_qualifier": entry.get("qualifier", "exact") if value is not None else "",
                "measure": entry.get("measure", ""),
                "as_of": _date(entry.get("as_of")),
                "as_of_precision": entry.get("as_of_precision", DatePrecision.UNKNOWN),
                "state": PublicationState.PUBLISHED,
            },
            legacy={"text": entry["text"]},
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
        self.load_citations(entry, key, claim=claim)

    def load_citations(self, entry, record_key, **target):
        """The record's citations, each keyed by the record, its source and its place among
        that source's citations of the record: a corrected passage updates its citation."""
        if not entry.get("citations"):
            raise SeedError(f"{next(iter(target.values()))}: every record needs a citation.")
        per_source = Counter()
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
            key = f"{record_key}/{source.slug}/{per_source[source.slug]}"
            per_source[source.slug] += 1
            self.keys.add(key)
            _upsert(
                self.report,
                Citation,
                {"seed_key": key},
                {
                    "source": source,
                    **target,
                    "start": citation.start,
                    "end": citation.end,
                    "anchor_status": citation.anchor_status,
                    "exact": citation.exact,
                    "prefix": citation.prefix,
                    "suffix": citation.suffix,
                    "stance": cited.get("stance", "supports"),
                    "note": cited.get("note", ""),
                },
                legacy={"source": source, "start": citation.start, "end": citation.end, **target},
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
        try:
            # Verdicts, statuses and origins are derived once, when everything is loaded.
            with derivation.deferred():
                report = SeedLoader(data, path.parent / "sources").load()
        except ValidationError as error:
            raise SeedError(" ".join(error.messages)) from error
        if report.changed:
            changes.note_change()  # cached pages are left behind at the commit
        if dry_run:
            transaction.set_rollback(True)
    return report
