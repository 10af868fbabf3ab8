"""Statements and quotes. A quote's verdict is derived by the model layer whenever what it rests
on changes (its text, kind, statement, citations, their sources), however that change is made.
The quote form offers the speaker's close recorded wordings while the editor types (``wordings``)."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..models import Quote, Statement
from .base import PublishableAdmin, count_column
from .citations import QuoteCitationInline
from .selecting import OpensFromSelection
from .wordings import CloseWordingsAdmin


@admin.register(Statement)
class StatementAdmin(PublishableAdmin):
    ordering = ["speaker__name", "summary"]  # stable when counts are annotated
    list_display = ["summary", "speaker", count_column("quotes", _("wordings")), "state"]
    list_filter = ["state", "speaker"]
    list_select_related = ["speaker"]
    search_fields = ["summary", "speaker__name", "quotes__text"]
    prepopulated_fields = {"slug": ["summary"]}
    autocomplete_fields = ["speaker"]
    fieldsets = [(None, {"fields": ["summary", "slug", "speaker"]})]


@admin.register(Quote)
class QuoteAdmin(OpensFromSelection, CloseWordingsAdmin, PublishableAdmin):
    guesses_speaker = True  # opened from a selected passage: who the text says spoke it
    list_display = ["short_text", "speaker", "kind", "verification", "said_on", "round", "state"]
    list_filter = ["state", "verification", "kind", "speaker", "round", "sticking_points"]
    list_select_related = ["speaker", "round"]
    search_fields = ["text", "setting", "speaker__name", "speaker__native_name"]
    date_hierarchy = "said_on"
    autocomplete_fields = ["speaker", "statement", "round", "sticking_points"]
    inlines = [QuoteCitationInline]
    readonly_fields = ["verification"]
    fieldsets = [
        (None, {"fields": ["text", "speaker", "kind", "statement", "verification"]}),
        (_("When and where"), {"fields": [("said_on", "said_precision"), "setting", "round"]}),
        (_("Issues"), {"fields": ["sticking_points"]}),
    ]

    @admin.display(description=_("quote"), ordering="text")
    def short_text(self, quote):
        return Truncator(quote.text).chars(90)
