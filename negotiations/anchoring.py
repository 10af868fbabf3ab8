"""Find a pasted passage in a stored text and describe where it is.

Anchors follow the W3C Web Annotation model: a TextQuoteSelector (exact text with a little
prefix and suffix context) plus a TextPositionSelector (start and end offsets into the stored
text). Pure text work with no Django imports, so the integrity rules can be tested on their own.

A passage is also described for browsers as a URL text fragment (``#:~:text=``), so a link to
the original article can scroll to it.

Matching is tolerant of the differences that copy and paste introduces (runs of whitespace,
curly versus straight quotes, dash variants, non-breaking spaces) but the stored anchor always
points at the source's own characters.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from urllib.parse import quote

CONTEXT_LENGTH = 32

# Characters that readers type or paste interchangeably. Every value is a single character so
# that a normalised text keeps a one-to-one map back to the original offsets.
_EQUIVALENTS = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark, apostrophe
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",
    "\u2212": "-",  # minus sign
    "\u2026": ".",  # ellipsis, compared as a single full stop
}


class AnchorError(ValueError):
    """A passage could not be anchored; the message says why in an editor's words."""


class PassageNotFound(AnchorError):
    def __init__(self, passage: str, closest: str = ""):
        self.passage = passage
        self.closest = closest
        message = "This passage does not appear in the source's stored text."
        if closest:
            message += f" The closest passage found is: “{closest}”."
        super().__init__(message)


class AmbiguousPassage(AnchorError):
    def __init__(self, passage: str, occurrences: int):
        self.passage = passage
        self.occurrences = occurrences
        super().__init__(
            f"This passage occurs {occurrences} times in the source. Give a few words of the "
            "text just before it (prefix) or just after it (suffix) to say which one is meant."
        )


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def _fold(char: str) -> str:
    if char.isspace():
        return " "
    return _EQUIVALENTS.get(char, char)


@functools.lru_cache(maxsize=32)
def normalise(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold equivalent characters and collapse whitespace runs, case kept.

    Returns the normalised text and, for each of its characters, the offset of the character
    in ``text`` it came from, with one extra entry for the end of the text. Cached: citations
    into one source normalise the same body again and again.
    """
    chars: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        folded = _fold(char)
        if folded == " " and chars and chars[-1] == " ":
            continue
        chars.append(folded)
        offsets.append(index)
    offsets.append(len(text))
    return "".join(chars), tuple(offsets)


def _normalised_passage(passage: str) -> str:
    return normalise(passage)[0].strip()


def _occurrences(haystack: str, needle: str) -> list[int]:
    found = []
    position = haystack.find(needle)
    while position != -1:
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def _context_score(norm_body: str, begin: int, finish: int, prefix: str, suffix: str) -> int:
    """How many characters of the given prefix and suffix agree with the text around a match."""
    score = 0
    if prefix:
        before = norm_body[:begin].rstrip()
        wanted = _normalised_passage(prefix)
        while score < len(wanted) and before.endswith(wanted[len(wanted) - score - 1 :]):
            score += 1
    if suffix:
        after = norm_body[finish:].lstrip()
        wanted = _normalised_passage(suffix)
        matched = 0
        while matched < len(wanted) and after.startswith(wanted[: matched + 1]):
            matched += 1
        score += matched
    return score


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """Describe the span ``text[start:end]`` with its context."""
    if not 0 <= start < end <= len(text):
        raise AnchorError("An anchor must cover at least one character inside the text.")
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
        start=start,
        end=end,
    )


def find_passage(
    text: str, passage: str, *, prefix: str = "", suffix: str = "", near: int | None = None
) -> Anchor:
    """Anchor ``passage`` in ``text``.

    ``prefix`` and ``suffix`` (words just before or after the passage) choose between repeated
    occurrences; where they cannot, ``near`` (an offset where the passage used to be) picks the
    closest. Raises PassageNotFound (with the closest passage found) or AmbiguousPassage.
    """
    wanted = _normalised_passage(passage)
    if not wanted:
        raise AnchorError("The passage is empty: paste the words of the source to cite.")
    norm_body, offsets = normalise(text)
    positions = _occurrences(norm_body, wanted)
    if not positions:
        raise PassageNotFound(passage, closest_passage(text, passage))
    if len(positions) > 1:
        scores = {
            p: _context_score(norm_body, p, p + len(wanted), prefix, suffix) for p in positions
        }
        best_score = max(scores.values())
        best = [p for p in positions if scores[p] == best_score]
        if len(best) > 1 and near is not None:
            best = [min(best, key=lambda p: abs(offsets[p] - near))]
        if len(best) > 1 or (best_score == 0 and near is None):
            raise AmbiguousPassage(passage, len(positions))
        positions = best
    begin = positions[0]
    start = offsets[begin]
    end = offsets[begin + len(wanted) - 1] + 1
    return make_anchor(text, start, end)


def _shared_length(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(text: str, anchor: Anchor) -> Anchor | None:
    """Find an existing anchor again in a (possibly edited) text, or None when it is gone.

    The exact text is looked for as stored first; where it repeats, its prefix and suffix
    choose, and then nearness to where it was. Only then is it looked for with tolerance for
    quotes, dashes and spaces. A passage whose own words were edited is gone: it is never
    silently moved onto other words.
    """
    positions = _occurrences(text, anchor.exact)
    if positions:

        def rank(position):
            end = position + len(anchor.exact)
            context = _shared_length(text[:position][::-1], anchor.prefix[::-1])
            context += _shared_length(text[end:], anchor.suffix)
            return (-context, abs(position - anchor.start))

        best = min(positions, key=rank)
        return make_anchor(text, best, best + len(anchor.exact))
    try:
        return find_passage(
            text, anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, near=anchor.start
        )
    except AnchorError:
        return None


def closest_passage(text: str, passage: str) -> str:
    """The stretch of ``text`` most like ``passage``, to show an editor what is there."""
    wanted = _normalised_passage(passage)
    norm_body, offsets = normalise(text)
    if not wanted or not norm_body:
        return ""
    matcher = difflib.SequenceMatcher(None, norm_body, wanted, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return ""
    longest = max(blocks, key=lambda b: b.size)
    if longest.size < min(8, len(wanted)):
        return ""
    begin = max(0, longest.a - longest.b)
    finish = min(len(norm_body), begin + len(wanted))
    # Whole words only: widen to the spaces around the stretch.
    while begin > 0 and not norm_body[begin - 1].isspace():
        begin -= 1
    while finish < len(norm_body) and not norm_body[finish].isspace():
        finish += 1
    start = offsets[begin]
    end = offsets[finish - 1] + 1
    return text[start:end].strip()


def _fragment_part(words: list[str]) -> str:
    return quote(" ".join(words), safe="").replace("-", "%2D")


def text_fragment(passage: str, words: int = 4) -> str:
    """A URL text fragment (#:~:text=) that makes a browser scroll to ``passage``."""
    parts = passage.split()
    if not parts:
        return ""
    if len(parts) <= words * 2:
        return f"#:~:text={_fragment_part(parts)}"
    return f"#:~:text={_fragment_part(parts[:words])},{_fragment_part(parts[-words:])}"
