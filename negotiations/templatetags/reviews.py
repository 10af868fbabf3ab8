"""Template tags for the admin: how many changes to published records wait for a reviewer."""

from django import template

from ..models import PendingChange

register = template.Library()


@register.simple_tag
def changes_to_review():
    """The number of pending changes (one query, on the status index)."""
    return PendingChange.objects.pending().count()
