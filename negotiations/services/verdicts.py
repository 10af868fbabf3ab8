"""Quote verdicts: verbatim, variant or unverified, derived from a quote's anchored citations and
its statement's other wordings; stored on the quote, never typed."""

from django.db.models import Q

from .. import anchoring
from ..models import AnchorStatus, Quote, Stance, Verification

_EDGE_PUNCTUATION = "\"'.,;:!?…"


def _words(text):
    """Text compared the way a reader would: equivalent quotes, dashes and spaces, any case."""
    return anchoring.normalise(text)[0].strip().strip(_EDGE_PUNCTUATION).strip().casefold()


def derive_verification(*, quote, citations, has_other_wordings):
    """verbatim, variant or unverified, from the quote's anchored citations.

    ``citations`` are the quote's citations with their sources; ``has_other_wordings`` says
    whether its statement holds other wordings reported by other sources.
    """
    words = _words(quote.text)
    printed = any(
        words and words in _words(citation.source.body)
        for citation in citations
        if citation.anchor_status == AnchorStatus.ANCHORED and citation.stance != Stance.DISPUTES
    )
    if not printed:
        return Verification.UNVERIFIED
    if has_other_wordings:
        return Verification.VARIANT
    return Verification.VERBATIM


def refresh_verifications(*, quotes=None):
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
        verdict = derive_verification(quote=quote, citations=citations, has_other_wordings=others)
        if verdict != quote.verification:
            quote.verification = verdict
            changed.append(quote)
    Quote.objects.bulk_update(changed, ["verification"])
    return len(changed)
