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

import bisect
import functools
import re
from dataclasses import dataclass
from urllib.parse import quote

from . import matching

CONTEXT_LENGTH = 32
# How alike (0 to 1, ``matching.match_quote``'s score) an edited passage and its surroundings
# must be to the cited ones to be offered for review: most of its words, and the text around
# it, still there. Below it, a short passage would "match" unrelated words.
REVIEW_THRESHOLD = 0.75

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


# Marks that open or close a quotation (a straight single quote is also an apostrophe).
QUOTATION_MARKS = '"“”„‟«»‹›‘‚「」『』'


class AnchorError(ValueError):
    """A passage could not be anchored; the message says why in an editor's words."""


class PassageNotFound(AnchorError):
    """The passage is not in the text. The closest passage is looked for only when the message
    is shown: re-anchoring many citations must not pay for it."""

    def __init__(self, passage: str, text: str = ""):
        self.passage = passage
        self._text = text
        super().__init__(passage)

    @functools.cached_property
    def closest(self) -> str:
        return closest_passage(self._text, self.passage) if self._text else ""

    def __str__(self) -> str:
        message = "This passage does not appear in the source's stored text."
        # The text's own quotation marks at its ends would double the message's; its own
        # closing full stop ends the sentence.
        shown = self.closest.strip(QUOTATION_MARKS).strip()
        if self.closest.startswith("‘"):  # a closing ’ is otherwise an apostrophe (“talks’”)
            shown = shown.removesuffix("’")
        if shown:
            message += f" The closest passage found is: “{shown}”"
            message += "" if shown.endswith((".", "!", "?", "…")) else "."
        return message


class AmbiguousPassage(AnchorError):
    def __init__(self, passage: str, occurrences: int, example_prefix: str = ""):
        self.passage = passage
        self.occurrences = occurrences
        message = (
            f"This passage occurs {occurrences} times in the source. Give a few words of the "
            "text just before it (prefix) or just after it (suffix) to say which one is meant"
        )
        if example_prefix:
            message += f", for example “{example_prefix}” before the first"
        super().__init__(message + ".")


@dataclass(frozen=True)
class Anchor:
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Relocation:
    """Where an anchor was found again in an edited text, and whether only approximately (its
    words differ: an editor must look before it counts again)."""

    anchor: Anchor
    approximate: bool


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
        raise PassageNotFound(passage, text)
    if len(positions) > 1:
        scores = {
            p: _context_score(norm_body, p, p + len(wanted), prefix, suffix) for p in positions
        }
        best_score = max(scores.values())
        best = [p for p in positions if scores[p] == best_score]
        if len(best) > 1 and near is not None:
            best = [min(best, key=lambda p: abs(offsets[p] - near))]
        if len(best) > 1 or (best_score == 0 and near is None):
            first = positions[0]
            first_span = (offsets[first], offsets[first + len(wanted) - 1] + 1)
            raise AmbiguousPassage(passage, len(positions), _telling_prefix(text, *first_span))
        positions = best
    begin = positions[0]
    start = offsets[begin]
    end = offsets[begin + len(wanted) - 1] + 1
    return make_anchor(text, start, end)


def _letters(text: str) -> str:
    return "".join(text.split())


def at_offsets(
    text: str, passage: str, start: int, end: int, *, prefix: str = "", suffix: str = ""
) -> Anchor | None:
    """The anchor at ``start``–``end`` where ``passage`` is exactly there and the given prefix
    and suffix agree with the text around it (compared without white space: a form's one-line
    fields drop the line breaks of the context); None otherwise, for a search to decide.

    For a passage selected in the text: its offsets are known, so a repeated passage needs no
    context to choose, and the one selected is the one anchored.
    """
    if not (0 <= start < end <= len(text)) or text[start:end] != passage:
        return None
    before, after = _letters(prefix), _letters(suffix)
    if before and not _letters(text[max(0, start - 4 * len(prefix) - 8) : start]).endswith(before):
        return None
    if after and not _letters(text[end : end + 4 * len(suffix) + 8]).startswith(after):
        return None
    return make_anchor(text, start, end)


def _shared_length(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def locate(text: str, anchor: Anchor) -> Relocation | None:
    """Find an existing anchor again in a (possibly edited) text, or None when it is gone.

    The exact text is looked for as stored first; where it repeats, its prefix and suffix
    choose, and then nearness to where it was. Then with tolerance for quotes, dashes and
    spaces. Only then approximately (``matching.match_quote``, the way the Hypothesis client
    re-anchors): such a find is marked approximate, because the words there are not the cited
    words, and is never taken as the passage without an editor's look.
    """
    positions = _occurrences(text, anchor.exact)
    if positions:

        def rank(position):
            end = position + len(anchor.exact)
            context = _shared_length(text[:position][::-1], anchor.prefix[::-1])
            context += _shared_length(text[end:], anchor.suffix)
            return (-context, abs(position - anchor.start))

        best = min(positions, key=rank)
        return Relocation(make_anchor(text, best, best + len(anchor.exact)), approximate=False)
    try:
        found = find_passage(
            text, anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, near=anchor.start
        )
        return Relocation(found, approximate=False)
    except AnchorError:
        pass
    match = matching.match_quote(
        text, anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, hint=anchor.start
    )
    if match is None or match.end <= match.start or match.score < REVIEW_THRESHOLD:
        return None
    start, end = match.start, match.end
    # Whole words, where the cited passage was whole words: an editor compares words.
    if anchor.exact[:1].isalnum():
        while start > 0 and text[start - 1].isalnum():
            start -= 1
    if anchor.exact[-1:].isalnum():
        while end < len(text) and text[end].isalnum():
            end += 1
    return Relocation(make_anchor(text, start, end), approximate=True)


def _whole_words(norm_body: str, begin: int, finish: int) -> tuple[int, int]:
    while begin > 0 and not norm_body[begin - 1].isspace():
        begin -= 1
    while finish < len(norm_body) and not norm_body[finish].isspace():
        finish += 1
    return begin, finish


def closest_passage(text: str, passage: str) -> str:
    """The stretch of ``text`` most like ``passage`` (at most half its characters edited), in
    whole words, to show an editor what is there; empty when nothing is that close."""
    wanted = _normalised_passage(passage)
    norm_body, offsets = normalise(text)
    if not wanted or not norm_body:
        return ""
    found = matching.approximate_search(norm_body, wanted, len(wanted) // 2)
    if not found:
        return ""
    begin, finish = _whole_words(norm_body, found[0].start, found[0].end)
    return text[offsets[begin] : offsets[finish - 1] + 1].strip()


def _telling_prefix(text: str, start: int, end: int) -> str:
    """The whole words just before ``text[start:end]`` that tell it from its repeats."""
    _exact, prefix, _suffix = matching.describe_quote(text, start, end)
    if not prefix or len(prefix) > 80:
        return ""
    begin = start - len(prefix)
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    return " ".join(text[begin:start].split())


# Quotation marks -----------------------------------------------------------------------------

# The marks that open a quotation, and those that may close it. A straight double quote opens
# and closes in turn within a paragraph; a straight single quote is left alone (it is also an
# apostrophe), and a closing ‘ must not be followed by a letter (“it’s”).
_CLOSERS = {"“": "”", "„": "“”", "«": "»", "‹": "›", "‘": "’", "「": "」", "『": "』"}


@functools.lru_cache(maxsize=32)
def quotation_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The stretches of ``text`` that stand inside quotation marks, marks excluded (cached:
    every quote citing a source asks about the same text)."""
    spans = []
    close_positions = {
        closer: [i for i, c in enumerate(text) if c == closer]
        for closer in set("".join(_CLOSERS.values()))
    }
    straight_open = None
    for index, char in enumerate(text):
        if char == "\n":
            straight_open = None
        elif char == '"':
            if straight_open is None:
                straight_open = index
            else:
                spans.append((straight_open + 1, index))
                straight_open = None
        elif char in _CLOSERS:
            ends = []
            for closer in _CLOSERS[char]:
                candidates = close_positions[closer]
                position = bisect.bisect_right(candidates, index)
                while position < len(candidates):
                    end = candidates[position]
                    after = text[end + 1 : end + 2]
                    if not (char == "‘" and after.isalpha()):
                        ends.append(end)
                        break
                    position += 1
            if ends:
                spans.append((index + 1, min(ends)))
    return tuple(spans)


def stands_in_quotation_marks(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside one quotation."""
    return any(open_ <= start and end <= close for open_, close in quotation_spans(text))


def find_words(
    text: str, words: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Where ``words`` occur in ``text[start:end]``, compared as a reader compares them
    (quotes, dashes and spaces folded, any case), as offsets into ``text``."""
    wanted = _normalised_passage(words)
    if not wanted:
        return []
    stretch = text[start:end]
    norm, offsets = normalise(stretch)
    return [
        (start + offsets[m.start()], start + offsets[m.end() - 1] + 1)
        for m in re.finditer(re.escape(wanted), norm, re.IGNORECASE)
    ]


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
