"""Officials, with the positions they held as rows of their form."""

from django.contrib import admin

from ..models import Official, Position
from .addresses import PermanentAddressAdmin
from .base import InlineMixin, PublishableAdmin


class PositionInline(InlineMixin, admin.TabularInline):
    model = Position
    extra = 0
    fields = ["title", "organisation", "start_on", "start_precision", "end_on", "end_precision"]


@admin.register(Official)
class OfficialAdmin(PermanentAddressAdmin, PublishableAdmin):
    list_display = ["name", "native_name", "country", "state"]
    list_filter = ["state", "country"]
    search_fields = ["name", "native_name", "positions__title"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PositionInline]
    fieldsets = [(None, {"fields": ["name", "native_name", "slug", "country", "summary"]})]
