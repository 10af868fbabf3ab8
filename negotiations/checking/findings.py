"""What the record says of each passage of a checked text: the verdict, the recorded quote it
rests on, and the words that differ.

Verdicts, from the strongest claim the record supports to none:

- **verbatim**: a recorded quote prints the passage's words, word for word (case and
  punctuation aside), from the official the text names (or the text names no official);
- **variant**: the closest recorded wording differs (``close_wordings.is_close``): the word
  diff and the number and negation checks say how;
- **misattributed**: the record has these words (or close ones) only from another official
  than the one the text names;
- **reported**: reported speech consistent with what the record has the named official
  saying: a wording (a paraphrase, or a quotation) or the summary of a statement, whose words
  it mostly shares; never called verbatim, since it quotes no words;
- **not_found**: no recorded quote is close. The record may simply not hold it: the verdict
  says what the record has, not whether it was said.
"""

import difflib
from dataclasses import dataclass, field

from .. import close_wordings, wording

# Reported speech keeps fewer of the speaker's words than a quotation: a paraphrase is
# consistent with a statement when this share of the shorter one's words line up with it.
REPORTED_COVERED = 0.6
REPORTED_RATIO = 0.5


@dataclass
class Match:
    quote: object
    likeness: wording.Likeness
    verbatim: bool
    citations: list = field(default_factory=list)


@dataclass
class Finding:
    passage: object  # quotations.Passage
    official: object | None  # the official the text names, where it names one plainly
    verdict: str
    match: Match | None = None


class Keys:
    """Word keys, computed once per text (a quote is a candidate of many passages)."""

    def __init__(self):
        self._cache = {}

    def __call__(self, text):
        keys = self._cache.get(text)
        if keys is None:
            keys = self._cache[text] = wording.word_keys(text)
        return keys


def _contains(longer, shorter):
    """Whether ``shorter`` runs word for word inside ``longer`` (lists of keys)."""
    n = len(shorter)
    if not n or n > len(longer):
        return False
    first = shorter[0]
    return any(
        longer[i : i + n] == shorter for i in range(len(longer) - n + 1) if longer[i] == first
    )


def _share_of(words, others):
    """The largest share of ``words`` found in order in one of ``others``."""
    best = 0
    for other in others:
        matcher = difflib.SequenceMatcher(None, words, other, autojunk=False)
        best = max(best, sum(block.size for block in matcher.get_matching_blocks()))
    return best / len(words) if words else 0.0


def _closeness(likeness):
    return (likeness.ratio, likeness.covered)


def judge(passage, official, quotes, keys):
    """The finding for ``passage``, attributed to ``official`` (or None), among the candidate
    ``quotes`` (exact hits first)."""
    words = keys(passage.words)
    own = (lambda quote: quote.speaker_id == official.pk) if official else (lambda quote: True)
    if passage.kind == "quotation":
        verbatim = [q for q in quotes if _contains(keys(q.text), words)]
        if verbatim:
            chosen = next((q for q in verbatim if own(q)), None)
            verdict = "verbatim" if chosen else "misattributed"
            chosen = chosen or verbatim[0]
            likeness = wording.likeness_of_keys(words, keys(chosen.text))
            return Finding(passage, official, verdict, Match(chosen, likeness, True))
    close = []
    for quote in quotes:
        likeness = wording.likeness_of_keys(words, keys(quote.text), at_least=0.5)
        if passage.kind == "reported":
            # Reported speech echoes the statement's summary as often as its wordings; and it
            # is consistent with what most of its own words are found in (a one-word partial
            # quote found in it says nothing).
            others = [keys(quote.text)] + ([keys(quote.summary)] if quote.summary else [])
            likeness = max(
                (wording.likeness_of_keys(words, other) for other in others), key=_closeness
            )
            near = likeness.ratio >= REPORTED_RATIO or _share_of(words, others) >= REPORTED_COVERED
        else:
            near = close_wordings.is_close(likeness)
        if near:
            close.append((likeness, quote))
    if not close:
        return Finding(passage, official, "not_found")
    close.sort(key=lambda found: (not own(found[1]), *(-x for x in _closeness(found[0]))))
    likeness, quote = close[0]
    if not own(quote):
        verdict = "misattributed"
    else:
        verdict = "reported" if passage.kind == "reported" else "variant"
    return Finding(passage, official, verdict, Match(quote, likeness, False))
