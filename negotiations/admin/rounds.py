"""Rounds, with their participants and agenda as rows of the round's form, each agenda row with
a citation to add in the same save; an agenda item on its own page, with all its citations."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import AgendaItem, Citation, Participant, Round, Source, Stance
from ..versioning import VersionGuardForm
from .addresses import PermanentAddressAdmin
from .base import BaseAdmin, InlineMixin, PublishableAdmin
from .citations import AgendaItemCitationInline
from .selecting import OpensFromSelection


class ParticipantInline(InlineMixin, admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["official"]
    fields = ["official", "side", "role", "note"]


CITE_FIELDS = ["cite_source", "cite_stance", "cite_exact", "cite_prefix"]


class AgendaItemForm(VersionGuardForm):
    """An agenda row of the round's form, with a passage to cite for it: Django's admin nests no
    rows inside rows, so each row takes one new citation per save (its source, stance, passage
    and, for a passage printed more than once, the words just before it). The passage is found
    in the source when the form is cleaned, as in any citation form, and the citation is saved
    right after its row: a new round's agenda is cited in the round's first save."""

    cite_source = forms.ModelChoiceField(
        queryset=Source.objects.all(),
        required=False,
        label=_("cite: source"),
        widget=AutocompleteSelect(Citation._meta.get_field("source"), admin.site),
    )
    cite_stance = forms.ChoiceField(
        choices=Stance.choices, initial=Stance.SUPPORTS, required=False, label=_("stance")
    )
    cite_exact = forms.CharField(
        required=False,
        label=_("passage"),
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_("Paste the words from the source's stored text."),
    )
    cite_prefix = forms.CharField(
        required=False,
        strip=False,
        label=_("words just before it"),
        widget=forms.TextInput(attrs={"size": 12}),
        help_text=_("Only where the passage occurs more than once in the source."),
    )

    class Meta:
        model = AgendaItem
        fields = ["sticking_point", "status", "note"]

    new_citation = None

    def clean(self):
        cleaned = super().clean()
        source, exact = cleaned.get("cite_source"), cleaned.get("cite_exact")
        if source and not exact:
            self.add_error("cite_exact", _("Paste the passage of this source to cite."))
        elif exact and not source and "cite_source" not in self.errors:
            self.add_error("cite_source", _("Choose the source the passage is from."))
        elif source and exact:
            citation = Citation(
                source=source,
                exact=exact,
                prefix=cleaned.get("cite_prefix") or "",
                stance=cleaned.get("cite_stance") or Stance.SUPPORTS,
            )
            try:
                citation.anchor_in_source()
            except ValidationError as refusal:
                self.add_error("cite_exact", refusal.messages)
            else:
                self.new_citation = citation
        return cleaned

    def save(self, commit=True):
        item = super().save(commit)
        if self.new_citation is None:
            return item
        if commit:
            self._save_citation(item)
        else:
            save_m2m = self.save_m2m

            def save_m2m_then_citation():
                save_m2m()
                self._save_citation(item)

            self.save_m2m = save_m2m_then_citation
        return item

    def _save_citation(self, item):
        self.new_citation.agenda_item = item
        self.new_citation.full_clean()
        self.new_citation.save()
        self.new_citation = None  # once


class AgendaItemInline(InlineMixin, admin.TabularInline):
    model = AgendaItem
    form = AgendaItemForm
    extra = 0
    autocomplete_fields = ["sticking_point"]
    fields = ["sticking_point", "status", "note", "citations_of_item", *CITE_FIELDS]
    readonly_fields = ["citations_of_item"]
    verbose_name_plural = _("agenda, with a passage to cite for each item")

    def get_queryset(self, request):
        # Each row says how many citations its item has: counted here, not row by row.
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description=_("citations"))
    def citations_of_item(self, item):
        if item.pk is None:
            return "—"
        count = getattr(item, "citation_count", None)
        if count is None:
            count = item.citations.count()
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:negotiations_agendaitem_change", args=[item.pk]),
            ngettext("%(n)d citation: see or edit", "%(n)d citations: see or edit", count)
            % {"n": count},
        )


@admin.register(Round)
class RoundAdmin(PermanentAddressAdmin, PublishableAdmin):
    list_display = ["title", "kind", "city", "start_on", "end_on", "state"]
    list_filter = ["state", "kind", "country", "agenda_items__sticking_point"]
    search_fields = ["title", "city", "country", "summary", "outcome"]
    date_hierarchy = "start_on"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParticipantInline, AgendaItemInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("city", "country")]}),
        (_("Dates"), {"fields": [("start_on", "start_precision"), ("end_on", "end_precision")]}),
        (_("What happened"), {"fields": ["summary", "outcome"]}),
    ]


@admin.register(AgendaItem)
class AgendaItemAdmin(OpensFromSelection, BaseAdmin):
    """An agenda item on its own page, so that its citations can be entered inline."""

    list_display = ["sticking_point", "round", "status"]
    list_filter = ["status", "sticking_point", "round"]
    list_select_related = ["round", "sticking_point"]
    search_fields = ["sticking_point__name", "round__title", "note"]
    autocomplete_fields = ["round", "sticking_point"]
    inlines = [AgendaItemCitationInline]

    def reviewed_record(self, stored):
        # Part of its round's public page: while the round is published, an editor's change
        # (and its citations') waits for a reviewer.
        return stored.round if stored.round.is_published else None
