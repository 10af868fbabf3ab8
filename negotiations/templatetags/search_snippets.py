"""Template filters for search results."""

from django import template

from ..search import render_snippet

register = template.Library()


@register.filter
def snippet_html(snippet):
    """A record's ``search_snippet`` (``PublishableQuerySet.with_snippet``) as safe HTML: the
    stored text escaped, each match in ``<mark>``."""
    return render_snippet(snippet)
