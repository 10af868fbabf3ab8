"""A speaker's recorded wordings close to a new one: what the quote form offers while an editor
types, so that variants of one statement are grouped as they are entered, not found later.

A speaker may have tens of thousands of quotes at a million: they are never all read. The
search index picks at most ``CANDIDATES`` of them, in two queries whatever the speaker's size:

1. how many of the speaker's quotes hold each word of the new text, each counted no further
   than ``CANDIDATES`` + 1 (one query for all the words, ``search.count_each``);
2. the quotes holding any of the new text's rarest words: as many of the rarest as together
   fit in ``CANDIDATES``. When even the rarest is held by more, the quotes holding every word
   the speaker has used (at most ``CANDIDATES`` of them).

Each query also asks for the words of the speaker's name, which every document of theirs holds:
the index then reads only the speaker's quotes that hold a word, not everyone's.

The candidates are then compared word by word (``wording.likeness``), and the closest few
returned with their word diff and what materially differs (numbers, negations). A wording that
shares none of the rarest words of the new one is not offered: a close wording shares most.
"""

from dataclasses import dataclass

from django.db.models import F

from . import search, wording
from .models import Quote

CANDIDATES = 200  # quotes compared word by word, at most
MIN_WORDS = 4  # fewer typed words say too little to compare
MAX_LENGTH = 5_000  # characters of a typed text (the longest recorded quote is far shorter)
CLOSE_RATIO = 0.6  # share of both wordings' words lining up
CLOSE_COVERED = 0.9  # share of the shorter's words in the longer (a partial quote of it)
SHOWN = 3


@dataclass(frozen=True)
class CloseWording:
    """A recorded quote close to the new text: how alike, and the word diff (``here`` is the
    new text, ``there`` the recorded quote)."""

    quote: Quote
    likeness: wording.Likeness
    pieces: list[wording.Piece]
    notes: list[str]


def is_close(likeness):
    return likeness.ratio >= CLOSE_RATIO or (
        likeness.covered >= CLOSE_COVERED and likeness.shorter >= MIN_WORDS
    )


def candidates(*, speaker, text, exclude=None):
    """At most ``CANDIDATES`` of ``speaker``'s quotes (with their statements) that may be close
    to ``text``, picked by the search index (see the module's docstring); not ``exclude``."""
    terms = search.words(text)
    if not terms:
        return Quote.objects.none()
    document = search.document_for(Quote)
    name = tuple((term,) for term in search.words(speaker.name))
    own = Quote.objects.filter(speaker=speaker)
    if exclude is not None:
        own = own.exclude(pk=exclude)

    def holding(*groups):
        query = search.Query((*groups, *name))
        return own.filter(search.SearchMatch(document, query, F("pk")))

    counts = search.count_each([holding((term,)) for term in terms], CANDIDATES)
    used = sorted((count, index) for index, count in enumerate(counts) if count)
    if not used:
        return Quote.objects.none()
    rarest, total = [], 0
    for count, index in used:
        if total + count > CANDIDATES:
            break
        rarest.append(terms[index])
        total += count
    found = holding(tuple(rarest)) if rarest else holding(*((terms[i],) for _c, i in used))
    return found.select_related("statement").order_by()[:CANDIDATES]


def close_wordings(*, speaker, text, exclude=None, shown=SHOWN):
    """The ``shown`` recorded quotes of ``speaker`` closest to ``text`` (closest first), among
    those close enough (``is_close``); none for a text of fewer than ``MIN_WORDS`` words."""
    if len(wording.word_keys(text)) < MIN_WORDS:
        return []
    at_least = min(CLOSE_RATIO, CLOSE_COVERED)
    close = []
    for quote in candidates(speaker=speaker, text=text, exclude=exclude):
        likeness = wording.likeness(text, quote.text, at_least=at_least)
        if is_close(likeness):
            close.append((likeness, quote))
    close.sort(key=lambda found: (-found[0].ratio, -found[0].covered, -found[1].pk))
    return [
        CloseWording(
            quote=quote,
            likeness=likeness,
            pieces=wording.word_diff(text, quote.text),
            notes=wording.material_differences(text, quote.text),
        )
        for likeness, quote in close[:shown]
    ]
