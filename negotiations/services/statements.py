"""Statements: putting wordings of one remark together, as the quote form offers when a new
quote's words are close to a recorded quote's (``negotiations.close_wordings``).

The recorded quote's statement takes the new quote in; where it has none, a new draft statement
groups both, its summary taken from the recorded wording for the editor to reword. Attaching the
recorded quote to that statement changes the recorded quote: a draft, or a published one when
the user may publish quotes (a reviewer), is changed at once; for an editor, a published quote's
change is proposed for review (``services.reviews``) and the public keeps seeing it as it is.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from ..models import PublicationState, Quote, Statement
from . import reviews

SLUG_LENGTH = 80


@dataclass(frozen=True)
class Grouping:
    statement: Statement
    created: bool  # a new statement was made for the two wordings
    other: Quote  # the recorded quote
    proposed: object = None  # the PendingChange putting a published ``other`` in the statement


def _unique_slug(speaker, summary, other):
    words = " ".join(summary.split()[:8])
    base = f"{slugify(f'{speaker.name} {words}')[:SLUG_LENGTH].strip('-')}-{other.pk}"
    slug, number = base, 1
    while Statement.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _new_statement(other):
    summary = Truncator(" ".join(other.text.split())).chars(
        Statement._meta.get_field("summary").max_length
    )
    return Statement.objects.create(
        speaker=other.speaker,
        summary=summary,
        slug=_unique_slug(other.speaker, summary, other),
        state=PublicationState.DRAFT,
    )


def group_wordings(*, quote, other, user):
    """Put ``quote`` (saved or new) in one statement with the recorded quote ``other``, and save
    it: ``other``'s statement, or a new draft one that ``other`` joins too, at once or, when it
    is published and ``user`` may not publish quotes, once a reviewer approves (see the module's
    docstring). Returns a ``Grouping``."""
    with transaction.atomic():
        other = (
            Quote.objects.select_for_update(of=("self",))
            .select_related("statement", "speaker")
            .get(pk=other.pk)
        )
        if quote.pk is not None and other.pk == quote.pk:
            raise ValidationError(_("A quote cannot be grouped with itself."))
        if other.speaker_id != quote.speaker_id:
            raise ValidationError(
                _("Quote #%(id)d is by %(other)s: wordings of one statement have one speaker.")
                % {"id": other.pk, "other": other.speaker.name}
            )
        statement, created = other.statement, other.statement is None
        if created:
            statement = _new_statement(other)
        if quote.statement_id != statement.pk:
            quote.statement = statement
            quote.save()
        proposed = None
        if created and reviews.needs_review(record=other, user=user):
            proposed = reviews.propose(
                record=other,
                data={"statement": [statement.pk]},
                user=user,
                note=_("Quote #%(id)d, a close wording, was put in this new statement.")
                % {"id": quote.pk},
            )
        elif created:
            other.statement = statement
            other.save()
        return Grouping(statement=statement, created=created, other=other, proposed=proposed)
