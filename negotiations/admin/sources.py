"""Outlets and sources. Saving a source whose stored text changed finds every citation into it
again (the model layer does it, whatever saves the source) and tells the editor which were
kept, moved, put to review or broken; a change that would leave a published record resting on
nothing is refused before anything is saved."""

import copy

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ..models import Outlet, Source
from ..services import anchors, derivation, origins, support
from ..versioning import VersionGuardForm
from .addresses import PermanentAddressAdmin
from .base import BaseAdmin, PublishableAdmin, count_column


@admin.register(Outlet)
class OutletAdmin(BaseAdmin):
    ordering = ["name"]  # stable when counts are annotated
    list_display = ["name", "website", count_column("sources", _("sources"))]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class SourceForm(VersionGuardForm):
    """Checks what the submitted data would do, before anything is saved."""

    def clean_derived_from(self):
        parents = self.cleaned_data.get("derived_from") or []
        if self.instance.pk:
            problem = origins.derivation_problem(self.instance, parents)
            if problem:
                raise forms.ValidationError(problem)
        return parents

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body")
        if self.instance.pk and body is not None:
            # Against the stored text, not the form's initial one: a version restored from
            # History arrives as an "unchanged" form holding an old text.
            stored = Source.objects.filter(pk=self.instance.pk).values_list("body", flat=True)
            if body != stored.first():
                self.refuse_stranding(body)
        return cleaned

    def refuse_stranding(self, body):
        probe = copy.copy(self.instance)
        probe.body = body
        lost = []
        for citation in self.instance.citations.order_by("pk"):
            citation.source = probe
            outcome, _anchor = anchors.relocate(citation)
            if outcome in ("review", "broken"):
                lost.append(citation.pk)
        stranded = support.resting_on(citations=lost)
        if stranded:
            self.add_error(
                "body",
                _(
                    "This change removes the passages that these published records rest on: "
                    "%(records)s. Keep those words, or have a reviewer unpublish the records "
                    "first."
                )
                % {"records": "; ".join(support.describe(r) for r in stranded)},
            )


@admin.register(Source)
class SourceAdmin(PermanentAddressAdmin, PublishableAdmin):
    form = SourceForm
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
    autocomplete_fields = ["outlet", "derived_from", "same_report_as"]
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
        (
            _("Reliability and origin"),
            {"fields": ["reliability", "reliability_note", "derived_from", "same_report_as"]},
        ),
        (
            _("Retrieval and archive"),
            {"classes": ["collapse"], "fields": ["retrieved_on", "archive_url"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        with derivation.deferred() as changes:
            super().save_model(request, obj, form, change)
        for _source, report in changes.reports:
            self.tell_what_moved(request, report)

    def tell_what_moved(self, request, report):
        messages.info(
            request,
            _(
                "The text changed: %(kept)d citation(s) still found, %(moved)d found again "
                "at new places."
            )
            % {"kept": len(report.unchanged), "moved": len(report.moved)},
        )
        for citation in report.review:
            messages.warning(
                request,
                _(
                    "Citation %(id)d of %(record)s needs review: “%(exact)s” was found only "
                    "approximately, as “%(found)s”. Accept the words found, or mark it broken, "
                    "from the citations list."
                )
                % {
                    "id": citation.pk,
                    "record": citation.target,
                    "exact": citation.exact,
                    "found": citation.source.body[citation.start : citation.end],
                },
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
