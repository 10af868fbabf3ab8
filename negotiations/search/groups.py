"""The search page's results: for each type of record, how many match (counted honestly up to
a limit), the best matches with a highlighted snippet, and the link to that type's full list
filtered by the same words.

At most two queries per type, whatever the data size: the count (counting no further than
``count_limit()`` + 1) with the best ``per_group`` among the first ``ranked_among()`` matches
(``backends.count_and_best``, read from the index and stopped at those limits), then those
records with their snippets.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..models import Claim, Official, Quote, Round, Source, StickingPoint
from . import count_limit, document_for, parse, ranked_among
from .backends import count_and_best
from .text import plain_snippet, render_snippet

PER_GROUP = 10


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    model: type
    list_view: str
    filters_by_words: bool  # the list has a ``q`` filter
    related: tuple[str, ...] = ()


KINDS = [
    Kind("rounds", _("Rounds"), Round, "negotiations:round-list", True),
    Kind("issues", _("Issues"), StickingPoint, "negotiations:issue-list", False),
    Kind("officials", _("Officials"), Official, "negotiations:official-list", True),
    Kind("quotes", _("Quotes"), Quote, "negotiations:quote-list", True, ("speaker",)),
    Kind("claims", _("Claims"), Claim, "negotiations:claim-list", True),
    Kind("sources", _("Sources"), Source, "negotiations:source-list", True, ("outlet",)),
]


@dataclass(frozen=True)
class Result:
    record: object
    raw_snippet: str | None  # as the database cut it (``text``)

    @property
    def snippet(self):
        """Safe HTML: the stored text escaped, the matches in <mark>; may be empty."""
        return render_snippet(self.raw_snippet)

    @property
    def snippet_text(self):
        return plain_snippet(self.raw_snippet)


@dataclass(frozen=True)
class Group:
    kind: Kind
    counted: int  # up to limit + 1
    results: list = field(default_factory=list)
    list_url: str = ""
    limit: int = 0  # matches are counted up to this many
    among: int = 0  # results are ranked among the first this many matches

    @property
    def name(self):
        return self.kind.name

    @property
    def count(self):
        """How many match, or the limit when more do (then ``more_than_counted``)."""
        return min(self.counted, self.limit)

    @property
    def more_than_counted(self):
        return self.counted > self.limit

    @property
    def count_display(self):
        return f"{self.count:,}+" if self.more_than_counted else f"{self.count:,}"

    @property
    def ranked_among(self):
        """How many matches the results were ranked among, when not all of them."""
        return self.among if self.counted > self.among else None

    @property
    def list_is_filtered(self):
        return self.kind.filters_by_words


def _list_url(kind, text):
    url = reverse(kind.list_view)
    return f"{url}?{urlencode({'q': text})}" if kind.filters_by_words else url


def search_groups(text, *, per_group=PER_GROUP):
    """For each type of record, in the page's order: a Group of the published records that
    match ``text``, with the best ``per_group`` of them."""
    query = parse(text)
    groups, limit, among = [], count_limit(), ranked_among()
    for kind in KINDS:
        counted, best = 0, []
        if query is not None:
            counted, best = count_and_best(
                document_for(kind.model), query, limit=limit, among=among, best=per_group
            )
        results = []
        if best:
            records = kind.model.objects.filter(pk__in=[pk for pk, _rank in best])
            records = records.with_snippet(text)
            if kind.related:
                records = records.select_related(*kind.related)
            by_pk = {record.pk: record for record in records}
            for pk, rank in best:
                record = by_pk[pk]
                record.search_rank = rank
                results.append(Result(record, record.search_snippet))
        groups.append(Group(kind, counted, results, _list_url(kind, text), limit, among))
    return groups


@dataclass(frozen=True)
class Total:
    count: int
    more_than_counted: bool

    @property
    def display(self):
        return f"{self.count:,}+" if self.more_than_counted else f"{self.count:,}"


def total_of(groups):
    """All the groups' matches together, never more precise than their counts."""
    return Total(
        sum(group.count for group in groups), any(group.more_than_counted for group in groups)
    )
