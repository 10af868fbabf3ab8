"""Who a passage of an article is attributed to, from the words around it.

News reports attribute quoted words in a few set shapes: “…,” Bessent said; “…,” said
spokesperson Mao Ning; Bessent said that …; Bessent told reporters: “…”; according to Bessent,
…. The name found in the attribution nearest the passage is matched against officials (full
name, native-script name, or surname alone where only one official has it).

It is a guess for an editor to confirm, and it is made only when the text is plain about it:
where the nearest attribution is a pronoun (“he said”), names someone who is not an official,
names two people, or lies in another sentence, there is no guess. Pure text work: the officials
to match against are given (``names_near`` says which words to look them up by).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .anchoring import quotation_spans

# How far from the passage an attribution is looked for, within its paragraph.
LOOK_BEFORE = 400
LOOK_AFTER = 200
# Between an attribution and the passage it introduces: the same sentence, not too far.
MAX_LEAD_IN = 120

_VERBS = (
    r"(?:said|says|say|told|tells|added|adds|stated|states|noted|notes|explained|explains|"
    r"warned|warns|insisted|insists|declared|remarked|wrote|writes|posted|stressed|argued|"
    r"claimed|commented|continued|replied|responded|urged|announced|acknowledged|conceded|"
    r"emphasi[sz]ed|cautioned|predicted|asserted|recalled|suggested|affirmed|confirmed|denied|"
    r"admitted|vowed|pledged|promised)\b"
)
_CJK_VERBS = r"(?:表示|说|称|指出|强调)"
# A capitalised word (inner full stops for initials: U.S.; a final one ends a sentence).
_WORD = r"[A-ZÀ-ÖØ-Þ](?:[\w'’-]|\.(?=\w))*"
_CJK_NAME = r"[\u3400-\u9fff]{2,4}"
_PRONOUN = r"(?:he|she|they|we|I)\b"
_NAME = rf"(?P<name>(?:{_WORD}[ \t\u00a0]+){{0,5}}{_WORD}|{_CJK_NAME}|{_PRONOUN})"
_SPACE = r"[ \t\u00a0]+"
# A second name joined to the first: two speakers, no single guess.
_AND_ANOTHER = r"(?P<another>[ \t\u00a0]+and[ \t\u00a0]+[A-Z])?"

_ADVERB = rf"(?:{_SPACE}(?:also|then|later|again|[a-z]+ly))?"
# “Bessent said”, “Bessent recently said”, “Li Chenggang, China’s chief negotiator, said”,
# “李成钢表示”.
_NAME_THEN_VERB = re.compile(
    rf"(?<![\w’']){_NAME}(?:,[^,.;:\n“”\"]{{1,80}},)?(?:{_ADVERB}{_SPACE}{_VERBS}|{_CJK_VERBS})"
)
# “said Bessent”, “said spokesperson Mao Ning” (only after a passage: before one, “said that
# the US …” would be taken for a name).
_VERB_THEN_NAME = re.compile(rf"\b{_VERBS}{_SPACE}(?:[a-z’']+{_SPACE}){{0,3}}{_NAME}{_AND_ANOTHER}")
# “according to Bessent”, “according to spokesperson Mao Ning”.
_ACCORDING_TO = re.compile(
    rf"\b[Aa]ccording to{_SPACE}(?:[a-z’']+{_SPACE}){{0,3}}{_NAME}{_AND_ANOTHER}"
)
_SENTENCE_END = re.compile(r"[.!?][”’\"']?(?:\s|$)")
_VERB_ANYWHERE = re.compile(rf"\b{_VERBS}")

# Capitalised words that start a name phrase but name no one.
_NOT_NAMES = frozenset(
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "The",
        "A",
        "An",
        "But",
        "And",
        "Or",
        "So",
        "Yet",
        "Then",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Earlier",
        "Later",
    ]
)
_PRONOUN_WORDS = {"He", "She", "They", "We", "I", "It", "You"}


@dataclass(frozen=True)
class Attribution:
    """Words of the text that attribute the passage to someone: the name as printed, where."""

    name: str
    start: int
    end: int
    two_people: bool = False


@dataclass(frozen=True)
class Guess:
    """The official a passage is attributed to, and the words of the text that say so."""

    official: object
    words: str


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    begin = text.rfind("\n", max(0, start - LOOK_BEFORE), start) + 1 or max(0, start - LOOK_BEFORE)
    finish = text.find("\n", end, end + LOOK_AFTER)
    return begin, finish if finish != -1 else min(len(text), end + LOOK_AFTER)


def _widened(spans, start: int, end: int) -> tuple[int, int]:
    """The passage with the quotation it stands in, marks included: an attribution belongs to
    the whole quotation (“…,” he said), whichever words of it were chosen."""
    for open_, close in spans:
        if open_ <= start <= close:
            start = min(start, open_ - 1)
        if open_ <= end <= close:
            end = max(end, close + 1)
    return start, end


def _at_sentence_start(text: str, position: int) -> bool:
    before = text[:position].rstrip()
    return not before or before[-1] in ".!?\n" or before[-2:-1] in (".", "!", "?")


def _continues(text: str, attribution_start: int, gap: str) -> bool:
    """Whether an attribution that closed one quotation (“…,” Bessent said.) runs straight on
    into the next one, which is then the same speaker's."""
    return bool(re.fullmatch(r"[.:]\s*", gap)) and bool(
        re.search(r"[,!?][”’\"']\s*$", text[:attribution_start])
    )


def _quoted(spans, start: int, end: int) -> bool:
    return any(open_ <= start and end <= close for open_, close in spans)


def attributions(text: str, start: int, end: int) -> list[Attribution]:
    """The attributions nearest to ``text[start:end]`` (usually one; more when two are equally
    near), or none where no attribution plainly belongs to it."""
    begin, finish = _paragraph(text, start, end)
    stretch = text[begin:finish]
    spans = quotation_spans(stretch)
    s, e = _widened(spans, start - begin, end - begin)
    found = []  # (distance, Attribution)
    for pattern in (_NAME_THEN_VERB, _VERB_THEN_NAME, _ACCORDING_TO):
        for match in pattern.finditer(stretch):
            a, b = match.span()
            name = match.group("name")
            if b <= s:
                gap = stretch[b:s]
                if _continues(stretch, a, gap):
                    pass  # “…,” Bessent said. “…”: the next quotation is his too
                elif (
                    pattern is _VERB_THEN_NAME
                    or len(gap) > MAX_LEAD_IN
                    or _SENTENCE_END.search(gap)
                    or _VERB_ANYWHERE.search(gap)
                ):
                    continue
                distance = len(gap)
            elif a >= e:
                gap = stretch[e:a]
                if len(gap) > 6 or any(c.isalnum() or c == "\n" for c in gap):
                    continue
                distance = len(gap)
            elif s <= a and b <= e and not _quoted(spans, a, b):
                distance = 0  # the passage names its speaker itself
            else:
                continue
            name_at = match.start("name")
            if name in _PRONOUN_WORDS and _at_sentence_start(stretch, name_at):
                name = name.lower()  # “He said” opening a sentence: a pronoun
            if name.split()[0] in _NOT_NAMES and len(name.split()) == 1:
                continue
            two = bool(match.groupdict().get("another"))
            found.append((distance, Attribution(name, begin + a, begin + b, two)))
    if not found:
        return []
    nearest = min(distance for distance, _ in found)
    return [attribution for distance, attribution in found if distance == nearest]


def names_near(text: str, start: int, end: int) -> set[str]:
    """The words by which to look up the officials an attribution near the passage may name."""
    words = set()
    for attribution in attributions(text, start, end):
        words.update(w.strip(".") for w in attribution.name.split() if w[:1].isupper())
        if re.fullmatch(_CJK_NAME, attribution.name):
            words.add(attribution.name)
    return words


def surname(official) -> str:
    """The name an article uses alone: Chinese names put it first (Li Chenggang: Li)."""
    parts = official.name.split()
    if not parts:
        return ""
    return parts[0] if official.country == "CN" else parts[-1]


def _contains_words(phrase: str, words: str) -> bool:
    return bool(words) and re.search(rf"(?<!\w){re.escape(words)}(?!\w)", phrase) is not None


def resolve(name: str, officials) -> object | None:
    """The one official ``name`` (as printed in an attribution) refers to, or None."""
    if not name[:1].isupper() and not re.fullmatch(_CJK_NAME, name):
        return None  # a pronoun
    officials = list(officials)
    for key in ("name", "native_name"):
        named = {o.pk: o for o in officials if _contains_words(name, getattr(o, key) or "")}
        if named:
            return next(iter(named.values())) if len(named) == 1 else None
    last = name.split()[-1].strip(".").removesuffix("’s").removesuffix("'s")
    having = [o for o in officials if surname(o) == last]
    return having[0] if len(having) == 1 else None


def guess_speaker(text: str, start: int, end: int, officials) -> Guess | None:
    """The official ``text[start:end]`` is attributed to, among ``officials``, with the words
    that say so; None where the text does not plainly say who."""
    found = attributions(text, start, end)
    if not found or any(a.two_people for a in found):
        return None
    officials = list(officials)
    resolved = {resolve(a.name, officials) for a in found}
    if len(resolved) != 1 or None in resolved:
        return None
    attribution = found[0]
    return Guess(resolved.pop(), text[attribution.start : attribution.end])
