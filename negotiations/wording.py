"""Compare two wordings of one statement word by word (pure text work)."""

import difflib
import re
from dataclasses import dataclass

from .anchoring import normalise

_TOKEN = re.compile(r"\w+(?:[’'.,]\w+)*|[^\w\s]", re.UNICODE)
NEGATIONS = {"not", "no", "never", "nothing", "none", "neither", "nor", "without", "cannot"}


@dataclass(frozen=True)
class Piece:
    text: str
    kind: str  # "same", "only_here", "only_there"


_NO_SPACE_BEFORE = set(",.;:!?)]’”%")
_NO_SPACE_AFTER = set("$([“‘")


def join(words):
    """Words back into text, with no space before closing punctuation or after '$' or '('."""
    text = ""
    for word in words:
        if text and word[0] not in _NO_SPACE_BEFORE and text[-1] not in _NO_SPACE_AFTER:
            text += " "
        text += word
    return text


def tokens(text):
    # ASCII needs no folding but the backtick's (whitespace would change too, which no token
    # holds): the quote checker splits thousands of candidate texts per text checked.
    plain = text.isascii() and "`" not in text
    return _TOKEN.findall(text if plain else normalise(text)[0])


def _key(token):
    return token.casefold()


def word_diff(here, there):
    """The words of ``here`` and ``there`` as pieces: shared, only in ``here``, only in ``there``."""
    a, b = tokens(here), tokens(there)
    matcher = difflib.SequenceMatcher(
        None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False
    )
    pieces = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(join(a[a1:a2]), "same"))
            continue
        if a1 != a2:
            pieces.append(Piece(join(a[a1:a2]), "only_here"))
        if b1 != b2:
            pieces.append(Piece(join(b[b1:b2]), "only_there"))
    return pieces


@dataclass(frozen=True)
class Likeness:
    """How alike two wordings are, word for word (case and punctuation aside): ``ratio``, the
    share of both texts' words that line up in order (1.0: the same words); ``covered``, the
    share of the shorter text's words found so in the longer (1.0: a partial quote of it)."""

    ratio: float
    covered: float
    shorter: int  # words in the shorter text


def word_keys(text):
    """The words of ``text`` as compared: casefolded, punctuation left out."""
    return [_key(t) for t in tokens(text) if any(ch.isalnum() for ch in t)]


def likeness(here, there, *, at_least=0.0):
    """How alike ``here`` and ``there`` are (``Likeness``). Wordings that cannot reach
    ``at_least`` on either measure are told apart cheaply, with an upper bound: both measures
    are then 0."""
    return likeness_of_keys(word_keys(here), word_keys(there), at_least=at_least)


def likeness_of_keys(a, b, *, at_least=0.0):
    """``likeness`` of two texts already split into ``word_keys`` (a text compared with many
    is split once)."""
    shorter = min(len(a), len(b))
    if not shorter:
        return Likeness(0.0, 0.0, 0)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    bound = matcher.quick_ratio()  # at most the ratio; the same shared words bound `covered`
    if bound < at_least and bound * (len(a) + len(b)) / (2 * shorter) < at_least:
        return Likeness(0.0, 0.0, shorter)
    same = sum(block.size for block in matcher.get_matching_blocks())
    return Likeness(2 * same / (len(a) + len(b)), same / shorter, shorter)


def _numbers(words):
    return {w for w in words if any(ch.isdigit() for ch in w)}


def _negations(words):
    found = {w.casefold() for w in words if w.casefold() in NEGATIONS}
    found |= {"n’t" for w in words if w.casefold().endswith(("n't", "n’t"))}
    return found


def material_differences(here, there):
    """Plain sentences on where numbers or negations differ between two wordings."""
    a, b = tokens(here), tokens(there)
    notes = []
    for what, found in (("Numbers differ", _numbers), ("Negation differs", _negations)):
        in_a, in_b = found(a), found(b)
        if in_a != in_b:
            listed = [", ".join(sorted(words)) or "none" for words in (in_a, in_b)]
            notes.append(f"{what}: {listed[0]} here, {listed[1]} there.")
    return notes


@dataclass(frozen=True)
class Comparison:
    """One wording of a statement beside another: the word diff and what materially differs."""

    variant: object  # the other wording (anything with ``text``)
    pieces: list[Piece]
    notes: list[str]


def compare(wording, variant):
    """Compare ``wording`` with ``variant`` (two quotes, or anything with ``text``)."""
    return Comparison(
        variant=variant,
        pieces=word_diff(wording.text, variant.text),
        notes=material_differences(wording.text, variant.text),
    )
