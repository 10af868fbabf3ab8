"""Claims, with their citations as rows of the claim's form."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..models import Claim
from .base import PublishableAdmin
from .citations import ClaimCitationInline
from .selecting import OpensFromSelection


@admin.register(Claim)
class ClaimAdmin(OpensFromSelection, PublishableAdmin):
    list_display = ["short_text", "round", "value", "unit", "as_of", "state"]
    list_filter = ["state", "unit", "measure", "round", "sticking_points"]
    list_select_related = ["round"]
    search_fields = ["text"]
    date_hierarchy = "as_of"
    autocomplete_fields = ["round", "sticking_points", "officials"]
    inlines = [ClaimCitationInline]
    fieldsets = [
        (None, {"fields": ["text", "round", "sticking_points", "officials"]}),
        (
            _("Number (for charts)"),
            {
                "fields": [
                    ("value", "unit", "value_qualifier"),
                    ("as_of", "as_of_precision"),
                    "measure",
                ]
            },
        ),
    ]

    @admin.display(description=_("claim"), ordering="text")
    def short_text(self, claim):
        return Truncator(claim.text).chars(90)
