"""The editors' admin: every knowledge-base model, with inlines for the links that carry data."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import flatten_fieldsets
from django.db import connection, models
from django.db.models import Count
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AgendaItem,
    Citation,
    Claim,
    Official,
    Outlet,
    Participant,
    Position,
    Quote,
    Round,
    Source,
    Statement,
    StickingPoint,
)

admin.site.site_header = _("Negotiations knowledge base: editors")
admin.site.site_title = _("Negotiations editors")
admin.site.index_title = _("Knowledge base")


def stored_version(instance, *, lock=False):
    rows = type(instance).objects.filter(pk=instance.pk)
    if lock and connection.in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


class VersionGuardForm(forms.ModelForm):
    """Refuses the save of a form opened before someone else saved the same record.

    The refusal says who saved and when, and what they changed. The form keeps everything the
    second editor typed and takes the colleague's changes into the fields the second editor
    left alone, so that saving again replaces only what the second editor changed. Where both
    changed the same field, the form keeps the second editor's value and names the field.
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["loaded_version"].initial = stored_version(self.instance)

    @cached_property
    def changed_data(self):
        # The version is bookkeeping: an inline row whose only "change" is it is left alone.
        return [name for name in super().changed_data if name != "loaded_version"]

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None:
            current = stored_version(self.instance, lock=True)
            if current is not None and current != loaded:
                theirs, both = self.take_their_changes(loaded)
                self.data = self.data.copy()
                self.data[self.add_prefix("loaded_version")] = str(current)
                for name, value in theirs.items():
                    self.data[self.add_prefix(name)] = value
                raise forms.ValidationError(self.stale_message(theirs, both), code="stale")
        return cleaned

    def _model_fields(self):
        opts = self.instance._meta
        names = {f.name for f in opts.concrete_fields if f.editable}
        return [name for name in self.fields if name in names]

    def take_their_changes(self, loaded):
        """Fields the colleague changed since version ``loaded``, as form data to show, and the
        labels of fields both editors changed."""
        snapshot = self.instance.history.filter(version=loaded).order_by("-history_date").first()
        if snapshot is None:
            return {}, []
        theirs, both = {}, []
        for name in self._model_fields():
            field = self.instance._meta.get_field(name)
            before = getattr(snapshot, field.attname)
            now = field.value_from_object(
                self.instance
            )  # the stored record, as loaded for this POST
            if before == now:
                continue
            mine = self.cleaned_data.get(name, before)
            mine = getattr(mine, "pk", mine)
            if mine == before:
                theirs[name] = "" if now is None else str(now)
            elif mine != now:
                both.append(str(self.fields[name].label))
        return theirs, both

    def stale_message(self, theirs, both):
        latest = self.instance.history.order_by("-history_date").first()
        who = getattr(latest, "history_user", None) or _("someone")
        when = timezone.localtime(latest.history_date) if latest else None
        message = _(
            "%(who)s saved a newer version of this %(model)s at %(when)s, after you opened it, "
            "so nothing was saved. Your changes are still in the form."
        ) % {
            "who": who,
            "model": self.instance._meta.verbose_name,
            "when": when.strftime("%H:%M:%S on %d %B %Y") if when else _("an unknown time"),
        }
        if theirs:
            labels = ", ".join(str(self.fields[name].label) for name in theirs)
            message += " " + _("Their changes to %(fields)s are now in the form too.") % {
                "fields": labels
            }
        if both:
            message += " " + _(
                "You both changed %(fields)s: the form keeps yours; open the record in a new tab "
                "to see theirs."
            ) % {"fields": ", ".join(both)}
        return message + " " + _("Check, then save again.")


class TextField(forms.CharField):
    """Text as typed in a browser, whose line breaks arrive as CR LF: stored with LF only, so
    that an untouched text is not a changed one (and citation offsets never shift)."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class BaseAdmin(SimpleHistoryAdmin):
    """Facets, history with diffs and revert, and the stale-save guard on every form."""

    form = VersionGuardForm
    show_facets = admin.ShowFacets.ALWAYS
    list_per_page = 50
    formfield_overrides = {models.TextField: {"form_class": TextField}}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "loaded_version" in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "loaded_version"]}), *rest]


class PublishableAdmin(BaseAdmin):
    """Records with a publication state: drafts until a reviewer publishes them.

    The state is changed only by the publish and unpublish actions (also in bulk), never in
    the form, and a published record is unpublished rather than deleted.
    """

    actions = ["publish_selected", "unpublish_selected"]

    def has_publish_permission(self, request):
        return request.user.has_perm(f"negotiations.publish_{self.opts.model_name}")

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "state"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)  # it would skip the per-record rule above
        return actions

    @admin.action(description=_("Publish the selected records"), permissions=["publish"])
    def publish_selected(self, request, queryset):
        published, refused = services.publish(queryset)
        if published:
            messages.success(request, _("Published %(n)d.") % {"n": len(published)})
        for record, reason in refused:
            messages.error(
                request,
                _("Not published: %(record)s. %(reason)s") % {"record": record, "reason": reason},
            )

    @admin.action(description=_("Unpublish the selected records"), permissions=["publish"])
    def unpublish_selected(self, request, queryset):
        count = services.unpublish(queryset)
        messages.success(request, _("Unpublished %(n)d; they are drafts again.") % {"n": count})


PUBLICATION_FIELDSET = (
    _("Publication"),
    {"fields": ["state"]},
)


# Citations -----------------------------------------------------------------------------------


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
                    "Choose exactly one record for this citation: a quote, a claim or an agenda item."
                )
            )
        return cleaned


class GuardedInlineMixin:
    """Inline rows carry their own version, so a row changed on its own page meanwhile is
    caught too; text fields keep LF line endings."""

    form = VersionGuardForm
    formfield_overrides = {models.TextField: {"form_class": TextField}}

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        return fields if "loaded_version" in fields else [*fields, "loaded_version"]


class CitationInline(GuardedInlineMixin, admin.StackedInline):
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
        "loaded_version",
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
    readonly_fields = [
        "anchor_status",
        "anchor_checked_at",
        "start",
        "end",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["source", "stance", "exact", "note", "anchor_status"]}),
        (_("What it backs (choose one)"), {"fields": ["quote", "claim", "agenda_item"]}),
        (
            _("Anchor"),
            {
                "classes": ["collapse"],
                "fields": [
                    "prefix",
                    "suffix",
                    ("start", "end"),
                    "anchor_checked_at",
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]

    @admin.display(description=_("backs"))
    def cited_record(self, citation):
        return citation.target

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_quote_of(obj, form)

    def delete_model(self, request, obj):
        quote = obj.quote
        super().delete_model(request, obj)
        if quote:
            services.refresh_verifications(Quote.objects.filter(pk=quote.pk))


def refresh_quote_of(citation, form):
    """A citation's quote (and the quote it was moved from) gets its verdict derived again."""
    quote_ids = {citation.quote_id, form.initial.get("quote")} - {None}
    if quote_ids:
        services.refresh_verifications(Quote.objects.filter(pk__in=quote_ids))


# Sources -------------------------------------------------------------------------------------


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
    readonly_fields = ["created_at", "updated_at"]
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
        PUBLICATION_FIELDSET,
        (_("Record"), {"classes": ["collapse"], "fields": [("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description=_("citations"), ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "body" in form.changed_data:
            report = services.reanchor_source(obj)
            messages.info(
                request,
                _(
                    "The text changed: %(kept)d citation(s) still found, %(moved)d found again at new places."
                )
                % {"kept": len(report.unchanged), "moved": len(report.moved)},
            )
            for citation in report.broken:
                messages.warning(
                    request,
                    _(
                        "Citation %(id)d of %(record)s is broken: “%(exact)s” is no longer in the text. It is kept for you to repair."
                    )
                    % {"id": citation.pk, "record": citation.target, "exact": citation.exact},
                )


# People --------------------------------------------------------------------------------------


class PositionInline(GuardedInlineMixin, admin.TabularInline):
    model = Position
    extra = 0
    fields = ["title", "organisation", "start_on", "start_precision", "end_on", "end_precision"]


@admin.register(Official)
class OfficialAdmin(PublishableAdmin):
    list_display = ["name", "native_name", "country", "state"]
    list_filter = ["state", "country"]
    search_fields = ["name", "native_name", "positions__title"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PositionInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "native_name", "slug", "country", "summary"]}),
        PUBLICATION_FIELDSET,
        (_("Record"), {"classes": ["collapse"], "fields": [("created_at", "updated_at")]}),
    ]


# Rounds and issues ---------------------------------------------------------------------------


@admin.register(StickingPoint)
class StickingPointAdmin(PublishableAdmin):
    ordering = ["name"]  # kept when get_queryset adds counts
    list_display = ["name", "category", "state", "round_count"]
    list_filter = ["state", "category"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "category", "summary"]}),
        PUBLICATION_FIELDSET,
        (_("Record"), {"classes": ["collapse"], "fields": [("created_at", "updated_at")]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(round_count=Count("agenda_items"))

    @admin.display(description=_("rounds"), ordering="round_count")
    def round_count(self, sticking_point):
        return sticking_point.round_count


class ParticipantInline(GuardedInlineMixin, admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["official"]
    fields = ["official", "side", "role", "note"]


class AgendaItemInline(GuardedInlineMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["sticking_point"]
    fields = ["sticking_point", "status", "note"]
    show_change_link = True


@admin.register(Round)
class RoundAdmin(PublishableAdmin):
    list_display = ["title", "kind", "city", "start_on", "end_on", "state"]
    list_filter = ["state", "kind", "country", "agenda_items__sticking_point"]
    search_fields = ["title", "city", "country", "summary", "outcome"]
    date_hierarchy = "start_on"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ParticipantInline, AgendaItemInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("city", "country")]}),
        (_("Dates"), {"fields": [("start_on", "start_precision"), ("end_on", "end_precision")]}),
        (_("What happened"), {"fields": ["summary", "outcome"]}),
        PUBLICATION_FIELDSET,
        (_("Record"), {"classes": ["collapse"], "fields": [("created_at", "updated_at")]}),
    ]


@admin.register(AgendaItem)
class AgendaItemAdmin(BaseAdmin):
    """An agenda item on its own page, so that its citations can be entered inline."""

    list_display = ["sticking_point", "round", "status"]
    list_filter = ["status", "sticking_point", "round"]
    list_select_related = ["round", "sticking_point"]
    search_fields = ["sticking_point__name", "round__title", "note"]
    autocomplete_fields = ["round", "sticking_point"]
    inlines = [AgendaItemCitationInline]


# Evidence ------------------------------------------------------------------------------------


@admin.register(Statement)
class StatementAdmin(PublishableAdmin):
    ordering = ["speaker__name", "summary"]  # kept when get_queryset adds counts
    list_display = ["summary", "speaker", "wording_count", "state"]
    list_filter = ["state", "speaker"]
    list_select_related = ["speaker"]
    search_fields = ["summary", "speaker__name", "quotes__text"]
    prepopulated_fields = {"slug": ["summary"]}
    autocomplete_fields = ["speaker"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(wording_count=Count("quotes"))

    @admin.display(description=_("wordings"), ordering="wording_count")
    def wording_count(self, statement):
        return statement.wording_count

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.refresh_verifications(obj.quotes.all())


@admin.register(Quote)
class QuoteAdmin(PublishableAdmin):
    list_display = ["short_text", "speaker", "kind", "verification", "said_on", "round", "state"]
    list_filter = ["state", "verification", "kind", "speaker", "round", "sticking_points"]
    list_select_related = ["speaker", "round"]
    search_fields = ["text", "setting", "speaker__name", "speaker__native_name"]
    date_hierarchy = "said_on"
    autocomplete_fields = ["speaker", "statement", "round", "sticking_points"]
    inlines = [QuoteCitationInline]
    readonly_fields = ["verification", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["text", "speaker", "kind", "statement", "verification"]}),
        (_("When and where"), {"fields": [("said_on", "said_precision"), "setting", "round"]}),
        (_("Issues"), {"fields": ["sticking_points"]}),
        PUBLICATION_FIELDSET,
        (_("Record"), {"classes": ["collapse"], "fields": [("created_at", "updated_at")]}),
    ]

    @admin.display(description=_("quote"), ordering="text")
    def short_text(self, quote):
        return Truncator(quote.text).chars(90)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Its verdict, and its old and new statement's other wordings, follow from what was saved.
        statements = {form.instance.statement_id, form.initial.get("statement")} - {None}
        services.refresh_verifications(
            Quote.objects.filter(pk=form.instance.pk)
            | Quote.objects.filter(statement__in=statements)
        )


@admin.register(Claim)
class ClaimAdmin(PublishableAdmin):
    list_display = ["short_text", "round", "value", "unit", "as_of", "state"]
    list_filter = ["state", "unit", "round", "sticking_points"]
    list_select_related = ["round"]
    search_fields = ["text"]
    date_hierarchy = "as_of"
    autocomplete_fields = ["round", "sticking_points", "officials"]
    inlines = [ClaimCitationInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["text", "round", "sticking_points", "officials"]}),
        (
            _("Number (for charts)"),
            {"fields": [("value", "unit"), ("as_of", "as_of_precision")]},
        ),
        PUBLICATION_FIELDSET,
        (_("Record"), {"classes": ["collapse"], "fields": [("created_at", "updated_at")]}),
    ]

    @admin.display(description=_("claim"), ordering="text")
    def short_text(self, claim):
        return Truncator(claim.text).chars(90)
