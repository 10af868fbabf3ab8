"""Publishing: a record goes public only through a reviewer's action, and a quote or claim only
once it rests on anchored citations of a published source (and a quote's speaker is published).

Unpublishing a source or an official takes out of public view, with it, the quotes and claims
that would otherwise rest on nothing or stand under an unpublished speaker; the reviewer is told
which.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Claim, Official, PublicationState, Quote, Source
from . import derivation, support


def publication_problem(*, record):
    """Why a record cannot be published yet, in an editor's words, or None."""
    if isinstance(record, Quote) and not record.speaker.is_published:
        return _("Its speaker, %(speaker)s, is not published: publish the official first.") % {
            "speaker": record.speaker.name
        }
    if not isinstance(record, Quote | Claim):
        return None
    citations = list(record.citations.select_related("source"))
    if not citations:
        return _("It cites no source: add the passage that supports it.")
    unanchored = [c for c in citations if not c.is_anchored]
    if unanchored:
        return _(
            "%(n)d of its citations are not anchored in their source's text (for example "
            "“%(exact)s”): repair them first."
        ) % {"n": len(unanchored), "exact": unanchored[0].exact[:60]}
    if not any(c.source.is_published for c in citations):
        return _("None of the sources it cites is published: publish a source first.")
    return None


def publish(*, records):
    """Publish each record that may be; return (published, [(record, reason), ...])."""
    published, refused = [], []
    with transaction.atomic(), derivation.deferred():
        for record in records:
            if record.is_published:
                continue
            problem = publication_problem(record=record)
            if problem:
                refused.append((record, problem))
                continue
            record.state = PublicationState.PUBLISHED
            record.save()
            published.append(record)
    return published, refused


def dependents(record):
    """The published quotes and claims that cannot stay public without ``record``."""
    if isinstance(record, Source):
        return support.resting_on(sources=[record.pk])
    if isinstance(record, Official):
        return list(Quote.objects.published().filter(speaker=record))
    return []


def unpublish(*, records):
    """Make published records drafts again, with the records that rest on them; return
    (how many of ``records`` changed, [the records taken down with them])."""
    count, along = 0, []
    with transaction.atomic(), derivation.deferred():
        for record in records:
            if not record.is_published:
                continue
            for dependent in dependents(record):
                if dependent.is_published:
                    dependent.state = PublicationState.DRAFT
                    dependent.save()
                    along.append(dependent)
            record.state = PublicationState.DRAFT
            record.save()
            count += 1
    return count, along
