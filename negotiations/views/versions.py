"""A record's public versions and history: /<kind>/<key>/versions/<n>/ shows the record as it
was at version n, /<kind>/<key>/history/ lists its public versions and what each changed
(``negotiations.revisions``); both also as ?format=json.

A record not published now, and a version saved while it was a draft, are the site's 404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.views.generic import TemplateView

from .. import revisions, serializers
from ..exports import ExportMixin


class RevisionsMixin(ExportMixin):
    """The published record of ``kind`` (a ``revisions.KINDS`` name) named by the URL."""

    kind = None
    formats = ("html", "json")

    def get_record(self):
        record = revisions.public_record(self.kind, self.kwargs[self.kind.key])
        if record is None:
            raise Http404("No published record here.")
        return record


class VersionView(RevisionsMixin, TemplateView):
    """templates/negotiations/version_detail.html: ``record`` (as it is now), ``version`` (a
    ``revisions.Version``: its fields then, when it was current, its citations then)."""

    template_name = "negotiations/version_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record()
        version = revisions.version_of(self.kind, record, self.kwargs["number"])
        if version is None:
            raise Http404("No public version with this number.")
        context.update(record=record, version=version, kind=self.kind)
        return context

    def get_json_data(self, context):
        return serializers.version_data(context["version"])


class HistoryView(RevisionsMixin, TemplateView):
    """templates/negotiations/history.html: ``record`` and ``entries`` (``revisions.Entry``,
    newest first, a page of them: ``page_obj``, ``paginator``, ``is_paginated``). The same
    queries however long the history: the record, the count, the page, and one for each kind
    of related record its fields name (a quote's speaker and round)."""

    template_name = "negotiations/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.get_record()
        versions = revisions.public_versions(record)
        size = revisions.HISTORY_PAGE_SIZE
        paginator = Paginator(versions, size)
        page = paginator.get_page(self.request.GET.get("page"))
        start = (page.number - 1) * size
        rows = list(versions[start : start + size + 1])  # one more: what the last one changed
        entries = revisions.history_entries(
            self.kind, record, rows[:size], older=rows[size] if len(rows) > size else None
        )
        context.update(
            record=record,
            kind=self.kind,
            entries=entries,
            page_obj=page,
            paginator=paginator,
            is_paginated=page.has_other_pages(),
        )
        return context

    def get_json_data(self, context):
        return serializers.history_data(
            context["record"], entries=context["entries"], page=context["page_obj"]
        )
