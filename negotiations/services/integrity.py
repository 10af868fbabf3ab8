"""The integrity check: everything derived is derived again and compared with what is stored,
and the rules about published records are checked, down to what the public pages show.

``violations()`` yields each problem; ``repair()`` derives everything again and stores it.
``manage.py check_integrity`` wraps both.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.test import Client
from django.urls import reverse

from ..models import (
    AnchorStatus,
    Citation,
    Claim,
    Official,
    PublicationState,
    Quote,
    Round,
    Source,
    Statement,
    StickingPoint,
)
from . import anchors, changes, derivation, facets, origins, statuses, support, verdicts

PUBLIC_LISTS = [
    "quote-list",
    "claim-list",
    "round-list",
    "issue-list",
    "official-list",
    "source-list",
]
CHUNK = 200


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def __str__(self):
        return f"{self.rule}: {self.message}"


def _anchors(*, strict):
    sources = Source.objects.prefetch_related("citations").order_by("pk")
    for source in sources.iterator(chunk_size=CHUNK):
        for citation in source.citations.all():
            citation.source = source
            at_place = source.body[citation.start : citation.end] == citation.exact
            if citation.anchor_status == AnchorStatus.ANCHORED and not at_place:
                yield Violation(
                    "anchor",
                    f"citation {citation.pk} is marked anchored but “{citation.exact[:60]}” is "
                    f"not at {citation.start}–{citation.end} of {source.slug}",
                )
            elif citation.anchor_status == AnchorStatus.ANCHORED:
                outcome, _anchor = anchors.relocate(citation)
                if outcome != "unchanged":
                    yield Violation("anchor", f"citation {citation.pk} would be {outcome}")
            elif strict:
                yield Violation(
                    "anchor",
                    f"citation {citation.pk} of {source.slug} is "
                    f"{citation.get_anchor_status_display().lower()}: “{citation.exact[:60]}”",
                )


def _derived():
    for quote, verdict in verdicts.derive_verifications(Quote.objects.all()).items():
        if quote.verification != verdict:
            yield Violation(
                "verdict",
                f"quote {quote.pk} is stored as {quote.verification} but derives as {verdict}",
            )
    for claim, (status, origins_count) in statuses.derive_statuses(Claim.objects.all()).items():
        if (claim.status, claim.independent_sources) != (status, origins_count):
            yield Violation(
                "status",
                f"claim {claim.pk} is stored as {claim.status} ({claim.independent_sources} "
                f"origins) but derives as {status} ({origins_count})",
            )
    fresh = origins.fresh_origins()
    for pk, stored in Source.objects.values_list("pk", "origin"):
        if stored != fresh[pk]:
            yield Violation("origin", f"source {pk} has origin {stored}, should be {fresh[pk]}")
    for pk in sorted(origins.derivation_cycles()):
        yield Violation("derivation", f"source {pk} derives from itself through others")
    for pk in Source.derived_from.through.objects.filter(from_source=F("to_source")).values_list(
        "from_source", flat=True
    ):
        yield Violation("derivation", f"source {pk} derives from itself")
    for problem in facets.discrepancies():
        yield Violation("facets", f"facet count: {problem}")


def _published_rules():
    published = PublicationState.PUBLISHED
    quote_ids = Quote.objects.filter(state=published).values_list("pk", flat=True)
    claim_ids = Claim.objects.filter(state=published).values_list("pk", flat=True)
    for record in support.unsupported(quote_ids=list(quote_ids), claim_ids=list(claim_ids)):
        yield Violation(
            "support",
            f"published {support.describe(record)} ({record.pk}) rests on no anchored passage "
            "of a published source",
        )
    for quote in support.quotes_of_draft_speakers():
        yield Violation(
            "speaker",
            f"published quote {quote.pk} is by {quote.speaker.name}, who is not published",
        )


# What the public sees ------------------------------------------------------------------------


def _draft_marks():
    """For every draft record: its address and slug, and the names that would betray it (a
    quote's or claim's words may rightly stand in a source's text: only its address counts)."""
    drafts = []
    for model, names in (
        (Source, ["title"]),
        (Official, ["name"]),
        (StickingPoint, ["name"]),
        (Round, ["title"]),
        (Statement, ["summary"]),
        (Quote, []),
        (Claim, []),
    ):
        for record in model.objects.exclude(state=PublicationState.PUBLISHED):
            url = record.get_absolute_url() if hasattr(record, "get_absolute_url") else None
            words = [getattr(record, name) for name in names]
            drafts.append((record, url, getattr(record, "slug", None), words))
    return drafts


def _pages(per_type=None):
    """The public pages, lists and exports to look through (``per_type``: at most that many
    records' pages of each kind)."""
    yield reverse("negotiations:home")
    yield reverse("negotiations:integrity")
    for name in PUBLIC_LISTS:
        path = reverse(f"negotiations:{name}")
        yield from (path, f"{path}?format=json", f"{path}?format=csv")
    published = PublicationState.PUBLISHED
    for model in (Source, Official, StickingPoint, Round, Quote, Claim):
        records = model.objects.filter(state=published).order_by("pk")
        if per_type is not None:
            records = records[:per_type]
        for record in records.iterator(chunk_size=CHUNK):
            path = record.get_absolute_url()
            yield from (path, f"{path}?format=json")


def _client():
    hosts = [h for h in settings.ALLOWED_HOSTS if h and "*" not in h]
    host = hosts[0].lstrip(".") if hosts else "localhost"
    return Client(HTTP_HOST=host), not settings.DEBUG


def _public_output(per_type=None):
    drafts = _draft_marks()
    if not drafts:
        return
    client, secure = _client()
    for path in _pages(per_type):
        response = client.get(path, secure=secure)
        if response.status_code != 200:
            yield Violation("public", f"{path} answered {response.status_code}")
            continue
        text = response.getvalue().decode("utf-8-sig", errors="replace")  # CSV is streamed
        for record, url, slug, words in drafts:
            shown = None
            if url and url in text:
                shown = url
            elif slug and re.search(rf'[="]{re.escape(slug)}["&]', text):
                shown = slug
            else:
                # A name as a whole JSON value or a whole link's text, not inside other words.
                shown = next(
                    (w for w in words if w and (f'": "{w}"' in text or f">{w}</a>" in text)),
                    None,
                )
            if shown:
                yield Violation(
                    "public",
                    f"{path} shows draft {record._meta.verbose_name} {record.pk} (“{shown[:60]}”)",
                )


def violations(*, strict=False, crawl=True, pages_per_type=None):
    """Every problem found, rule by rule. ``strict``: citations that are broken or need review
    count too (the seed must have none); ``crawl``: look through the public output (every
    list, and ``pages_per_type`` records' pages of each kind, all by default)."""
    yield from _anchors(strict=strict)
    yield from _derived()
    yield from _published_rules()
    if crawl:
        yield from _public_output(pages_per_type)


def repair():
    """Derive everything again and store it: origins, anchors, verdicts, statuses. The rules
    about published records are reported, not repaired: they need a reviewer's decision."""
    with transaction.atomic(), derivation.deferred(enforce=False):
        origins.refresh_all_origins()
        derivation.report(
            texts=set(Citation.objects.values_list("source", flat=True).distinct()),
            quotes=set(Quote.objects.values_list("pk", flat=True)),
            claims=set(Claim.objects.values_list("pk", flat=True)),
        )
    # Outside the deferred block, so that the counts are taken after everything derived.
    with transaction.atomic():
        facets.rebuild()
        changes.note_change()  # written with bulk_update: cached pages are left behind
