"""The quote checker: every quotation and piece of reported speech in a text, looked up in the
record and given a verdict (``/check/`` and its JSON API).

- ``quotations``: the passages of the text that report someone's words, with attributions;
- ``index``: the checker's index of every quote's runs of three words;
- ``lookup``: the candidate quotes from that index, in a fixed number of queries;
- ``findings``: the verdicts.

``check(text)`` returns a ``Report``; ``as_json(report)`` the payload the pages, the API and
the saved reports share (its shape is documented in the README's "Checking quotations").
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import attribution, wording
from ..models import Official
from . import lookup
from .findings import Finding, Keys, judge
from .quotations import passages as find_passages

MAX_CHARACTERS = 100_000
MAX_QUOTATIONS = 200

VERDICTS = {
    "verbatim": gettext_lazy("Found verbatim"),
    "variant": gettext_lazy("A variant of a recorded wording"),
    "misattributed": gettext_lazy("Attributed to someone else in the record"),
    "reported": gettext_lazy("Reported speech consistent with the record"),
    "not_found": gettext_lazy("Not in the record"),
}
VERDICT_HELP = {
    "verbatim": gettext_lazy(
        "A source in the record prints these words, word for word, from this speaker."
    ),
    "variant": gettext_lazy(
        "The record has close but different words: the differences are marked, and numbers "
        "and negations are compared."
    ),
    "misattributed": gettext_lazy(
        "The record has these words (or close ones) from another official than the one named."
    ),
    "reported": gettext_lazy(
        "Reported speech, not a quotation: what the record has the official saying is "
        "consistent with it. It is never called verbatim."
    ),
    "not_found": gettext_lazy(
        "No recorded quote is close. The record may not hold it: this says what the record "
        "has, not whether it was said."
    ),
}


class CheckRefused(ValueError):
    """A text the checker cannot check; the message says why, for the reader."""


@dataclass
class Report:
    text: str
    findings: list[Finding]
    not_checked: int


def _refuse_unreadable(text):
    if not isinstance(text, str):
        raise CheckRefused(_("Send the text to check as plain text."))
    if not text.strip():
        raise CheckRefused(_("Paste a text to check: this one is empty."))
    if len(text) > MAX_CHARACTERS:
        raise CheckRefused(
            _("This text has %(n)s characters; the checker takes up to %(max)s. Check it in parts.")
            % {"n": f"{len(text):,}", "max": f"{MAX_CHARACTERS:,}"}
        )
    if "\x00" in text:
        raise CheckRefused(
            _(
                "This looks like a binary file, not text. Paste the text itself, or save it as plain text."
            )
        )
    controls = sum(
        1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t"
    )
    if controls > max(10, len(text) // 100):
        raise CheckRefused(
            _(
                "This looks like a binary file, not text. Paste the text itself, or save it as plain text."
            )
        )


def _officials(names):
    """The officials the printed names may refer to, in one query."""
    words = set()
    for name in names:
        words.update(
            w.strip(".").removesuffix("’s").removesuffix("'s")
            for w in name.split()
            if w[:1].isupper() or re.fullmatch(attribution._CJK_NAME, w)
        )
    words = {w for w in words if len(w) > 1}
    if not words:
        return []
    condition = Q()
    for word in sorted(words):
        condition |= Q(name__icontains=word) | Q(native_name__icontains=word)
    return list(
        Official.objects.filter(condition).only("pk", "name", "native_name", "slug", "country")
    )


def check(text):
    """Every passage of ``text`` reporting someone's words, looked up in the record: a
    ``Report``. Raises ``CheckRefused`` for a text it cannot check."""
    _refuse_unreadable(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = find_passages(text)
    not_checked = max(0, len(found) - MAX_QUOTATIONS)
    found = found[:MAX_QUOTATIONS]
    officials = _officials(p.name for p in found if p.name)
    resolved, last_in_paragraph = [], {}
    for passage in found:
        paragraph = text.count("\n", 0, passage.start)
        official = attribution.resolve(passage.name, officials) if passage.name else None
        if official is None and passage.name.lower() in ("he", "she"):
            # "He added: “…”": the official last named in the same paragraph.
            official = last_in_paragraph.get(paragraph)
        if official is not None:
            last_in_paragraph[paragraph] = official
        if passage.kind == "reported" and official is None:
            continue  # someone the record does not know (or no one): not a lead to check
        resolved.append((passage, official))
    candidates = lookup.candidates(
        [
            (number, passage.words, official.pk if official else None)
            for number, (passage, official) in enumerate(resolved)
        ]
    )
    reported = lookup.statement_quotes(
        [
            (number, passage.words, official.pk)
            for number, (passage, official) in enumerate(resolved)
            if passage.kind == "reported"
        ]
    )
    for number, found_ids in reported.items():
        candidates.setdefault(number, []).extend(found_ids)
    ids = {pk for found_ids in candidates.values() for pk in found_ids}
    quotes = lookup.candidate_texts(ids)
    keys = Keys()
    findings = []
    for number, (passage, official) in enumerate(resolved):
        found = [quotes[pk] for pk in candidates.get(number, ()) if pk in quotes]
        findings.append(judge(passage, official, found, keys))
    matched = {f.match.quote.pk for f in findings if f.match}
    records, citations = lookup.quotes(matched), lookup.citations(matched)
    for finding in findings:
        if finding.match:
            pk = finding.match.quote.pk
            finding.match.quote = records[pk]
            finding.match.citations = citations.get(pk, [])
    return Report(text=text, findings=findings, not_checked=not_checked)


# The payload ---------------------------------------------------------------------------------


def _official(official):
    if official is None:
        return None
    return {"name": official.name, "slug": official.slug, "url": official.get_absolute_url()}


def _summary(finding):
    match, passage = finding.match, finding.passage
    named = finding.official.name if finding.official else passage.name
    if match is None:
        if passage.kind == "reported":
            return _("The record has nothing close from %(name)s.") % {"name": named}
        return _("No recorded quote is close to these words.")
    speaker = match.quote.speaker.name
    sources = len(match.citations)
    printed = (
        ngettext(
            "printed by %(n)s source in the record",
            "printed by %(n)s sources in the record",
            sources,
        )
        % {"n": sources}
        if sources
        else _("recorded without a published source")
    )
    if finding.verdict == "verbatim":
        return _("These words are %(speaker)s's, %(printed)s.") % {
            "speaker": speaker,
            "printed": printed,
        }
    if finding.verdict == "variant":
        return _(
            "%(speaker)s's closest recorded wording differs: %(share)s%% of the words line up."
        ) % {
            "speaker": speaker,
            "share": round(match.likeness.ratio * 100),
        }
    if finding.verdict == "misattributed":
        how = _("these words") if match.verbatim else _("close words")
        return _("The text gives them to %(named)s; the record has %(how)s from %(speaker)s.") % {
            "named": named or _("no one"),
            "how": how,
            "speaker": speaker,
        }
    if match.quote.statement is not None:
        return _("Consistent with what the record has %(speaker)s saying: %(summary)s") % {
            "speaker": speaker,
            "summary": match.quote.statement.summary,
        }
    return _("Consistent with what the record has %(speaker)s saying (%(printed)s).") % {
        "speaker": speaker,
        "printed": printed,
    }


def _citation(citation):
    source = citation.source
    return {
        "id": citation.pk,
        "url": citation.get_absolute_url(),
        "exact": citation.exact,
        "source": {
            "title": source.title,
            "url": source.get_absolute_url(),
            "outlet": source.outlet.name if source.outlet_id else None,
            "published_on": source.published_on.isoformat() if source.published_on else None,
        },
    }


def _match(finding):
    match = finding.match
    if match is None:
        return None
    quote, words = match.quote, finding.passage.words
    statement = quote.statement
    return {
        "quote": {
            "id": quote.pk,
            "url": quote.get_absolute_url(),
            "text": quote.text,
            "kind": quote.kind,
            "said_on": quote.said_on.isoformat() if quote.said_on else None,
            "speaker": _official(quote.speaker),
        },
        "statement": (
            {"id": statement.pk, "summary": statement.summary} if statement is not None else None
        ),
        "likeness": {
            "ratio": round(match.likeness.ratio, 3),
            "covered": round(match.likeness.covered, 3),
        },
        "diff": [
            {"text": piece.text, "kind": piece.kind}
            for piece in wording.word_diff(words, quote.text)
        ],
        "notes": wording.material_differences(words, quote.text),
        "citations": [_citation(c) for c in match.citations],
    }


def as_json(report):
    """The report as the API gives it (see the README's "Checking quotations")."""
    counts = dict.fromkeys(VERDICTS, 0)
    findings = []
    for finding in report.findings:
        counts[finding.verdict] += 1
        passage = finding.passage
        findings.append(
            {
                "kind": passage.kind,
                "start": passage.start,
                "end": passage.end,
                "words": passage.words,
                "attribution": (
                    {"as_written": passage.name, "official": _official(finding.official)}
                    if passage.name or finding.official
                    else None
                ),
                "verdict": finding.verdict,
                "label": str(VERDICTS[finding.verdict]),
                "summary": _summary(finding),
                "match": _match(finding),
            }
        )
    return {
        "characters": len(report.text),
        "quotations": len(report.findings),
        "not_checked": report.not_checked,
        "counts": counts,
        "findings": findings,
    }
