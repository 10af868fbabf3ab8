"""The public lists: published records filtered by their FilterSet, paginated, as HTML, JSON
(the page) or CSV (every result).

A request reads: url → list view (which QuerySet, which FilterSet) → FilterSet (validated once;
results, facets and chips) → ``<model>_list.html`` → includes.
"""

from django.views.generic import ListView
from django_filters.views import FilterView

from .. import serializers
from ..exports import ExportMixin
from ..filters import ClaimFilter, OfficialFilter, QuoteFilter, RoundFilter, SourceFilter
from ..models import Claim, Official, Quote, Round, Source, StickingPoint


class PublicListMixin(ExportMixin):
    """Pagination (a page number that is not a number, or out of range, shows the nearest page
    with a message), the result count, and the JSON and CSV shapes of a list.

    Templates receive ``object_list``, ``page_obj``, ``result_count``, ``noun`` and, on a
    filtered list, ``filter`` (its facets, chips and sort choices).
    """

    paginate_by = 50
    noun = None
    serializer = None

    page_problem = None

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get("page", "1")
        page = paginator.get_page(requested)
        if str(page.number) != requested and "page" in self.request.GET:
            self.page_problem = (
                f"There is no page “{requested[:40]}”; showing page {page.number} of "
                f"{paginator.num_pages}."
            )
        return paginator, page, page.object_list, page.has_other_pages()

    def input_errors(self, context):
        return [self.page_problem] if self.page_problem else []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["result_count"] = context["paginator"].count
        context["noun"] = self.noun or self.queryset.model._meta.verbose_name
        return context

    def get_json_data(self, context):
        page, paginator = context["page_obj"], context["paginator"]
        query = self.request.GET.copy()

        def link(number):
            query["page"] = number
            return f"{self.request.path}?{query.urlencode()}"

        return {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [self.serializer(record) for record in context["object_list"]],
        }

    def get_csv_rows(self, context):
        return (self.serializer(record) for record in self.object_list)


class FilteredListView(PublicListMixin, FilterView):
    """A list with filters; invalid filters show nothing, with a message saying why."""

    template_name_suffix = "_list"

    def get_filterset_kwargs(self, filterset_class):
        # Bound even without parameters, so the FilterSet's default sort applies.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def input_errors(self, context):
        filters = [
            f"{message} No results are shown until it is corrected."
            for message in self.filterset.error_messages()
        ]
        return filters + super().input_errors(context)


class QuoteListView(FilteredListView):
    queryset = Quote.objects.published().for_display()
    filterset_class = QuoteFilter
    serializer = staticmethod(serializers.quote_data)
    export_name = "quotes"


class ClaimListView(FilteredListView):
    queryset = Claim.objects.published().for_display()
    filterset_class = ClaimFilter
    serializer = staticmethod(serializers.claim_data)
    export_name = "claims"


class RoundListView(FilteredListView):
    queryset = Round.objects.published().for_display()
    filterset_class = RoundFilter
    serializer = staticmethod(serializers.round_data)
    export_name = "rounds"


class SourceListView(FilteredListView):
    queryset = Source.objects.published().for_display()
    filterset_class = SourceFilter
    serializer = staticmethod(serializers.source_data)
    export_name = "sources"


class OfficialListView(FilteredListView):
    queryset = Official.objects.published().for_display()
    filterset_class = OfficialFilter
    serializer = staticmethod(serializers.official_data)
    export_name = "officials"


class IssueListView(PublicListMixin, ListView):
    """templates/negotiations/issue_list.html: every published issue with its counts."""

    queryset = StickingPoint.objects.published().with_counts()
    serializer = staticmethod(serializers.issue_data)
    export_name = "issues"
    noun = "issue"
    template_name = "negotiations/issue_list.html"
