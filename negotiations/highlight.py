"""Render a source's stored text with its cited passages marked.

Each cited passage starts in ``<mark id="cite-N">``; where passages overlap without nesting,
the later one is continued in further ``<mark data-cite="N">`` pieces so the HTML stays well
formed. After each passage a small link leads back to what cites it.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class Span:
    id: int
    start: int
    end: int
    href: str
    label: str
    stance: str = "supports"


def _open(span, first, title=""):
    title = format_html(' title="{}"', title) if title else ""
    if first:
        return format_html(
            '<mark class="cite cite-{}" id="cite-{}" data-cite="{}" tabindex="-1"{}>',
            span.stance,
            span.id,
            span.id,
            title,
        )
    return format_html(
        '<mark class="cite cite-{} cite-cont" data-cite="{}"{}>', span.stance, span.id, title
    )


def _backlink(span, number):
    return format_html(
        '<a class="cite-ref" href="{}" aria-label="Citation {}: {}">[{}]</a>',
        span.href,
        number,
        span.label,
        number,
    )


def render_marked_text(text, spans, *, backlinks=True):
    """HTML of ``text`` with every span marked; spans outside the text are left out.

    Without ``backlinks`` the HTML's text is ``text`` itself, character for character (for
    selecting in it: offsets count in it), and each mark names what cites it in its title."""
    spans = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    numbers = {s.id: n for n, s in enumerate(sorted(spans, key=lambda s: (s.start, s.id)), 1)}
    boundaries = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    starting = {}
    for span in sorted(spans, key=lambda s: (-s.end, s.id)):
        starting.setdefault(span.start, []).append(span)
    ending = {}
    for span in spans:
        ending.setdefault(span.end, set()).add(span.id)

    def title(span):
        return "" if backlinks else span.label

    html, stack, opened = [], [], set()
    for index, position in enumerate(boundaries):
        closing = ending.get(position, set())
        if closing:
            depth = min(i for i, span in enumerate(stack) if span.id in closing)
            reopen = [span for span in stack[depth:] if span.id not in closing]
            for span in reversed(stack[depth:]):
                html.append("</mark>")
                if span.id in closing and backlinks:
                    html.append(_backlink(span, numbers[span.id]))
            del stack[depth:]
            for span in reopen:
                html.append(_open(span, first=False, title=title(span)))
                stack.append(span)
        for span in starting.get(position, []):
            html.append(_open(span, first=span.id not in opened, title=title(span)))
            opened.add(span.id)
            stack.append(span)
        if index + 1 < len(boundaries):
            html.append(escape(text[position : boundaries[index + 1]]))
    return mark_safe("".join(str(part) for part in html))
