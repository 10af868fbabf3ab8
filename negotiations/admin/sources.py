"""Outlets and sources. Saving a source whose stored text changed finds every citation into it
again and tells the editor which were kept, moved or broken."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ..models import Outlet, Source
from ..services import anchors
from .base import BaseAdmin, PublishableAdmin, count_column


@admin.register(Outlet)
class OutletAdmin(BaseAdmin):
    ordering = ["name"]  # stable when counts are annotated
    list_display = ["name", "website", count_column("sources", _("sources"))]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    ordering = ["-published_on", "title"]  # stable when counts are annotated
    list_display = [
        "title",
        "reference",
        "outlet",
        "published_on",
        "reliability",
        "state",
        count_column("citations", _("citations")),
    ]
    list_filter = ["state", "reliability", "kind", "outlet", "language"]
    list_select_related = ["outlet"]
    search_fields = ["title", "reference", "body", "author", "outlet__name", "url"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["outlet", "derived_from"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "title_is_descriptive",
                    "slug",
                    "reference",
                    "kind",
                    "outlet",
                    "url",
                    "author",
                    "language",
                ]
            },
        ),
        (
            _("Publication date"),
            {"fields": [("published_on", "published_precision"), "published_as_printed"]},
        ),
        (_("Stored text"), {"fields": ["body"]}),
        (_("Reliability"), {"fields": ["reliability", "reliability_note", "derived_from"]}),
        (
            _("Retrieval and archive"),
            {"classes": ["collapse"], "fields": ["retrieved_on", "archive_url"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "body" in form.changed_data:
            report = anchors.reanchor_source(source=obj)
            messages.info(
                request,
                _(
                    "The text changed: %(kept)d citation(s) still found, %(moved)d found again "
                    "at new places."
                )
                % {"kept": len(report.unchanged), "moved": len(report.moved)},
            )
            for citation in report.broken:
                messages.warning(
                    request,
                    _(
                        "Citation %(id)d of %(record)s is broken: “%(exact)s” is no longer in the "
                        "text. It is kept for you to repair."
                    )
                    % {"id": citation.pk, "record": citation.target, "exact": citation.exact},
                )
