"""Keeping derived state right after any write: what a change sets off, in order.

The model receivers (``negotiations.receivers``) report what changed: a source's text or state,
a citation, a quote, a claim, a link between sources. ``derive`` then, in one pass:

1. stores the origins of the sources whose links changed,
2. re-anchors the citations of the sources whose text changed,
3. derives again the verdicts of the quotes and the statuses of the claims concerned,
4. refuses the write (``SupportError``) if a published record would rest on nothing, or a
   published quote would have a speaker who is not,
5. moves the facet counts of every quote, claim and source written or derived again
   (``services.facets``).

Inside ``deferred()`` (the seed loader, bulk services) the reports are collected and derived once
at the end, still inside the transaction; outside it, each write is derived at once. Every save
of a knowledge-base record runs in a transaction (``VersionedModel.save``), so a refusal leaves
nothing half-written.
"""

import contextlib
import contextvars
from dataclasses import dataclass, field

from ..models import Citation, Claim, Quote, Source
from . import anchors, facets, origins, statuses, support, verdicts


@dataclass
class Changes:
    quotes: set = field(default_factory=set)  # verdicts to derive
    claims: set = field(default_factory=set)  # statuses to derive
    texts: set = field(default_factory=set)  # sources whose text changed
    citations: set = field(default_factory=set)  # citations to find again in their source
    links: set = field(default_factory=set)  # sources whose origin links changed
    checked_quotes: set = field(default_factory=set)  # must still be supported
    checked_claims: set = field(default_factory=set)
    unpublished_speakers: set = field(default_factory=set)
    counted: dict = field(default_factory=dict)  # {facet subject: record ids} to count again
    reports: list = field(default_factory=list)  # AnchorReports, for whoever asked
    enforce: bool = True  # refuse what breaks the rule about published records

    def __bool__(self):
        return any(
            (self.quotes, self.claims, self.texts, self.links, self.citations)
            + (self.unpublished_speakers, any(self.counted.values()))
        )


_pending = contextvars.ContextVar("pending_derivation", default=None)


@contextlib.contextmanager
def deferred(*, enforce=True):
    """Collect what changes inside the block and derive it once at its end.

    ``enforce=False`` (repairs only): derive without refusing; the rules are reported by the
    integrity check instead.
    """
    if _pending.get() is not None:  # already collecting: the outer block derives
        yield _pending.get()
        return
    changes = Changes(enforce=enforce)
    token = _pending.set(changes)
    try:
        yield changes
        _pending.reset(token)
        token = None
        derive(changes)
    finally:
        if token is not None:
            _pending.reset(token)


def report(
    *,
    quotes=(),
    claims=(),
    texts=(),
    links=(),
    citations=(),
    check=False,
    unpublished_speakers=(),
    counted=None,
):
    """A change happened: derive what follows, now or at the end of ``deferred()``.

    ``check``: the quotes and claims named must still meet the rule about published records.
    ``counted``: {"quote"/"claim"/"source": ids} whose facet counts may have moved (quotes and
    claims whose verdicts are derived are counted again anyway).
    """
    changes = _pending.get()
    immediate = changes is None
    if immediate:
        changes = Changes()
    changes.quotes.update(q for q in quotes if q)
    changes.claims.update(c for c in claims if c)
    changes.texts.update(texts)
    changes.links.update(links)
    changes.citations.update(citations)
    changes.unpublished_speakers.update(unpublished_speakers)
    for subject, ids in (counted or {}).items():
        changes.counted.setdefault(subject, set()).update(pk for pk in ids if pk)
    if check:
        changes.checked_quotes.update(q for q in quotes if q)
        changes.checked_claims.update(c for c in claims if c)
    if immediate:
        derive(changes)
    return changes


def records_citing(source_ids):
    """(quote ids, claim ids) of the records citing these sources."""
    cited = Citation.objects.filter(source__in=source_ids).values_list("quote", "claim")
    quotes = {quote for quote, _claim in cited if quote}
    claims = {claim for _quote, claim in cited if claim}
    return quotes, claims


def derive(changes):
    if changes.links:
        moved = origins.refresh_origins(source_ids=changes.links)
        _quotes, claims = records_citing(moved)
        changes.claims |= claims
    if changes.texts:
        for source in Source.objects.filter(pk__in=changes.texts):
            result = anchors.reanchor_source(source=source)
            changes.reports.append((source, result))
            targets = [(c.quote_id, c.claim_id) for c in result.changed]
            moved_quotes = {q for q, _c in targets if q}
            moved_claims = {c for _q, c in targets if c}
            changes.quotes |= moved_quotes
            changes.claims |= moved_claims
            changes.checked_quotes |= moved_quotes
            changes.checked_claims |= moved_claims
    if changes.citations:
        found_again = anchors.recheck(
            Citation.objects.filter(pk__in=changes.citations).select_related("source")
        )
        targets = [(c.quote_id, c.claim_id) for c in found_again.changed]
        changes.quotes |= {q for q, _c in targets if q}
        changes.claims |= {c for _q, c in targets if c}
    if changes.quotes:
        verdicts.refresh_verifications(quotes=Quote.objects.filter(pk__in=changes.quotes))
    if changes.claims:
        statuses.refresh_claim_statuses(claims=Claim.objects.filter(pk__in=changes.claims))
    if changes.enforce:
        support.require_support(
            quote_ids=changes.checked_quotes,
            claim_ids=changes.checked_claims,
            speakers_of=changes.unpublished_speakers,
        )
    counted = {**changes.counted}
    counted["quote"] = counted.get("quote", set()) | changes.quotes
    counted["claim"] = counted.get("claim", set()) | changes.claims
    for subject, ids in counted.items():
        facets.refresh(subject, ids)
