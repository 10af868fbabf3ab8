"""Publishing: a record goes public only through a reviewer's action, and a quote or claim only
once it rests on anchored citations of a published source."""

from django.db import transaction

from ..models import Claim, PublicationState, Quote


def publication_problem(*, record):
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


def publish(*, records):
    """Publish each record that may be; return (published, [(record, reason), ...])."""
    published, refused = [], []
    with transaction.atomic():
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


def unpublish(*, records):
    """Make published records drafts again; return how many changed."""
    count = 0
    with transaction.atomic():
        for record in records:
            if record.is_published:
                record.state = PublicationState.DRAFT
                record.save()
                count += 1
    return count
