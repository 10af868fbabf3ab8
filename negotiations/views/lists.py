"""The public lists: filters with facet counts, pagination, JSON and CSV."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.views.generic import ListView

from .. import serializers
from ..filters import ClaimFilter, OfficialFilter, QuoteFilter, RoundFilter, SourceFilter
from ..models import (
    AgendaItem,
    Citation,
    Claim,
    Official,
    Participant,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)
from .exports import ExportMixin, csv_response

PUBLISHED = PublicationState.PUBLISHED


def public_citations(lookup="citations"):
    return Prefetch(lookup, queryset=Citation.objects.public())


def public_participants(lookup="participants"):
    return Prefetch(
        lookup,
        queryset=Participant.objects.filter(official__state=PUBLISHED).select_related("official"),
    )


def public_agenda_items(lookup="agenda_items"):
    return Prefetch(
        lookup,
        queryset=AgendaItem.objects.filter(sticking_point__state=PUBLISHED).select_related(
            "sticking_point", "round"
        ),
    )


class PublicListView(ExportMixin, ListView):
    """A list of published records; ?format=json follows the page, ?format=csv has them all.

    A page number that is not a number or out of range shows the nearest page with a message.
    Templates receive ``object_list``, ``page_obj`` and, where filtered, ``filter``,
    ``facets``, ``chips`` and ``result_count``.
    """

    paginate_by = 50
    noun = None
    serializer = None
    filterset_class = None

    def get_base_queryset(self):
        return self.model.objects.published()

    def get_queryset(self):
        queryset = self.get_base_queryset()
        if self.filterset_class is None:
            return queryset
        self.filterset = self.filterset_class(
            self.request.GET, queryset=queryset, request=self.request
        )
        for message in self.filterset.error_messages():
            messages.warning(self.request, f"{message} No results are shown until it is corrected.")
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get("page", "1")
        page = paginator.get_page(requested)
        if str(page.number) != requested and "page" in self.request.GET:
            messages.info(
                self.request,
                f"There is no page “{requested}”; showing page {page.number} of "
                f"{paginator.num_pages}.",
            )
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["result_count"] = context["paginator"].count
        context["noun"] = self.noun or self.model._meta.verbose_name
        if self.filterset_class is not None:
            context["filter"] = self.filterset
            context["facets"] = self.filterset.facet_options()
            context["chips"] = self.filterset.active_filters()
            context["sort_choices"] = self.filterset.sort_choices()
            context["current_sort"] = self.request.GET.get("sort") or next(
                iter(self.filterset.sort_options)
            )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.format == "json":
            page = context["page_obj"]
            query = self.request.GET.copy()

            def link(number):
                query["page"] = number
                return f"{self.request.path}?{query.urlencode()}"

            return JsonResponse(
                {
                    "count": context["paginator"].count,
                    "page": page.number,
                    "pages": context["paginator"].num_pages,
                    "next": link(page.next_page_number()) if page.has_next() else None,
                    "previous": link(page.previous_page_number()) if page.has_previous() else None,
                    "results": [self.serializer(obj) for obj in context["object_list"]],
                },
                json_dumps_params={"ensure_ascii": False},
            )
        if self.format == "csv":
            rows = (self.serializer(obj) for obj in self.object_list)
            return csv_response(rows, self.export_name)
        return super().render_to_response(context, **response_kwargs)


class QuoteListView(PublicListView):
    model = Quote
    filterset_class = QuoteFilter
    serializer = staticmethod(serializers.quote_data)
    export_name = "quotes"

    def get_base_queryset(self):
        return Quote.objects.published().for_display()


class ClaimListView(PublicListView):
    model = Claim
    filterset_class = ClaimFilter
    serializer = staticmethod(serializers.claim_data)
    export_name = "claims"

    def get_base_queryset(self):
        return Claim.objects.published().for_display()


class RoundListView(PublicListView):
    model = Round
    filterset_class = RoundFilter
    serializer = staticmethod(serializers.round_data)
    export_name = "rounds"

    def get_base_queryset(self):
        return Round.objects.published().prefetch_related(
            public_participants(),
            public_agenda_items(),
            public_citations("agenda_items__citations"),
        )


class SourceListView(PublicListView):
    model = Source
    filterset_class = SourceFilter
    serializer = staticmethod(serializers.source_data)
    export_name = "sources"

    def get_base_queryset(self):
        return (
            Source.objects.published()
            .select_related("outlet")
            .prefetch_related(Prefetch("derived_from", queryset=Source.objects.published()))
            .annotate(citation_count=Count("citations", distinct=True))
        )


class OfficialListView(PublicListView):
    model = Official
    filterset_class = OfficialFilter
    serializer = staticmethod(serializers.official_data)
    export_name = "officials"

    def get_base_queryset(self):
        return (
            Official.objects.published()
            .prefetch_related("positions")
            .annotate(quote_count=Count("quotes", filter=Q(quotes__state=PUBLISHED), distinct=True))
        )


class IssueListView(PublicListView):
    model = StickingPoint
    serializer = staticmethod(serializers.issue_data)
    export_name = "issues"
    noun = "issue"
    template_name = "negotiations/issue_list.html"

    def get_base_queryset(self):
        return StickingPoint.objects.published().with_counts()
