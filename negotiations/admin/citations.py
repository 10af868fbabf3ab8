"""Citations: on their own page (naming the one record they back) and as rows inside a quote,
claim or agenda item. The pasted passage is anchored in the source when the form is cleaned;
a quote whose citations change gets its verdict derived again."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Citation, Quote
from ..services import verdicts
from ..versioning import VersionGuardForm
from .base import BaseAdmin, InlineMixin


class CitationForm(VersionGuardForm):
    class Meta:
        model = Citation
        fields = ["source", "stance", "exact", "prefix", "suffix", "note"]
        widgets = {
            "exact": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }


class StandaloneCitationForm(CitationForm):
    """A citation entered on its own page names the one record it backs."""

    class Meta(CitationForm.Meta):
        fields = ["source", "quote", "claim", "agenda_item", *CitationForm.Meta.fields[1:]]

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in Citation.TARGET_FIELDS if cleaned.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _(
                    "Choose exactly one record for this citation: a quote, a claim or an agenda "
                    "item."
                )
            )
        return cleaned


class CitationInline(InlineMixin, admin.StackedInline):
    model = Citation
    form = CitationForm
    extra = 0
    autocomplete_fields = ["source"]
    readonly_fields = ["anchor_status", "start", "end"]
    fields = [
        "source",
        "stance",
        "exact",
        ("prefix", "suffix"),
        "note",
        ("anchor_status", "start", "end"),
    ]


class QuoteCitationInline(CitationInline):
    fk_name = "quote"

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if obj is None else 0  # a new quote needs its passage: offer the row


class ClaimCitationInline(QuoteCitationInline):
    fk_name = "claim"


class AgendaItemCitationInline(CitationInline):
    fk_name = "agenda_item"


@admin.register(Citation)
class CitationAdmin(BaseAdmin):
    form = StandaloneCitationForm
    list_display = ["__str__", "source", "stance", "anchor_status", "cited_record", "start", "end"]
    list_filter = ["anchor_status", "stance", "source"]
    list_select_related = [
        "source",
        "source__outlet",
        "quote__speaker",
        "claim",
        "agenda_item__round",
        "agenda_item__sticking_point",
    ]
    search_fields = ["exact", "note", "source__title"]
    autocomplete_fields = ["source", "quote", "claim", "agenda_item"]
    readonly_fields = ["anchor_status", "anchor_checked_at", "start", "end"]
    fieldsets = [
        (None, {"fields": ["source", "stance", "exact", "note", "anchor_status"]}),
        (_("What it backs (choose one)"), {"fields": ["quote", "claim", "agenda_item"]}),
        (
            _("Anchor"),
            {
                "classes": ["collapse"],
                "fields": ["prefix", "suffix", ("start", "end"), "anchor_checked_at"],
            },
        ),
    ]

    @admin.display(description=_("backs"))
    def cited_record(self, citation):
        return citation.target

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Its quote, and the quote it was moved from, get their verdicts derived again.
        quote_ids = {obj.quote_id, form.initial.get("quote")} - {None}
        if quote_ids:
            verdicts.refresh_verifications(quotes=Quote.objects.filter(pk__in=quote_ids))

    def delete_model(self, request, obj):
        quote_id = obj.quote_id
        super().delete_model(request, obj)
        if quote_id:
            verdicts.refresh_verifications(quotes=Quote.objects.filter(pk=quote_id))
