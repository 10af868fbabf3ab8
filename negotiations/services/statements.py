"""Statements: putting wordings of one remark together, as the quote form offers when a new
quote's words are close to a recorded quote's (``negotiations.close_wordings``).

The recorded quote's statement takes the new quote in; where it has none, a new draft statement
groups both, its summary taken from the recorded wording for the editor to reword. Attaching the
recorded quote to that statement changes the recorded quote: a draft is changed at once; a
published quote is a public record, whose changes a reviewer approves, so it is left as it is and
the editor is told to ask a reviewer.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _

from ..models import PublicationState, Quote, Statement

SLUG_LENGTH = 80


@dataclass(frozen=True)
class Grouping:
    statement: Statement
    created: bool  # a new statement was made for the two wordings
    other: Quote  # the recorded quote
    other_left: bool  # the recorded quote is published: left for a reviewer to attach


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


def group_wordings(*, quote, other):
    """Put ``quote`` (saved or new) in one statement with the recorded quote ``other``, and save
    it: ``other``'s statement, or a new draft one that ``other`` joins too unless it is
    published (see the module's docstring). Returns a ``Grouping``."""
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
        created, left = False, False
        statement = other.statement
        if statement is None:
            statement, created = _new_statement(other), True
            if other.is_published:
                left = True
            else:
                other.statement = statement
                other.save()
        if quote.statement_id != statement.pk:
            quote.statement = statement
            quote.save()
        return Grouping(statement=statement, created=created, other=other, other_left=left)
