"""The public pages: lists (filtered, paginated), one record's page, and home, search and the
integrity report, and records' public versions and history; each also in the formats it offers
(``negotiations.exports``); citations as W3C Web Annotations (``annotations``); the quote
checker, its kept reports and their embeddable summaries (``checking``).

No module here imports another: what two views share lives outside this package (the export
formats, the serializers, the QuerySets)."""

from .annotations import CitationAnnotationView, SourceAnnotationsView, SourceTextView
from .checking import CheckEmbedView, CheckReportView, CheckView
from .details import (
    ClaimDetailView,
    IssueDetailView,
    OfficialDetailView,
    QuoteDetailView,
    RoundDetailView,
    SourceDetailView,
)
from .lists import (
    ClaimListView,
    FacetOptionsView,
    IssueListView,
    OfficialListView,
    QuoteListView,
    RoundListView,
    SourceListView,
)
from .pages import HomeView, IntegrityView, RobotsView, SearchView
from .pictures import IssuesByRoundView, TariffRateChartView
from .versions import HistoryView, VersionView

__all__ = [
    "CheckEmbedView",
    "CheckReportView",
    "CheckView",
    "CitationAnnotationView",
    "SourceAnnotationsView",
    "SourceTextView",
    "ClaimDetailView",
    "ClaimListView",
    "FacetOptionsView",
    "HistoryView",
    "HomeView",
    "IntegrityView",
    "IssuesByRoundView",
    "IssueDetailView",
    "IssueListView",
    "OfficialDetailView",
    "OfficialListView",
    "QuoteDetailView",
    "QuoteListView",
    "RobotsView",
    "RoundDetailView",
    "RoundListView",
    "SearchView",
    "SourceDetailView",
    "SourceListView",
    "TariffRateChartView",
    "VersionView",
]
