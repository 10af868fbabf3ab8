"""Finding a quote in a text, exactly or approximately: pure string matching, no Django.

- ``exact_matches``: every place a W3C TextQuoteSelector (exact, prefix, suffix) matches, as
  Apache Annotator's text quote matcher defines it.
- ``describe_quote``: the shortest prefix and suffix that make a span's selector match only
  that span (Apache Annotator's minimal description).
- ``approximate_search``: the places where a pattern matches with the fewest edits (insertions,
  deletions, substitutions), up to a budget: Myers' bit-parallel algorithm, run by the edlib
  library (C++) and, for patterns of more than 255 distinct characters, by a Python version.
- ``match_quote``: the best approximate match of a quote, scored on the quote, its prefix, its
  suffix and its expected position, as the Hypothesis annotation client scores them; ``None``
  when nothing is within the error budget.

All offsets count characters of the given text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import edlib

# edlib compares symbols from an alphabet of at most 256.
_EDLIB_ALPHABET = 255


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    errors: int = 0
    score: float = 1.0

    def text(self, text: str) -> str:
        return text[self.start : self.end]


# Exact matching ------------------------------------------------------------------------------


def exact_matches(text: str, exact: str, prefix: str = "", suffix: str = "") -> list[Match]:
    """Every match of ``prefix + exact + suffix`` (overlapping ones too), as the span of
    ``exact``; an empty ``exact`` matches between characters."""
    needle = prefix + exact + suffix
    found = []
    position = text.find(needle)
    while position != -1:
        start = position + len(prefix)
        found.append(Match(start, start + len(exact)))
        position = text.find(needle, position + 1)
    return found


def _differs_after(text: str, here: int, there: int, step: int) -> str | None:
    """Characters read from ``here`` (backwards for step -1) until they differ from those read
    from ``there``; None when ``here`` runs out of text first."""
    read = ""
    while True:
        here_index = here if step > 0 else here - 1
        if not 0 <= here_index < len(text):
            return None
        char = text[here_index]
        read = read + char if step > 0 else char + read
        there_index = there if step > 0 else there - 1
        other = text[there_index] if 0 <= there_index < len(text) else None
        if char != other:
            return read
        here += step
        there += step


def describe_quote(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(exact, prefix, suffix): the span with the least context that matches only it.

    At each unintended match, the context is extended by the shorter of the prefix or suffix
    that tells the two apart.
    """
    exact, prefix, suffix = text[start:end], "", ""
    while True:
        others = [
            m
            for m in exact_matches(text, exact, prefix, suffix)
            if (m.start, m.end) != (start, end)
        ]
        if not others:
            return exact, prefix, suffix
        other = others[0]
        more_prefix = _differs_after(text, start - len(prefix), other.start - len(prefix), -1)
        more_suffix = _differs_after(text, end + len(suffix), other.end + len(suffix), 1)
        if more_prefix is not None and (
            more_suffix is None or len(more_prefix) <= len(more_suffix)
        ):
            prefix = more_prefix + prefix
        elif more_suffix is not None:
            suffix += more_suffix
        else:  # the same text all around: cannot happen for two different spans
            return exact, prefix, suffix


# Approximate matching ------------------------------------------------------------------------


def _myers_ends(text: str, pattern: str, max_errors: int) -> list[tuple[int, int]]:
    """(end, errors) of the lowest-error matches of ``pattern`` ending anywhere in ``text``:
    Myers' bit-vector algorithm over the whole pattern as one Python integer."""
    size = len(pattern)
    equal: dict[str, int] = {}
    for row, char in enumerate(pattern):
        equal[char] = equal.get(char, 0) | (1 << row)
    ones, last_row = (1 << size) - 1, 1 << (size - 1)
    positive, negative, errors = ones, 0, size
    best, ends = max_errors, []
    for column, char in enumerate(text):
        eq = equal.get(char, 0)
        vertical = eq | negative
        horizontal = (((eq & positive) + positive) ^ positive) | eq
        up = negative | (~(horizontal | positive) & ones)
        down = positive & horizontal
        if up & last_row:
            errors += 1
        elif down & last_row:
            errors -= 1
        up = (up << 1) & ones  # a match may start anywhere: no carry into the first row
        down = (down << 1) & ones
        positive = down | (~(vertical | up) & ones)
        negative = up & vertical
        if errors <= best:
            if errors < best:
                ends = []
                best = errors
            ends.append((column + 1, errors))
    return ends


def _myers_search(text: str, pattern: str, max_errors: int) -> list[Match]:
    found = []
    reversed_pattern = pattern[::-1]
    for end, errors in _myers_ends(text, pattern, max_errors):
        # The start: search backwards with the same error count, taking the longest match.
        window_start = max(0, end - len(pattern) - errors)
        window = text[window_start:end][::-1]
        lengths = [back_end for back_end, _ in _myers_ends(window, reversed_pattern, errors)]
        found.append(Match(end - max(lengths, default=0), end, errors))
    return found


def _edlib_search(text: str, pattern: str, max_errors: int) -> list[Match]:
    # Characters the pattern lacks can never match it: one symbol stands for all of them, so
    # any text fits edlib's alphabet.
    alphabet = set(pattern)
    other = next(c for c in map(chr, range(1, 0x110000)) if c not in alphabet)
    not_in_pattern = "[^" + "".join(re.escape(c) for c in sorted(alphabet)) + "]"
    mapped = re.sub(not_in_pattern, other, text)
    result = edlib.align(pattern, mapped, mode="HW", task="locations", k=max_errors)
    errors = result["editDistance"]
    if errors < 0:
        return []
    # edlib's ends are inclusive; a "match" of no characters (all deleted) is none.
    return [Match(start, end + 1, errors) for start, end in result["locations"] if end >= start]


def approximate_search(text: str, pattern: str, max_errors: int) -> list[Match]:
    """The matches of ``pattern`` in ``text`` with the fewest errors, if that is at most
    ``max_errors``; exact matches first, and cheaply."""
    if not pattern or not text:
        return []
    exact = exact_matches(text, pattern)
    if exact:
        return exact
    max_errors = min(max_errors, len(pattern))
    if len(set(pattern)) < _EDLIB_ALPHABET:
        return _edlib_search(text, pattern, max_errors)
    return _myers_search(text, pattern, max_errors)


def _similarity(text: str, pattern: str) -> float:
    """1.0 when ``pattern`` occurs in ``text``, falling with the edits a match needs."""
    if not text or not pattern:
        return 0.0
    best = approximate_search(text, pattern, len(pattern))
    return 1 - best[0].errors / len(pattern)


# Weights of a candidate's score: the quote itself, the text before and after it, and, to
# break ties, nearness to where it was expected.
QUOTE_WEIGHT, PREFIX_WEIGHT, SUFFIX_WEIGHT, POSITION_WEIGHT = 50, 20, 20, 2


def match_quote(
    text: str, quote: str, *, prefix: str = "", suffix: str = "", hint: int | None = None
) -> Match | None:
    """The best approximate match of ``quote`` in ``text``, or None.

    Candidates are the matches with the fewest errors, at most half the quote's length (and
    at most 256); each is scored from 0 to 1 on how alike the quote, the text before it and
    the text after it are to ``quote``, ``prefix`` and ``suffix``, and how near it is to
    ``hint``.
    """
    if not quote:
        return None
    candidates = approximate_search(text, quote, min(256, len(quote) // 2))

    def scored(match: Match) -> Match:
        quote_score = 1 - match.errors / len(quote)
        prefix_score = (
            _similarity(text[max(0, match.start - len(prefix)) : match.start], prefix)
            if prefix
            else 1.0
        )
        suffix_score = (
            _similarity(text[match.end : match.end + len(suffix)], suffix) if suffix else 1.0
        )
        position_score = 1.0 if hint is None else 1.0 - abs(match.start - hint) / len(text)
        total = (
            QUOTE_WEIGHT * quote_score
            + PREFIX_WEIGHT * prefix_score
            + SUFFIX_WEIGHT * suffix_score
            + POSITION_WEIGHT * position_score
        )
        weights = QUOTE_WEIGHT + PREFIX_WEIGHT + SUFFIX_WEIGHT + POSITION_WEIGHT
        return Match(match.start, match.end, match.errors, total / weights)

    ranked = sorted((scored(m) for m in candidates), key=lambda m: (-m.score, m.start))
    return ranked[0] if ranked else None
