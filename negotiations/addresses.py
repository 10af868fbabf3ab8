"""Permanent addresses: a record's old slug keeps answering, with a 301 to its current address.

Every slug a record ever had is already kept in its revision history (django-simple-history
writes a row with the record's fields at each save, whichever path saved it: a form, an inline,
History's revert, the seed loader, the shell), and the history tables index the slug column as
the records' tables do. So no table of old slugs is kept beside them: a page that finds no record
under its slug looks there, once, and only then. A hit costs nothing.

On a miss, the newest history row holding that slug whose record exists and may be seen now
(published; staff also preview drafts) names the record; the answer is a permanent redirect to
the same page under its current slug, with the query string (``?format=json``) kept. Its current
slug, not the next one it had: an address renamed twice never redirects through a chain. A slug
that another record holds now is that record's (even as a draft, whose page is a 404 to the
public): the old holder never takes it back. A draft's old slug is a 404 like the draft.

Not covered: a slug changed by ``QuerySet.update()`` or raw SQL, which write no history row (as
they skip every other rule of the model layer), and the first slug of a record made in bulk
(``synthetic``, a backup's restore) without history, until its first save writes one.
"""

import functools

from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse


def current_slug(model, slug, user):
    """The current slug of the record of ``model`` that last held ``slug`` before giving it up,
    where ``user`` may see that record; None when there is none, or when a record holds ``slug``
    now. One query, on indexes (the history's slug, the records' key and slug)."""
    history = model.history.model.objects
    held = history.filter(slug=slug)
    last_held = held.filter(id=OuterRef("pk")).order_by("-history_id").values("history_id")[:1]
    return (
        model.objects.visible_to(user)
        .filter(~Exists(model._default_manager.filter(slug=slug)))
        .filter(pk__in=held.values("id"))
        .annotate(last_held=Subquery(last_held))
        .order_by("-last_held")
        .values_list("slug", flat=True)
        .first()
    )


def redirect_old_slugs(view, model):
    """``view`` (a page of a record of ``model`` by its ``slug``), answering a former slug of a
    record with a permanent redirect to the same page under its current one."""

    @functools.wraps(view)
    def page(request, *args, slug, **kwargs):
        try:
            return view(request, *args, slug=slug, **kwargs)
        except Http404:
            moved_to = current_slug(model, slug, request.user)
            if moved_to is None:
                raise
        match = request.resolver_match
        location = reverse(match.view_name, args=args, kwargs={**kwargs, "slug": moved_to})
        if query := request.META.get("QUERY_STRING"):
            location = f"{location}?{query}"
        return HttpResponsePermanentRedirect(location)

    return page
