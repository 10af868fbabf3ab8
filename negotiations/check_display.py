"""What the quote checker's pages show of a report (``checking.as_json``'s payload, fresh or as
a ``CheckReport`` kept it): the counts in the verdicts' order, the findings numbered in text
order, the text cut into plain runs and marked quotations, and a kept report's addresses.

Pure reading of the payload: no query. A kept payload is read defensively (a verdict the engine
no longer names, offsets that do not fit the text): it was written by an older engine, and a
shared link must keep opening.
"""

import html
from dataclasses import dataclass, field

from django.urls import reverse

from . import checking


def report_addresses(report):
    """A kept report's site-relative addresses, as the API gives them."""
    return {
        "key": report.key,
        "url": reverse("negotiations:check-report", args=[report.key]),
        "embed_url": reverse("negotiations:check-embed", args=[report.key]),
    }


def embed_snippet(request, report):
    """The ``<iframe>`` another site pastes to show the report's summary."""
    src = request.build_absolute_uri(reverse("negotiations:check-embed", args=[report.key]))
    return (
        f'<iframe src="{html.escape(src)}" title="Quote check: summary" width="100%" '
        f'height="200" style="border:0"></iframe>'
    )


@dataclass(frozen=True)
class Segment:
    text: str
    finding: dict | None = None  # the finding whose words these are, or plain text


@dataclass
class ShownReport:
    payload: dict
    text: str | None = None  # shown only when at hand: a fresh check, or a shared text
    addresses: dict | None = None
    findings: list = field(init=False)
    segments: list = field(init=False)

    def __post_init__(self):
        self.findings = [
            {
                **finding,
                "number": number,
                "label": self._label(finding),
                "marked": False,  # set by _segments
                "differs": self._differs(finding),
            }
            for number, finding in enumerate(self.payload.get("findings") or [], start=1)
        ]
        self.segments = self._segments()

    @staticmethod
    def _label(finding):
        return checking.VERDICTS.get(finding.get("verdict"), finding.get("label", ""))

    @staticmethod
    def _differs(finding):
        """Whether the words differ from the recorded quote's: the word diff is worth showing
        (not for punctuation alone, as a comma before the closing mark where the record ends
        the sentence)."""
        match = finding.get("match") or {}
        return any(
            piece.get("kind") != "same" and any(c.isalnum() for c in str(piece.get("text", "")))
            for piece in match.get("diff") or []
        )

    @property
    def counts(self):
        """Each verdict with its label, help and count, in the engine's display order; a
        verdict the engine no longer has, after them."""
        counts = self.payload.get("counts") or {}
        names = list(checking.VERDICTS) + [v for v in counts if v not in checking.VERDICTS]
        return [
            {
                "verdict": name,
                "label": checking.VERDICTS.get(name, name),
                "help": checking.VERDICT_HELP.get(name, ""),
                "count": counts.get(name, 0),
            }
            for name in names
        ]

    def _segments(self):
        """The text as plain runs and marked quotations (offsets in code points, as Python's
        str counts them); each finding marked in it gets ``marked`` True. A finding
        overlapping one marked before it (a quotation nested in another) is left to the list:
        its words are inside the outer mark."""
        if self.text is None:
            return []
        pieces, at = [], 0
        for finding in self.findings:
            start, end = finding.get("start"), finding.get("end")
            if not (isinstance(start, int) and isinstance(end, int)):
                continue
            if not (at <= start < end <= len(self.text)):
                continue
            if start > at:
                pieces.append(Segment(self.text[at:start]))
            pieces.append(Segment(self.text[start:end], finding))
            finding["marked"] = True
            at = end
        if at < len(self.text):
            pieces.append(Segment(self.text[at:]))
        return pieces
