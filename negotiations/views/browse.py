"""The public pages: thin views over the published QuerySets."""

from django.db.models import Count, Prefetch, Q
from django.views.generic import DetailView, ListView, TemplateView

from ..models import (
    Citation,
    Claim,
    Official,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)

PUBLISHED = Q(state=PublicationState.PUBLISHED)


def citations_prefetch(lookup="citations"):
    return Prefetch(lookup, queryset=Citation.objects.with_source())


class PublishedMixin:
    """Only published records are public; an unknown or draft one is a 404."""

    model = None
    paginate_by = 50

    def get_queryset(self):
        return self.model.objects.published()


class HomeView(TemplateView):
    """templates/negotiations/home.html: latest rounds, the issues with counts, a search box."""

    template_name = "negotiations/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rounds"] = Round.objects.published().chronological()
        context["issues"] = StickingPoint.objects.published().annotate(
            quote_count=Count(
                "quotes", filter=Q(quotes__state=PublicationState.PUBLISHED), distinct=True
            ),
            claim_count=Count(
                "claims", filter=Q(claims__state=PublicationState.PUBLISHED), distinct=True
            ),
        )
        context["latest_quotes"] = Quote.objects.published().select_related("speaker")[:5]
        return context


class RoundListView(PublishedMixin, ListView):
    model = Round

    def get_queryset(self):
        return super().get_queryset().chronological()


class RoundDetailView(PublishedMixin, DetailView):
    model = Round

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "participants__official",
                "agenda_items__sticking_point",
                citations_prefetch("agenda_items__citations"),
                Prefetch("quotes", queryset=Quote.objects.published().select_related("speaker")),
                Prefetch("claims", queryset=Claim.objects.published()),
            )
        )


class IssueListView(PublishedMixin, ListView):
    model = StickingPoint
    template_name = "negotiations/issue_list.html"


class IssueDetailView(PublishedMixin, DetailView):
    model = StickingPoint
    template_name = "negotiations/issue_detail.html"
    context_object_name = "issue"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("quotes", queryset=Quote.objects.published().select_related("speaker")),
                Prefetch("claims", queryset=Claim.objects.published()),
            )
        )


class OfficialListView(PublishedMixin, ListView):
    model = Official


class OfficialDetailView(PublishedMixin, DetailView):
    model = Official

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "positions",
                Prefetch("rounds", queryset=Round.objects.published()),
                Prefetch("quotes", queryset=Quote.objects.published()),
            )
        )


class QuoteListView(PublishedMixin, ListView):
    model = Quote

    def get_queryset(self):
        return super().get_queryset().select_related("speaker")


class QuoteDetailView(PublishedMixin, DetailView):
    model = Quote

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("speaker", "round")
            .prefetch_related(citations_prefetch())
        )


class ClaimListView(PublishedMixin, ListView):
    model = Claim


class ClaimDetailView(PublishedMixin, DetailView):
    model = Claim

    def get_queryset(self):
        return super().get_queryset().select_related("round").prefetch_related(citations_prefetch())


class SourceListView(PublishedMixin, ListView):
    model = Source

    def get_queryset(self):
        return super().get_queryset().select_related("outlet")


class SourceDetailView(PublishedMixin, DetailView):
    model = Source

    def get_queryset(self):
        return super().get_queryset().select_related("outlet")
