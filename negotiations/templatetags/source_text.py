"""Template tags for a source's page: its stored text with the cited passages marked."""

from django import template

from ..highlight import Span, render_marked_text

register = template.Library()


@register.simple_tag
def marked_text(source, citations):
    """The source's stored text as HTML, each anchored passage in ``<mark id="cite-N">`` with a
    numbered link back to what cites it."""
    spans = [
        Span(c.pk, c.start, c.end, c.target.get_absolute_url(), str(c.label), c.stance)
        for c in citations
        if c.is_anchored
    ]
    return render_marked_text(source.body, spans)


@register.filter
def not_anchored(citations):
    """The citations whose passage is no longer at its place in the text."""
    return [c for c in citations if not c.is_anchored]
