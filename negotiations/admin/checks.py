"""The quote checker's kept reports, read-only: staff see what readers kept (to find an abusive
text behind a shared link) and delete it (which moves the change stamp on, so that no cache
keeps serving its page: ``receivers.check_report_deleted``). Nobody adds or changes a report: it
says what the checker found when the text was checked.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import CheckReport


@admin.register(CheckReport)
class CheckReportAdmin(admin.ModelAdmin):
    list_display = ["key", "checked_at", "characters", "quotations", "shared"]
    list_filter = ["checked_at"]
    search_fields = ["key"]
    date_hierarchy = "checked_at"
    fields = ["key", "public_page", "checked_at", "characters", "shared", "text", "findings"]
    readonly_fields = fields
    # A bare count is enough for a list that only grows; no COUNT(*) of the whole table twice.
    show_full_result_count = False

    @admin.display(description=_("characters"))
    def characters(self, report):
        return report.characters

    @admin.display(boolean=True, description=_("text shared"))
    def shared(self, report):
        return report.text_shared

    @admin.display(description=_("quotations checked"))
    def quotations(self, report):
        return report.payload_value("quotations")

    @admin.display(description=_("public page"))
    def public_page(self, report):
        url = report.get_absolute_url()
        return format_html('<a href="{}">{}</a>', url, url)

    def has_add_permission(self, request):
        return False  # made by the checker, at a reader's request

    def has_change_permission(self, request, obj=None):
        return False  # a report says what was found then, and so it stays
