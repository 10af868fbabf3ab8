"""The first page of one kind of evidence on a record's page: an issue's, a round's or an
official's quotes and claims, a round's sources.

A record's page never shows all of it (an issue may have hundreds of thousands of quotes):
it shows the first ``PAGE_SIZE``, in the order of the public list's default sort, so that they
are the first page of that list; says how many there are in all; and links to the list,
filtered to the record, where there is such a filter. Each kind costs the same queries
whatever the data size: the page of records (with their prefetches) and one count.

``templates/includes/evidence.html`` shows an ``Evidence``; ``serializers.evidence_data`` gives
its JSON keys.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from .filters import ClaimFilter, QuoteFilter, SourceFilter
from .models import Claim, Quote, Source

PAGE_SIZE = 20


@dataclass(frozen=True)
class Evidence:
    """``items``: the first records shown; ``count``: how many there are in all; ``list_url``:
    the public list filtered to them (None where the list has no such filter); ``noun``: one
    record's name, “quote”."""

    items: list
    count: int
    list_url: str | None
    noun: str

    @property
    def is_partial(self):
        """Whether there are more than are shown."""
        return self.count > len(self.items)

    @property
    def shown(self):
        return len(self.items)

    @property
    def count_display(self):
        return f"{self.count:,}"


def list_order(filterset_class):
    """The ordering of a public list when no sort is chosen (its first sort option)."""
    sort = filterset_class.base_filters["sort"]
    return sort.options[sort.default][1]


def first_page(queryset, *, noun, list_url=None, count=None, size=PAGE_SIZE):
    """The first ``size`` records of ``queryset`` (ordered) and, unless given, their count (one
    ``COUNT(*)`` of the same filter, without the ordering and the prefetches)."""
    items = list(queryset[:size])
    if count is None:
        count = queryset.order_by().count()
    return Evidence(items=items, count=count, list_url=list_url, noun=noun)


def filtered_list_url(name, param, record):
    """``/quotes/?issue=<slug>``: the public list ``name`` filtered to ``record``, or None when
    the record is a draft (staff preview it; the list's filters know only published records)."""
    if not record.is_published:
        return None
    return f"{reverse(f'negotiations:{name}')}?{urlencode({param: record.slug})}"


# The list's filter parameter for each record → the lookup it filters on (filters.py).
QUOTE_LOOKUPS = {"issue": "sticking_points", "round": "round", "speaker": "speaker"}
CLAIM_LOOKUPS = {"issue": "sticking_points", "round": "round"}


def quotes(param, record, *, count=None):
    """The published quotes of ``record`` as ``/quotes/?<param>=<slug>`` lists them."""
    queryset = (
        Quote.objects.published()
        .filter(**{QUOTE_LOOKUPS[param]: record})
        .order_by(*list_order(QuoteFilter))
        .for_display()
    )
    url = filtered_list_url("quote-list", param, record)
    return first_page(queryset, noun="quote", list_url=url, count=count)


def claims(param, record, *, count=None):
    """The published claims of ``record`` as ``/claims/?<param>=<slug>`` lists them."""
    queryset = (
        Claim.objects.published()
        .filter(**{CLAIM_LOOKUPS[param]: record})
        .order_by(*list_order(ClaimFilter))
        .for_display()
    )
    url = filtered_list_url("claim-list", param, record)
    return first_page(queryset, noun="claim", list_url=url, count=count)


def round_sources(round_):
    """The published sources cited in ``round_`` (``Source.cited_in_round``), in the sources
    list's default order. The sources list has no round filter: no list link."""
    queryset = (
        Source.objects.published()
        .cited_in_round(round_)
        .select_related("outlet")
        .defer("body")
        .order_by(*list_order(SourceFilter))
    )
    return first_page(queryset, noun="source")
