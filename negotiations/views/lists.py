"""The public lists: published records filtered by their FilterSet, paginated, as HTML, JSON
(the page) or CSV (every result).

A request reads: url → list view (which QuerySet, which FilterSet) → FilterSet (validated once;
results, facets and chips) → ``<model>_list.html`` → includes.
"""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.views.generic import ListView, TemplateView
from django_filters.views import FilterView

from .. import annotations, citing, filters, metadata, pagination, serializers
from ..exports import CITATION_FORMATS, STREAMED_FORMATS, ExportMixin
from ..filters import ClaimFilter, OfficialFilter, QuoteFilter, RoundFilter, SourceFilter
from ..models import Claim, Official, Quote, Round, Source, StickingPoint
from ..pictures import timeline


class PublicListMixin(ExportMixin):
    """Pagination (a page number that is not a number, or out of range, shows the nearest page
    with a message), the result count, and the JSON and CSV shapes of a list.

    Templates receive ``object_list``, ``page_obj``, ``result_count``, ``noun`` and, on a
    filtered list, ``filter`` (its facets, chips and sort choices).
    """

    paginate_by = 50
    noun = None
    serializer = None
    heading = ""  # the list's name in a title: "Quotes"
    list_name = ""  # its URL names: "<list_name>-list", "<list_name>-feed"

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
        return self.with_meta(context)

    def filter_query_string(self):
        if getattr(self, "filterset_class", None) is None:
            return ""  # a list without filters: nothing in its address chooses its records
        encoded = filters.filters_only(self.request.GET).urlencode()
        return f"?{encoded}" if encoded else ""

    def feed_url(self):
        """This list's Atom feed, under the same filters (``feeds``)."""
        return reverse(f"negotiations:{self.list_name}-feed") + self.filter_query_string()

    def page_title(self):
        filterset = getattr(self, "filterset", None)
        if filterset is not None and filterset.is_valid():
            return filterset.description(self.heading)
        return self.heading

    def with_meta(self, context):
        """The page's OpenGraph and canonical address (the list under its filters) and its
        feed's, as ``meta`` and ``feed_url``."""
        canonical = self.request.path + self.filter_query_string()
        context["meta"] = metadata.page_meta(self.request, self.page_title(), path=canonical)
        context["feed_url"] = self.feed_url()
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
    """A list with filters; invalid filters show nothing, with a message saying why.

    Long lists (``FilterSet.keyset``) are paged by keyset (``pagination``), their count read
    where it is kept or capped (``FilterSet.result_count``); short ones by page number."""

    template_name_suffix = "_list"
    # What the HTML list shows of each record, where lighter than the JSON and CSV shapes.
    html_queryset = None

    def get_queryset(self):
        if self.format == "html" and self.html_queryset is not None:
            return self.html_queryset.all()
        if self.format == "annotations":  # the records' keys only (``annotations.Collection``)
            return self.filterset_class._meta.model.objects.published()
        return super().get_queryset()

    def render_annotations(self, context):
        model = self.filterset_class._meta.model
        collection = annotations.list_collection(
            self.filterset,
            self.request,
            link=model._meta.model_name,
            noun=model._meta.verbose_name_plural,
        )
        return annotations.collection_response(collection, self.request.GET)

    def get_filterset_kwargs(self, filterset_class):
        # Bound even without parameters, so the FilterSet's default sort applies.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    @property
    def keyset(self):
        return self.filterset.keyset

    def get_context_data(self, **kwargs):
        if self.format == "html":
            for notice in self.filterset.notices:
                messages.info(self.request, notice)
        if self.format == "annotations":  # the collection reads its own pages
            return {"view": self, "filter": self.filterset}
        if not self.keyset:
            return super().get_context_data(**kwargs)
        count, exact = self.filterset.result_count
        if self.format in STREAMED_FORMATS:  # every result, streamed: no page
            page = pagination.Page([], 1, count, exact)
        else:
            page = pagination.paginate(
                self.object_list,
                self.filterset.ordering(),
                self.request.GET,
                count=count,
                exact=exact,
            )
        self.page_problems = page.problems
        context = {
            "view": self,
            "filter": self.filterset,
            "object_list": page.object_list,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "result_count": count,
            "result_count_exact": exact,
            "result_count_display": f"{count:,}",
            "noun": self.noun or self.filterset._meta.model._meta.verbose_name,
            "next_url": self.page_url("after", page.next_query),
            "previous_url": self.page_url("before", page.previous_query),
        }
        return self.with_meta(context)

    def page_url(self, param, token):
        if token is None:
            return None
        query = self.request.GET.copy()
        for name in ("page", "after", "before"):
            query.pop(name, None)
        query[param] = token
        return f"{self.request.path}?{query.urlencode()}"

    def get_json_data(self, context):
        if not self.keyset:
            return super().get_json_data(context)
        page = context["page_obj"]
        return {
            "count": page.count,
            "count_exact": page.exact,
            "page": page.number,
            "pages": page.num_pages,
            "next": context["next_url"],
            "previous": context["previous_url"],
            "results": [self.serializer(record) for record in page.object_list],
        }

    def every_result(self):
        """Every result, read in chunks as the response is sent (the exports stream)."""
        return self.object_list.streamed()

    def get_csv_rows(self, context):
        return (self.serializer(record) for record in self.every_result())

    def get_citation_items(self, context):
        absolute = self.request.build_absolute_uri
        for record in self.every_result():
            yield from self.citation_items(record, url=absolute(record.get_absolute_url()))

    def input_errors(self, context):
        filters = [
            f"{message} No results are shown until it is corrected."
            for message in self.filterset.error_messages()
        ]
        return filters + getattr(self, "page_problems", []) + super().input_errors(context)


class FacetOptionsView(ExportMixin, TemplateView):
    """Every option of one facet of a list, under the list's other filters, most counted first,
    OPTIONS_PAGE at a time (``?options_after=<count>-<value>``): the "show all" of a facet."""

    template_name = "negotiations/facet_options.html"
    filterset_class = None
    queryset = None
    export_name = "options"

    def get(self, request, *args, **kwargs):
        self.filterset = self.filterset_class(request.GET, queryset=self.queryset)
        if kwargs["param"] not in self.filterset.facets:
            raise Http404("This list has no such filter.")
        return super().get(request, *args, **kwargs)

    def cursor(self):
        raw = self.request.GET.get("options_after", "")
        count, _sep, value = raw.partition("-")
        if count.isdigit() and value:
            return int(count), value
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = kwargs["param"]
        facet = self.filterset.facet(name, limit=filters.OPTIONS_PAGE, after=self.cursor())
        list_path = reverse(f"negotiations:{self.filterset.list_name}-list")
        context.update(
            filter=self.filterset,
            facet=facet,
            list_path=list_path,
            list_url=list_path + self.filterset.url_with(),
            noun=self.filterset._meta.model._meta.verbose_name_plural,
            meta=metadata.page_meta(
                self.request,
                f"{facet.label}: every option",
                path=self.request.path
                + self.filterset.query_string(filters.filters_only(self.request.GET)).rstrip("?"),
            ),
        )
        if facet.more_url and facet.options:
            last = facet.options[-1]
            query = self.request.GET.copy()
            query["options_after"] = f"{last.count}-{self.stored_value(name, last.value)}"
            context["more_options_url"] = f"{self.request.path}?{query.urlencode()}"
        return context

    def stored_value(self, name, url_value):
        facet_filter = self.filterset.filters[name]
        if isinstance(facet_filter, filters.SlugChoiceFilter):
            record = facet_filter.queryset.filter(slug=url_value).values_list("pk", flat=True)
            return str(record.first())
        return url_value

    def get_json_data(self, context):
        facet = context["facet"]
        return {
            "filter": facet.param,
            "note": facet.note,
            "options": [
                {
                    "value": o.value,
                    "label": o.label,
                    "count": o.count,
                    "at_least": o.at_least,
                    "active": o.active,
                }
                for o in facet.options
            ],
            "next": context.get("more_options_url"),
        }

    def get_csv_rows(self, context):
        # One row per option, as a spreadsheet wants them (not the JSON flattened into one).
        return self.get_json_data(context)["options"]


class QuoteListView(FilteredListView):
    heading = "Quotes"
    list_name = "quote"
    queryset = Quote.objects.published().for_display()
    html_queryset = Quote.objects.published().for_list()
    filterset_class = QuoteFilter
    serializer = staticmethod(serializers.quote_data)
    export_name = "quotes"
    formats = ("html", "json", "csv", *CITATION_FORMATS, "annotations")
    citation_items = staticmethod(citing.quote_items)


class ClaimListView(FilteredListView):
    heading = "Claims"
    list_name = "claim"
    queryset = Claim.objects.published().for_display()
    html_queryset = Claim.objects.published().for_list()
    filterset_class = ClaimFilter
    serializer = staticmethod(serializers.claim_data)
    export_name = "claims"
    formats = ("html", "json", "csv", *CITATION_FORMATS, "annotations")
    citation_items = staticmethod(citing.claim_items)


class RoundListView(FilteredListView):
    heading = "Rounds"
    list_name = "round"
    queryset = Round.objects.published().for_display()
    html_queryset = Round.objects.published().for_list()
    filterset_class = RoundFilter
    serializer = staticmethod(serializers.round_data)
    export_name = "rounds"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.format not in ("json", "csv"):  # a page (an unknown format's too)
            # Every published round on the timeline above the list (whatever the filters: the
            # list below is what they choose); one query, only the columns it draws.
            context["timeline"] = timeline.build(Round.objects.published().for_timeline())
        return context


class SourceListView(FilteredListView):
    heading = "Sources"
    list_name = "source"
    queryset = Source.objects.published().for_list()
    filterset_class = SourceFilter
    serializer = staticmethod(serializers.source_data)
    export_name = "sources"
    formats = ("html", "json", "csv", *CITATION_FORMATS)

    @staticmethod
    def citation_items(source, *, url):
        return [citing.source_item(source)]


class OfficialListView(FilteredListView):
    heading = "Officials"
    list_name = "official"
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
    heading = "Issues"
    list_name = "issue"
    template_name = "negotiations/issue_list.html"
