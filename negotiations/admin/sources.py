"""Outlets and sources. Saving a source whose stored text changed finds every citation into it
again (the model layer does it, whatever saves the source) and tells the editor which were
kept, moved, put to review or broken; a change that would leave a published record resting on
nothing is refused before anything is saved. A source can also be imported from a web page
(``retrievals``): its add form then opens prefilled for review."""

import copy

from django import forms
from django.contrib import admin, messages
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..models import Outlet, Source
from ..services import anchors, derivation, imports, origins, support
from ..versioning import VersionGuardForm
from . import retrievals
from .addresses import PermanentAddressAdmin
from .base import BaseAdmin, PublishableAdmin, count_column
from .selecting import CitesFromText


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


class SourceReviewForm(SourceForm):
    """The add form of a source imported from a web page: with the outlet the page names,
    to be created on save if the editor keeps it and chooses no existing outlet."""

    proposed_outlet = forms.CharField(
        label=_("New outlet"),
        required=False,
        max_length=200,
        help_text=_(
            "The site name the page gives, proposed as a new outlet: created when you save, "
            "unless you choose an existing outlet above. Clear it to leave the outlet unknown."
        ),
    )


@admin.register(Source)
class SourceAdmin(CitesFromText, PermanentAddressAdmin, PublishableAdmin):
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
        "cite_column",
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
        (_("Stored text"), {"fields": ["cite_link", "body"]}),
        (
            _("Reliability and origin"),
            {"fields": ["reliability", "reliability_note", "derived_from", "same_report_as"]},
        ),
        (
            _("Retrieval and archive"),
            {"classes": ["collapse"], "fields": ["retrieved_on", "archive_url"]},
        ),
    ]

    readonly_fields = ["cite_link", "retrieval_record"]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "import/",
                view(lambda request: retrievals.import_view(self, request)),
                name="negotiations_source_import",
            ),
            path(
                "retrieval/<int:pk>/original/",
                view(lambda request, pk: retrievals.original_view(self, request, pk)),
                name="negotiations_source_retrieval_original",
            ),
            *super().get_urls(),
        ]

    # The review of an import: the add form, prefilled from the retrieval -------------------

    def reviewed_retrieval(self, request, obj=None):
        """The retrieval this add form reviews, if any (and not already saved as a source)."""
        if obj is not None and obj.pk:
            return None
        retrieval = retrievals.pending_retrieval(request)
        return retrieval if retrieval is not None and retrieval.source_id is None else None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        retrieval = retrievals.pending_retrieval(request)
        if retrieval is None:
            if retrievals.RETRIEVAL_PARAMETER in request.GET:
                messages.error(request, _("That import was not found: import the page again."))
            return initial
        if retrieval.source_id is not None:
            messages.warning(request, retrievals.duplicate_message(self, retrieval.source))
            return initial
        reviewed, article = imports.review_initial(retrieval=retrieval)
        if request.method == "GET":
            retrievals.announce_review(request, retrieval, article)
        return {**reviewed, **initial}

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self.reviewed_retrieval(request, obj) is not None:
            kwargs["form"] = SourceReviewForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        reviewing = self.reviewed_retrieval(request, obj) is not None
        shown = []
        for name, options in fieldsets:
            fields = list(options["fields"])
            if reviewing and "outlet" in fields:
                fields.insert(fields.index("outlet") + 1, "proposed_outlet")
            if "archive_url" in fields:
                if obj is not None:
                    fields.append("retrieval_record")
                # Open where there is something to check: the retrieval date and archive copy
                # under review, or the page a source was imported from.
                if reviewing or (obj is not None and obj.retrievals.exists()):
                    options = {**options, "classes": []}
            shown.append((name, {**options, "fields": fields}))
        return shown

    @admin.display(description=_("retrieval"))
    def retrieval_record(self, obj):
        if obj is None or not obj.pk:
            return "—"
        records = list(obj.retrievals.order_by("-retrieved_at", "-pk")[:5])
        if not records:
            return _("Not imported from a web page.")
        return format_html_join(
            mark_safe("<br>"), "{}", ((retrievals.describe(r),) for r in records)
        )

    def save_model(self, request, obj, form, change):
        retrieval = self.reviewed_retrieval(request, obj if change else None)
        proposed = (form.cleaned_data.get("proposed_outlet") or "").strip()
        if retrieval is not None and not obj.outlet_id and proposed:
            obj.outlet = imports.outlet_named(name=proposed, url=obj.url or retrieval.address)
        with derivation.deferred() as changes:
            super().save_model(request, obj, form, change)
        if retrieval is not None and not change:
            imports.link(retrieval=retrieval, source=obj)
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
