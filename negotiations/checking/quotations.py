"""The passages of a text that report someone's words: quotations in any marks, and reported
speech ("Bessent said the talks had stalled"), each with the attribution printed beside it.

Pure text work. Offsets are code points of the text as given. A quotation is looked for inside
one paragraph (a line): an opening mark left unclosed there quotes nothing, rather than running
on to a closing mark pages later. Where quotations nest, the outer one is the speaker's words
(the inner one is someone they quote), and only it is checked. A quotation of fewer than
``MIN_WORDS`` words ("phase one", a scare quote) says too little to look up.
"""

import bisect
import re
from dataclasses import dataclass

from .. import attribution
from ..anchoring import quotation_spans
from ..wording import word_keys

MIN_WORDS = 4  # as the quote form's close wordings: fewer words say too little

# Reported speech: a name, the verb, an optional "that", then the reported clause up to the
# end of its sentence. Only a capitalised name (a pronoun names no one) and only a sentence with
# no quotation mark in it (a quotation is checked as one).
_REPORTED = re.compile(
    rf"(?<![\w’']){attribution._NAME}(?:,[^,.;:\n“”\"]{{1,80}},)?"
    rf"(?:{attribution._ADVERB}{attribution._SPACE}"
    r"(?:said|says|told\s+(?:reporters|journalists|lawmakers|the\s+\w+)|added|warned|insisted|"
    r"stressed|argued|noted|claimed|acknowledged|conceded|denied|suggested|predicted|"
    r"confirmed|promised|pledged|vowed)\b)"
    r"(?:,)?(?:\s+that)?\s+(?P<clause>\S)"
)
# A sentence ends at a full stop (or ! ?) before a capital, a quotation mark or the end of the
# paragraph: "the U.S. would" goes on.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z“\"‘]|\s*$)")
_QUOTE_MARKS = set('"“”‘’«»‹›「」『』„')


@dataclass(frozen=True)
class Passage:
    """Words of the text reported as someone's: ``kind`` "quotation" or "reported";
    ``start``/``end`` delimit the words (marks excluded); ``name`` is the attribution as
    printed, or "" where the text gives none plainly."""

    kind: str
    start: int
    end: int
    words: str
    name: str = ""


def _lines(text):
    start = 0
    for line in text.split("\n"):
        yield start, line
        start += len(line) + 1


def _outermost(spans):
    spans = sorted(spans, key=lambda span: (span[0], -span[1]))
    kept = []
    for span in spans:
        if kept and span[0] >= kept[-1][0] and span[1] <= kept[-1][1]:
            continue  # a quotation inside a quotation: the outer one is the speaker's
        kept.append(span)
    return kept


def _name(text, start, end):
    found = attribution.attributions(text, start, end)
    if len(found) != 1 or found[0].two_people:
        return ""
    return found[0].name


def quotations(text):
    """The quotations of ``text`` of at least ``MIN_WORDS`` words, in order, with their
    attributions."""
    found = []
    for offset, line in _lines(text):
        for open_, close in _outermost(quotation_spans(line)):
            words = line[open_:close]
            stripped = words.strip()
            if len(word_keys(stripped)) < MIN_WORDS:
                continue
            start = offset + open_ + (len(words) - len(words.lstrip()))
            end = start + len(stripped)
            found.append(Passage("quotation", start, end, stripped, _name(text, start, end)))
    return found


def reported_speech(text):
    """Sentences reporting a named person's words without quotation marks. Linear in the
    text: sentence ends and quotation marks are found once per paragraph, not once per
    attribution (a paragraph of 100,000 characters of "X said that Y said that …" took a
    minute)."""
    found = []
    for offset, line in _lines(text):
        ends = [m.start() for m in _SENTENCE_END.finditer(line)]
        marks = [i for i, ch in enumerate(line) if ch in _QUOTE_MARKS]
        for match in _REPORTED.finditer(line):
            start = offset + match.start("clause")
            if found and start < found[-1].end:
                continue  # "… said that X said …": the outer report holds it
            name = match.group("name")
            if not name[:1].isupper() or name in attribution._PRONOUN_WORDS:
                continue
            if name.split()[0] in attribution._NOT_NAMES:
                continue
            after = bisect.bisect_left(ends, match.start("clause"))
            end = ends[after] if after < len(ends) else len(line)
            mark = bisect.bisect_left(marks, match.start())
            if mark < len(marks) and marks[mark] < end:
                continue  # a quotation is checked as one
            clause = line[match.start("clause") : end].strip().rstrip(",;:")
            if len(word_keys(clause)) < MIN_WORDS:
                continue
            found.append(Passage("reported", start, start + len(clause), clause, name))
    return found


def passages(text):
    """Every quotation and piece of reported speech of ``text``, in the order they occur."""
    return sorted(quotations(text) + reported_speech(text), key=lambda p: (p.start, p.end))
