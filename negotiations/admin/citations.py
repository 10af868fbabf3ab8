"""Citations: on their own page (naming the one record they back) and as rows inside a quote,
claim or agenda item. The pasted passage is anchored in the source when the form is cleaned.

What a citation backs follows from the model layer (verdicts, statuses); here the editor is told
before saving when a change would leave a published record resting on nothing, and decides on
passages found only approximately after a source's text changed (accept the words found, or
mark the citation broken).
"""

from django import forms
from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import AnchorStatus, Citation
from ..services import anchors, support
from ..versioning import VersionGuardForm, VersionGuardFormSet
from . import selecting
from .base import BaseAdmin, InlineMixin

STRANDED = _(
    "A published %(kind)s must rest on at least one anchored passage of a published source: "
    "keep one, or have a reviewer unpublish it first."
)


class CitationForm(VersionGuardForm):
    # Where the passage was selected in the source's text (``selecting``): it is anchored at
    # these offsets, unless the passage typed in the form is no longer the one there.
    selected_start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    selected_end = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The text around a passage is kept as it is, spaces included: stripped, an untouched
        # citation would look edited and be searched for again.
        for name in ("prefix", "suffix"):
            if name in self.fields:
                self.fields[name].strip = False

    def clean(self):
        cleaned = super().clean()
        span = (cleaned.get("selected_start"), cleaned.get("selected_end"))
        self.instance.selected_span = span if None not in span else None
        return cleaned

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
        if self.instance.pk and not self.errors:
            self.refuse_stranding(cleaned)
        return cleaned

    def refuse_stranding(self, cleaned):
        """Moving a citation away from a published record, or onto a draft source, must not
        leave that record resting on nothing."""
        stored = Citation.objects.filter(pk=self.instance.pk).values("quote", "claim").first()
        same_record = stored == {
            "quote": getattr(cleaned.get("quote"), "pk", None),
            "claim": getattr(cleaned.get("claim"), "pk", None),
        }
        source = cleaned.get("source")
        if same_record and source is not None and source.is_published:
            return
        stranded = support.resting_on(citations=[self.instance.pk])
        if stranded:
            raise forms.ValidationError(
                _("This change would leave %(records)s resting on nothing. %(rule)s")
                % {
                    "records": "; ".join(support.describe(r) for r in stranded),
                    "rule": STRANDED % {"kind": stranded[0]._meta.verbose_name},
                }
            )


class CitationFormSet(VersionGuardFormSet):
    """The citations of one record: a published record keeps at least one that counts."""

    initial_rows = None  # the extra rows' first values, for a form opened from a selection

    def __init__(self, data=None, *args, **kwargs):
        if self.initial_rows and data is None:
            kwargs.setdefault("initial", self.initial_rows)
        super().__init__(data, *args, **kwargs)

    def clean(self):
        super().clean()
        record = self.instance
        if not record.pk or not getattr(record, "is_published", False) or not self.is_valid():
            return
        for form in self.forms:
            citation = form.instance
            if self._should_delete_form(form) or (citation.pk is None and not form.has_changed()):
                continue
            source = form.cleaned_data.get("source") or citation.source
            if citation.anchor_status == AnchorStatus.ANCHORED and source.is_published:
                return
        raise forms.ValidationError(STRANDED % {"kind": record._meta.verbose_name})


class AnchorShown:
    """A citation's anchor, read-only, as far as it is true: a citation not saved (new, or
    refused with its form) holds only its defaults ("Anchored") or what a refused check left."""

    @admin.display(description=_("anchor status"))
    def anchor_status_shown(self, citation):
        if citation.pk is None:
            return _("Not saved yet")
        return citation.get_anchor_status_display()

    @admin.display(description=_("start"))
    def start_shown(self, citation):
        return "—" if citation.pk is None else citation.start

    @admin.display(description=_("end"))
    def end_shown(self, citation):
        return "—" if citation.pk is None else citation.end


class CitationInline(AnchorShown, InlineMixin, admin.StackedInline):
    model = Citation
    form = CitationForm
    formset = CitationFormSet
    extra = 0
    autocomplete_fields = ["source"]
    readonly_fields = ["anchor_status_shown", "start_shown", "end_shown"]
    fields = [
        "source",
        "stance",
        "exact",
        ("prefix", "suffix"),
        "note",
        ("anchor_status_shown", "start_shown", "end_shown"),
        ("selected_start", "selected_end"),
    ]

    def get_extra(self, request, obj=None, **kwargs):
        # A form opened from a passage selected in a source's text: one row holds it.
        return 1 if selecting.requested_passage(request) else super().get_extra(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        passage = selecting.requested_passage(request)
        if passage is None:
            return formset
        # The extra row starts with the selected passage (only as the form is opened: posted
        # back, the row's values are the editor's, and an unchanged row must still count).
        return type(formset.__name__, (formset,), {"initial_rows": [passage.citation_initial]})


class QuoteCitationInline(CitationInline):
    fk_name = "quote"

    def get_extra(self, request, obj=None, **kwargs):
        # A new quote needs its passage: offer the row.
        return 1 if obj is None else super().get_extra(request, obj, **kwargs)


class ClaimCitationInline(QuoteCitationInline):
    fk_name = "claim"


class AgendaItemCitationInline(CitationInline):
    fk_name = "agenda_item"


@admin.register(Citation)
class CitationAdmin(AnchorShown, BaseAdmin):
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
    readonly_fields = [
        "anchor_status_shown",
        "review",
        "anchor_checked_at",
        "start_shown",
        "end_shown",
    ]
    actions = ["accept_found_words", "mark_broken"]
    fieldsets = [
        (
            None,
            {"fields": ["source", "stance", "exact", "note", "anchor_status_shown", "review"]},
        ),
        (_("What it backs (choose one)"), {"fields": ["quote", "claim", "agenda_item"]}),
        (
            _("Anchor"),
            {
                "classes": ["collapse"],
                "fields": ["prefix", "suffix", ("start_shown", "end_shown"), "anchor_checked_at"],
            },
        ),
    ]

    def reviewed_record(self, stored):
        # A citation is part of the public page of the quote or claim it backs (an agenda
        # item's: of its round): changed by an editor while that one is published, it waits
        # for a reviewer.
        target = stored.target
        if target is not None and stored.agenda_item_id:
            target = target.round
        return target if target is not None and target.is_published else None

    @admin.display(description=_("backs"))
    def cited_record(self, citation):
        return citation.target

    @admin.display(description=_("found in the text now"))
    def review(self, citation):
        if citation.anchor_status != AnchorStatus.REVIEW:
            return "—"
        return format_html(
            '<div class="review"><p><strong>{}</strong> “{}”</p><p><strong>{}</strong> “{}”</p>'
            '<p><button type="submit" name="_accept_found">{}</button> '
            '<button type="submit" name="_mark_broken">{}</button></p></div>',
            _("As cited:"),
            citation.exact,
            _("Found now:"),
            citation.source.body[citation.start : citation.end],
            _("Accept the words found"),
            _("Mark broken"),
        )

    def response_change(self, request, obj):
        for button, decide in (
            ("_accept_found", anchors.accept_found_words),
            ("_mark_broken", anchors.mark_broken),
        ):
            if button in request.POST:
                obj.refresh_from_db()
                decided = decide(citations=[obj])
                messages.success(
                    request,
                    _("Citation %(id)d: done.") % {"id": obj.pk}
                    if decided
                    else _("Nothing to decide."),
                )
                return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    @admin.action(description=_("Accept the words found for the selected citations to review"))
    def accept_found_words(self, request, queryset):
        count = anchors.accept_found_words(citations=queryset.select_related("source"))
        messages.success(
            request, _("%(n)d citation(s) anchored on the words found.") % {"n": count}
        )

    @admin.action(description=_("Mark the selected citations broken"))
    def mark_broken(self, request, queryset):
        count = anchors.mark_broken(citations=queryset)
        messages.success(request, _("%(n)d citation(s) marked broken.") % {"n": count})

    def get_deleted_objects(self, objs, request):
        """Citations that are the last support of published records cannot be deleted: the
        page lists those records, the way Django lists protected objects."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        stranded = support.resting_on(citations=[c.pk for c in objs])
        protected = [
            *protected,
            *(
                _("%(record)s rests on them; a reviewer must unpublish it first")
                % {"record": support.describe(record)}
                for record in stranded
            ),
        ]
        return deleted, model_count, perms_needed, protected
