"""Rounds, with their participants and agenda as rows of the round's form; an agenda item on its
own page, where its citations are entered."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AgendaItem, Participant, Round
from .addresses import PermanentAddressAdmin
from .base import BaseAdmin, InlineMixin, PublishableAdmin
from .citations import AgendaItemCitationInline
from .selecting import OpensFromSelection


class ParticipantInline(InlineMixin, admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["official"]
    fields = ["official", "side", "role", "note"]


class AgendaItemInline(InlineMixin, admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["sticking_point"]
    fields = ["sticking_point", "status", "note"]
    show_change_link = True


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
