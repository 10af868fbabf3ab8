"""A passage an editor selected in a source's stored text, as the forms opened from the selection
receive it: ``?cite=<source id>:<start>:<end>``, code-point offsets into ``Source.body``.

Only the source and the offsets come from the browser. The passage, and the text before and
after it, are read from the stored text itself; offsets that are out of range, or that select
nothing but white space, are refused with a message saying what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import anchoring
from .models import Source

_CITE = re.compile(r"(\d{1,12}):(\d{1,12}):(\d{1,12})")


class SelectionError(ValueError):
    """A selection that cannot be cited; the message says why in an editor's words."""


@dataclass(frozen=True)
class SelectedPassage:
    source: Source
    anchor: anchoring.Anchor

    @property
    def query(self) -> str:
        """As the ``cite`` parameter of a form's address."""
        return f"{self.source.pk}:{self.anchor.start}:{self.anchor.end}"

    @property
    def citation_initial(self) -> dict:
        """A citation row's first values: the passage, its context and where it is."""
        return {
            "source": self.source.pk,
            "exact": self.anchor.exact,
            "prefix": self.anchor.prefix,
            "suffix": self.anchor.suffix,
            "selected_start": self.anchor.start,
            "selected_end": self.anchor.end,
        }

    @property
    def quoted_words(self) -> str:
        """The words a quote would print: those inside the quotation marks where the passage
        holds a quotation (“Bessent said: “…”” gives the quotation), else the passage itself
        without the marks around it, on one line."""
        exact, start = self.anchor.exact, self.anchor.start
        inner = [
            (a, b)
            for a, b in anchoring.quotation_spans(self.source.body)
            if start <= a - 1 and b + 1 <= start + len(exact)
        ]
        words = exact
        if inner:
            a, b = max(inner, key=lambda span: span[1] - span[0])
            words = self.source.body[a:b]
        return " ".join(words.strip().strip("“”\"‘’'«»「」『』").split())


def select(*, source: Source, start: int, end: int) -> SelectedPassage:
    """The passage ``source.body[start:end]``, white space at its edges left out."""
    body = source.body
    if not 0 <= start < end:
        raise SelectionError(
            _(
                "The selection %(start)d–%(end)d selects nothing: select the words to cite in "
                "the source's text."
            )
            % {"start": start, "end": end}
        )
    if end > len(body):
        raise SelectionError(
            _(
                "The selection %(start)d–%(end)d lies outside the stored text of “%(title)s” "
                "(%(length)d characters): its text may have changed since you selected it. "
                "Select the passage again."
            )
            % {"start": start, "end": end, "title": source.title, "length": len(body)}
        )
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start == end:
        raise SelectionError(_("The selection holds only white space: select the words to cite."))
    return SelectedPassage(source, anchoring.make_anchor(body, start, end))


def from_query(value: str, sources=None) -> SelectedPassage:
    """The passage a ``cite`` parameter (``<source id>:<start>:<end>``) names."""
    match = _CITE.fullmatch(value.strip())
    if not match:
        raise SelectionError(
            _(
                "“%(value)s” is not a selection: it should read source:start:end, as the "
                "source's “Cite from the text” page makes it."
            )
            % {"value": value[:80]}
        )
    source_id, start, end = (int(group) for group in match.groups())
    sources = Source.objects.all() if sources is None else sources
    source = sources.filter(pk=source_id).only("pk", "title", "slug", "body").first()
    if source is None:
        raise SelectionError(_("There is no source %(id)d to cite.") % {"id": source_id})
    return select(source=source, start=start, end=end)
