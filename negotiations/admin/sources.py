"""Outlets and sources. Saving a source whose stored text changed finds every citation into it
again and tells the editor which were kept, moved or broken."""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import Outlet, Source
from ..services import anchors
from .base import BaseAdmin, PublishableAdmin


@admin.register(Outlet)
class OutletAdmin(BaseAdmin):
    ordering = ["name"]  # kept when get_queryset adds counts
    list_display = ["name", "website", "source_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=Count("sources"))

    @admin.display(description=_("sources"), ordering="source_count")
    def source_count(self, outlet):
        return outlet.source_count


@admin.register(Source)
class SourceAdmin(PublishableAdmin):
    ordering = ["-published_on", "title"]  # kept when get_queryset adds counts
    list_display = [
        "title",
        "reference",
        "outlet",
        "published_on",
        "reliability",
        "state",
        "citation_count",
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

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

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
