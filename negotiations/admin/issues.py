"""Sticking points ("issues" on public pages)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..models import StickingPoint
from .base import PublishableAdmin


@admin.register(StickingPoint)
class StickingPointAdmin(PublishableAdmin):
    ordering = ["name"]  # kept when get_queryset adds counts
    list_display = ["name", "category", "state", "round_count"]
    list_filter = ["state", "category"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [(None, {"fields": ["name", "slug", "category", "summary"]})]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(round_count=Count("agenda_items"))

    @admin.display(description=_("rounds"), ordering="round_count")
    def round_count(self, sticking_point):
        return sticking_point.round_count
