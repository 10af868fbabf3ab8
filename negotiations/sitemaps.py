"""Sitemaps of the public pages (``django.contrib.sitemaps``): an index at /sitemap.xml, one
section per record type, each paged (at most ``limit`` records a page: a million quotes make
twenty pages), published records only, ``lastmod`` the record's last change.

A section's page reads only what its entries need (key and last change), in primary-key order
from its index; the index reads one count and one latest change per section.
"""

from django.contrib import sitemaps
from django.db.models import Max
from django.urls import reverse

from .models import Claim, Official, Quote, Round, Source, StickingPoint


class RecordSitemap(sitemaps.Sitemap):
    """The published records of one model."""

    model = None
    key = "id"  # what its address is made of (with get_absolute_url)
    limit = 50_000  # the sitemaps protocol's maximum per file

    def items(self):
        return self.model.objects.published().only(self.key, "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # One aggregate, where Django's default would read every record of the section.
        return self.model.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class QuoteSitemap(RecordSitemap):
    model = Quote


class ClaimSitemap(RecordSitemap):
    model = Claim


class SourceSitemap(RecordSitemap):
    model = Source
    key = "slug"


class RoundSitemap(RecordSitemap):
    model = Round
    key = "slug"


class IssueSitemap(RecordSitemap):
    model = StickingPoint
    key = "slug"


class OfficialSitemap(RecordSitemap):
    model = Official
    key = "slug"


class PageSitemap(sitemaps.Sitemap):
    """Home, the lists and the integrity report."""

    def items(self):
        return [
            "home",
            "round-list",
            "issue-list",
            "official-list",
            "quote-list",
            "claim-list",
            "source-list",
            "integrity",
        ]

    def location(self, item):
        return reverse(f"negotiations:{item}")


SITEMAPS = {
    "pages": PageSitemap,
    "rounds": RoundSitemap,
    "issues": IssueSitemap,
    "officials": OfficialSitemap,
    "sources": SourceSitemap,
    "quotes": QuoteSitemap,
    "claims": ClaimSitemap,
}
