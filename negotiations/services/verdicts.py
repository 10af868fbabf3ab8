"""Quote verdicts: verbatim, variant, reporter's words or unverified, derived from a quote's
citations and its statement's other wordings; stored on the quote, never typed.

Only what a reader can check counts: citations whose passage is still at its place in the text
(anchored), that do not dispute the quote, into published sources; and other wordings that are
published. The verdict rests on the cited passage, not on the whole article:

- a paraphrase (the reporter's words) is ``reported`` when its words are in a cited passage,
  and never ``verbatim``;
- a direct or partial quote is ``verbatim`` only when its words stand inside quotation marks
  in a cited passage (words found only in the narration are not the speaker's), and
  ``variant`` when its statement also has other published wordings, quoted by other sources;
- anything else is ``unverified``.
"""

from collections import defaultdict

from .. import anchoring
from ..models import PublicationState, Quote, QuoteKind, Stance, Verification

_EDGE_PUNCTUATION = "\"'.,;:!?…"
QUOTED_KINDS = (QuoteKind.DIRECT, QuoteKind.PARTIAL)


def _words(text):
    """Text compared the way a reader would: equivalent quotes, dashes and spaces, any case."""
    return anchoring.normalise(text)[0].strip().strip(_EDGE_PUNCTUATION).strip().casefold()


def counting_citations(quote):
    """The quote's (prefetched) citations a reader can check and that do not dispute it."""
    return [
        c
        for c in quote.citations.all()
        if c.stance != Stance.DISPUTES and c.source.is_published and c.is_anchored
    ]


def _in_passage(quote, citation, *, quoted):
    """Whether the quote's words are in the citation's passage (inside quotation marks)."""
    words = anchoring.normalise(quote.text)[0].strip().strip(_EDGE_PUNCTUATION).strip()
    body = citation.source.body
    for start, end in anchoring.find_words(body, words, citation.start, citation.end):
        if not quoted or anchoring.stands_in_quotation_marks(body, start, end):
            return True
    return False


def derive_verification(*, quote, citations, other_wordings):
    """The verdict of ``quote`` from its counting ``citations`` (with their sources) and
    whether its statement has ``other_wordings`` quoted by other sources."""
    if quote.kind not in QUOTED_KINDS:
        found = any(_in_passage(quote, c, quoted=False) for c in citations)
        return Verification.REPORTED if found else Verification.UNVERIFIED
    if not any(_in_passage(quote, c, quoted=True) for c in citations):
        return Verification.UNVERIFIED
    return Verification.VARIANT if other_wordings else Verification.VERBATIM


def affected_quotes(quote_ids):
    """The quotes themselves and every quote sharing a statement with them: a wording's
    verdict depends on its statement's other wordings."""
    statements = set(
        Quote.objects.filter(pk__in=quote_ids)
        .exclude(statement=None)
        .values_list("statement", flat=True)
    )
    quotes = Quote.objects.filter(pk__in=quote_ids)
    if statements:
        quotes = quotes | Quote.objects.filter(statement__in=statements)
    return quotes


def derive_verifications(quotes):
    """{quote: fresh verdict} for the given quotes (a QuerySet), read-only."""
    quotes = list(quotes.prefetch_related("citations__source"))
    # Published direct or partial wordings of each statement, with the sources they rest on.
    wordings = defaultdict(list)
    statement_ids = {q.statement_id for q in quotes if q.statement_id}
    siblings = Quote.objects.filter(
        statement__in=statement_ids, state=PublicationState.PUBLISHED, kind__in=QUOTED_KINDS
    ).prefetch_related("citations__source")
    for sibling in siblings:
        sources = {c.source_id for c in counting_citations(sibling)}
        wordings[sibling.statement_id].append((sibling.pk, _words(sibling.text), sources))
    fresh = {}
    for quote in quotes:
        citations = counting_citations(quote)
        own_sources = {c.source_id for c in citations}
        words = _words(quote.text)
        others = any(
            pk != quote.pk and text != words and sources - own_sources
            for pk, text, sources in wordings.get(quote.statement_id, [])
        )
        fresh[quote] = derive_verification(quote=quote, citations=citations, other_wordings=others)
    return fresh


def refresh_verifications(*, quotes=None):
    """Derive the verdict of the given quotes (a QuerySet; all by default) and of their
    statements' other wordings, saving those that changed. Returns how many changed."""
    if quotes is not None:
        quotes = affected_quotes(set(quotes.values_list("pk", flat=True)))
    else:
        quotes = Quote.objects.all()
    changed = []
    for quote, verdict in derive_verifications(quotes).items():
        if verdict != quote.verification:
            quote.verification = verdict
            changed.append(quote)
    Quote.objects.bulk_update(changed, ["verification"])
    return len(changed)
