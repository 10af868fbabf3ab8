"""The editors' admin, one module per model family (mirroring ``models/``).

base        what every admin page shares: history, facets, the stale-save guard, drafts and
            publishing, the Record fieldset
addresses   a published record's slug: the form says its old address will redirect
sources     outlets and sources (a changed text re-anchors its citations)
people      officials and their positions
issues      sticking points
rounds      rounds with their participants and agenda; agenda items with their citations
quotes      statements and quotes
wordings    the quote form's close wordings: the endpoint, and grouping them on save
claims      claims
citations   citations on their own page and as rows inside a quote, claim or agenda item
reviews     changes to published records waiting for a reviewer: the diff, approve, reject
checks      the quote checker's kept reports, read-only; staff delete abusive ones
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401 (registers)
    checks,
    citations,
    claims,
    issues,
    people,
    quotes,
    reviews,
    rounds,
    sources,
)

admin.site.site_header = _("Negotiations knowledge base: editors")
admin.site.site_title = _("Negotiations editors")
admin.site.index_title = _("Knowledge base")
