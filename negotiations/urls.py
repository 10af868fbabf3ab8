"""The public URLs (fixed: other tools rely on them) and /admin/."""

from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, register_converter

from . import feeds, revisions, sitemaps, views
from .addresses import redirect_old_slugs
from .models import Official, Round, Source, StickingPoint


class RecordId:
    """A record's number: at most 18 digits, so that no number in an address can overflow the
    database's 64-bit keys (a longer one is a 404, like any unknown record)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


class VersionNumber:
    """A version's number: at most 10 digits (a longer one is a 404, like any unknown version;
    the view refuses those beyond the database's 32-bit counter)."""

    regex = "[0-9]{1,10}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def under_key(view, name):
    """A page under the address of a record of kind ``name``: where the key is a slug, a former
    slug of a record redirects to its current one (``addresses``)."""
    kind = revisions.KINDS[name]
    return redirect_old_slugs(view, kind.model) if kind.key == "slug" else view


register_converter(RecordId, "id")
register_converter(VersionNumber, "version")

app_name = "negotiations"

public = [
    path("", views.HomeView.as_view(), name="home"),
    # Each list's Atom feed, before the records' own pages: "feed" is a reserved slug
    # (``models.base.RESERVED_SLUGS``), so no record's page can hide behind it.
    *[
        path(f"{plural}/feed/", feed.as_view(), name=f"{name}-feed")
        for plural, name, feed in [
            ("quotes", "quote", feeds.QuoteFeed),
            ("claims", "claim", feeds.ClaimFeed),
            ("sources", "source", feeds.SourceFeed),
            ("rounds", "round", feeds.RoundFeed),
            ("issues", "issue", feeds.IssueFeed),
            ("officials", "official", feeds.OfficialFeed),
        ]
    ],
    path("rounds/", views.RoundListView.as_view(), name="round-list"),
    path(
        "rounds/<slug:slug>/",
        redirect_old_slugs(views.RoundDetailView.as_view(), Round),
        name="round-detail",
    ),
    path("issues/", views.IssueListView.as_view(), name="issue-list"),
    path(
        "issues/<slug:slug>/",
        redirect_old_slugs(views.IssueDetailView.as_view(), StickingPoint),
        name="issue-detail",
    ),
    path("officials/", views.OfficialListView.as_view(), name="official-list"),
    path(
        "officials/<slug:slug>/",
        redirect_old_slugs(views.OfficialDetailView.as_view(), Official),
        name="official-detail",
    ),
    path("quotes/", views.QuoteListView.as_view(), name="quote-list"),
    path("quotes/<id:pk>/", views.QuoteDetailView.as_view(), name="quote-detail"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<id:pk>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path(
        "sources/<slug:slug>/",
        redirect_old_slugs(views.SourceDetailView.as_view(), Source),
        name="source-detail",
    ),
    # Citations as W3C Web Annotations: the stored text their offsets count in, each source's
    # collection, and one citation's annotation.
    path(
        "sources/<slug:slug>/text/",
        redirect_old_slugs(views.SourceTextView.as_view(), Source),
        name="source-text",
    ),
    path(
        "sources/<slug:slug>/annotations/",
        redirect_old_slugs(views.SourceAnnotationsView.as_view(), Source),
        name="source-annotations",
    ),
    path(
        "citations/<id:pk>/",
        views.CitationAnnotationView.as_view(),
        name="citation-annotation",
    ),
    *[
        # Every option of one facet of a list ("show all"), under the list's other filters.
        path(
            f"{plural}/facets/<slug:param>/",
            views.FacetOptionsView.as_view(
                filterset_class=list_view.filterset_class,
                queryset=list_view.filterset_class._meta.model.objects.published(),
            ),
            name=f"{name}-facet",
        )
        for plural, name, list_view in [
            ("quotes", "quote", views.QuoteListView),
            ("claims", "claim", views.ClaimListView),
            ("rounds", "round", views.RoundListView),
            ("sources", "source", views.SourceListView),
            ("officials", "official", views.OfficialListView),
        ]
    ],
    *[
        # A record's public versions and history: suffixes after its key, never beside it.
        route
        for plural, name, key in [
            ("rounds", "round", "slug:slug"),
            ("issues", "issue", "slug:slug"),
            ("officials", "official", "slug:slug"),
            ("quotes", "quote", "id:pk"),
            ("claims", "claim", "id:pk"),
            ("sources", "source", "slug:slug"),
        ]
        for route in (
            path(
                f"{plural}/<{key}>/versions/<version:number>/",
                under_key(views.VersionView.as_view(kind=revisions.KINDS[name]), name),
                name=f"{name}-version",
            ),
            path(
                f"{plural}/<{key}>/history/",
                under_key(views.HistoryView.as_view(kind=revisions.KINDS[name]), name),
                name=f"{name}-history",
            ),
        )
    ],
    path("integrity/", views.IntegrityView.as_view(), name="integrity"),
    # Pictures with a page of their own, under their own prefix (no record's slug is shadowed).
    path("charts/tariff-rates/", views.TariffRateChartView.as_view(), name="tariff-chart"),
    path("charts/issues-by-round/", views.IssuesByRoundView.as_view(), name="issues-by-round"),
    path("search/", views.SearchView.as_view(), name="search"),
    # The quote checker: the form and its JSON API; a kept report (a random key, never a
    # record's slug) and its summary for other sites to frame.
    path("check/", views.CheckView.as_view(), name="check"),
    path("check/<slug:key>/", views.CheckReportView.as_view(), name="check-report"),
    path("check/<slug:key>/embed/", views.CheckEmbedView.as_view(), name="check-embed"),
    # Sitemaps (an index of sections, each paged) and the robots.txt that points at them.
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "negotiations:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", views.RobotsView.as_view(), name="robots"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((public, app_name))),
]
