"""Sticking points ("issues" on public pages)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import StickingPoint
from .addresses import PermanentAddressAdmin
from .base import PublishableAdmin, count_column


@admin.register(StickingPoint)
class StickingPointAdmin(PermanentAddressAdmin, PublishableAdmin):
    ordering = ["name"]  # stable when counts are annotated
    list_display = ["name", "category", "state", count_column("agenda_items", _("rounds"))]
    list_filter = ["state", "category"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [(None, {"fields": ["name", "slug", "category", "summary"]})]
