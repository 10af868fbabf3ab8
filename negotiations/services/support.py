"""What published records rest on, and the rule that holds on every write: a published quote
or claim rests on at least one anchored citation into a published source, and a published
quote's speaker is published.

A write that would break the rule is refused (``SupportError``, a ValidationError naming the
records); a reviewer who unpublishes a source or an official takes the records that rest on
it out of public view with it (``publishing.unpublish``).
"""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..models import AnchorStatus, Citation, Claim, PublicationState, Quote

PUBLISHED = PublicationState.PUBLISHED


class SupportError(ValidationError):
    """A write would leave published records without what they must rest on."""


def _anchored_citations(**filters):
    return Citation.objects.filter(
        anchor_status=AnchorStatus.ANCHORED, source__state=PUBLISHED, **filters
    )


def describe(record):
    """A record in an editor's words: its kind and its text (a quote's, a claim's) or name."""
    kind = record._meta.verbose_name
    return f"{kind} “{Truncator(getattr(record, 'text', None) or str(record)).chars(70)}”"


def unsupported(*, quote_ids=(), claim_ids=(), lost_citations=(), lost_sources=()):
    """The published quotes and claims among the given ids with no anchored citation into a
    published source, were ``lost_citations`` and ``lost_sources`` (ids) not to count."""
    found = []
    for model, field, ids in ((Quote, "quote", quote_ids), (Claim, "claim", claim_ids)):
        if not ids:
            continue
        support = (
            _anchored_citations(**{field: OuterRef("pk")})
            .exclude(pk__in=lost_citations)
            .exclude(source__in=lost_sources)
        )
        found += list(model.objects.filter(pk__in=ids, state=PUBLISHED).exclude(Exists(support)))
    return found


def resting_on(*, citations=(), sources=()):
    """Published quotes and claims that would be left unsupported if these citations (ids)
    stopped counting, or these sources (ids) were unpublished."""
    cited = Citation.objects.filter(pk__in=citations) | Citation.objects.filter(source__in=sources)
    targets = cited.values_list("quote", "claim").distinct()
    quote_ids = {quote for quote, _claim in targets if quote}
    claim_ids = {claim for _quote, claim in targets if claim}
    return unsupported(
        quote_ids=quote_ids, claim_ids=claim_ids, lost_citations=citations, lost_sources=sources
    )


def quotes_of_draft_speakers(*, quote_ids=None, official_ids=None):
    quotes = Quote.objects.filter(state=PUBLISHED).exclude(speaker__state=PUBLISHED)
    if quote_ids is not None:
        quotes = quotes.filter(pk__in=quote_ids)
    if official_ids is not None:
        quotes = quotes.filter(speaker__in=official_ids)
    return list(quotes.select_related("speaker"))


def require_support(*, quote_ids=(), claim_ids=(), speakers_of=(), action=None):
    """Refuse (SupportError) if any of these published records lacks an anchored citation
    into a published source, or any published quote by these officials (or among the quotes)
    has a speaker who is not published."""
    problems = [
        _("%(record)s would rest on no passage of a published source")
        % {"record": describe(record)}
        for record in unsupported(quote_ids=quote_ids, claim_ids=claim_ids)
    ]
    problems += [
        _("%(record)s would be published under a speaker who is not: %(speaker)s")
        % {"record": describe(quote), "speaker": quote.speaker.name}
        for quote in quotes_of_draft_speakers(quote_ids=quote_ids)
        + (quotes_of_draft_speakers(official_ids=speakers_of) if speakers_of else [])
    ]
    if problems:
        unique = list(dict.fromkeys(problems))
        raise SupportError(
            _("Not saved: %(problems)s. %(remedy)s")
            % {
                "problems": "; ".join(unique),
                "remedy": action
                or _("Keep what they rest on, or have a reviewer unpublish them first."),
            }
        )
