"""The first page of one kind of evidence on a record's page: an issue's, a round's or an
official's quotes and claims, a round's sources.

A record's page never shows all of it (an issue may have hundreds of thousands of quotes):
it shows the first ``PAGE_SIZE``, in the order of the public list's default sort, so that they
are the first page of that list; says how many there are in all; and links to the list,
filtered to the record, where there is such a filter. Each kind costs the same queries
whatever the data size: the page of records (with their prefetches), and a count read from
the counts kept on write (``models.facets``: one indexed row, often annotated on the record by
its view), never counted from the records.

``templates/includes/evidence.html`` shows an ``Evidence``; ``serializers.evidence_data`` gives
its JSON keys.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse

from .filters import ClaimFilter, QuoteFilter
from .models import Citation, Claim, FacetCount, PublicationState, Quote, Source

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


def first_page(queryset, *, noun, count, list_url=None, size=PAGE_SIZE):
    """The first ``size`` records of ``queryset`` (ordered), and ``count``."""
    items = list(queryset[:size])
    return Evidence(items=items, count=count, list_url=list_url, noun=noun)


def kept_count(subject, facet, record, count=None):
    """``count`` if the view has it (annotated, ``kept_count`` in ``models.issues``), else the
    published ``subject`` records with ``facet`` = ``record``, read where it is kept."""
    if count is not None:
        return count
    return FacetCount.objects.total(subject, facet=facet, value=str(record.pk))


def filtered_list_url(name, param, record):
    """``/quotes/?issue=<slug>``: the public list ``name`` filtered to ``record``, or None when
    the record is a draft (staff preview it; the list's filters know only published records)."""
    if not record.is_published:
        return None
    return f"{reverse(f'negotiations:{name}')}?{urlencode({param: record.slug})}"


# The list's filter parameter for each record → the lookup it filters on, as filters.py does:
# a column of the record's own (round, speaker), or an EXISTS per record through the issue's
# links (``SlugChoiceFilter`` lookup="exists"): walking the list's order, the first 20 are met
# at once whatever the size. The parameter is also the facet its count is kept under.
QUOTE_LOOKUPS = {"issue": "sticking_points", "round": "round", "speaker": "speaker"}
CLAIM_LOOKUPS = {"issue": "sticking_points", "round": "round"}


def _of(queryset, lookup, record):
    if lookup != "sticking_points":
        return queryset.filter(**{lookup: record})
    links = queryset.model.sticking_points.through.objects.filter(
        **{queryset.model._meta.model_name: OuterRef("pk"), "stickingpoint": record}
    )
    return queryset.filter(Exists(links))


def quotes(param, record, *, count=None):
    """The published quotes of ``record`` as ``/quotes/?<param>=<slug>`` lists them;
    ``count``: how many, if the view has read it already."""
    queryset = _of(Quote.objects.published(), QUOTE_LOOKUPS[param], record)
    queryset = queryset.order_by(*list_order(QuoteFilter)).for_display()
    url = filtered_list_url("quote-list", param, record)
    count = kept_count("quote", param, record, count)
    return first_page(queryset, noun="quote", list_url=url, count=count)


def claims(param, record, *, count=None):
    """The published claims of ``record`` as ``/claims/?<param>=<slug>`` lists them."""
    queryset = _of(Claim.objects.published(), CLAIM_LOOKUPS[param], record)
    queryset = queryset.order_by(*list_order(ClaimFilter)).for_display()
    url = filtered_list_url("claim-list", param, record)
    count = kept_count("claim", param, record, count)
    return first_page(queryset, noun="claim", list_url=url, count=count)


RECENT_CITATIONS = 100  # read from each way into a round at first; ten times more if short
MOST_CITATIONS = 20_000


def _round_citations(round_):
    """The round's citations, three ways (``Source.cited_in_round``), newest first."""
    published = PublicationState.PUBLISHED
    citations = Citation.objects.order_by("-pk").values_list("pk", "source_id")
    return (
        citations.filter(quote__round=round_, quote__state=published),
        citations.filter(claim__round=round_, claim__state=published),
        citations.filter(agenda_item__round=round_),
    )


def recently_cited(round_, *, size=PAGE_SIZE):
    """The first ``size`` published sources cited in ``round_``, most recently cited first
    (by their newest citation there), without reading all of a big round's citations: the
    newest ``window`` citations of each way in, merged; only what is newer than the oldest
    citation read of a way that has more is sure of its place, so a window too short to
    give ``size`` sources is read again, longer (up to ``MOST_CITATIONS`` a way: a round
    whose newest 20,000 citations of each kind cite fewer than ``size`` published sources
    shows fewer)."""
    window = RECENT_CITATIONS
    while True:
        rows, cutoff = [], 0
        for way in _round_citations(round_):
            read = list(way[:window])
            rows += read
            if len(read) == window:  # there are older ones, unread: below here, unsure
                cutoff = max(cutoff, read[-1][0])
        newest = {}
        for pk, source in sorted(rows, reverse=True):
            if pk >= cutoff:
                newest.setdefault(source, pk)
        ordered = list(newest)  # newest citation first
        found = Source.objects.published().select_related("outlet").defer("body")
        found = found.in_bulk(ordered)
        sources = [found[pk] for pk in ordered if pk in found][:size]
        if len(sources) == size or not cutoff or window >= MOST_CITATIONS:
            return sources
        window = min(window * 10, MOST_CITATIONS)


def round_sources(round_, *, count=None):
    """The published sources cited in ``round_`` (``Source.cited_in_round``), most recently
    cited first (``recently_cited``), and how many (kept on write: the sources' facet "round").
    The sources list has no round filter: no list link."""
    count = kept_count("source", "round", round_, count)
    return Evidence(items=recently_cited(round_), count=count, list_url=None, noun="source")
