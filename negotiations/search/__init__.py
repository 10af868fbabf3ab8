"""Full-text search over the knowledge base, on SQLite (FTS5) and PostgreSQL alike.

- ``text``: how texts are prepared for indexing, how a reader's words become a query, how a
  snippet becomes HTML (the same on both databases).
- ``documents``: what each searchable record's document holds, with weights.
- ``backends``: the schema and triggers that keep the index right on every write path, and the
  expressions the QuerySets use.
- ``groups``: the search page's results, grouped by type.

The QuerySet methods are ``PublishableQuerySet.matching``, ``ranked`` and ``with_snippet``
(``models/base.py``). After a bulk load: ``rebuild()`` when rows were written with the
triggers off, else ``optimize()``.
"""

from django.conf import settings
from django.db import connections

from .backends import SearchMatch, SearchRank, SearchSnippet, optimize, rebuild
from .documents import document_for
from .text import Query, Term, parse, render_snippet, words


def count_limit():
    """Matches are counted up to this many (``SEARCH_COUNT_LIMIT``, 10,000 by default):
    beyond it a count reads "10,000+", never an exact total."""
    return getattr(settings, "SEARCH_COUNT_LIMIT", 10_000)


def ranked_among():
    """Results are ranked among the first this many matches found (``SEARCH_RANKED_AMONG``,
    1,000 by default): ranking every match of a common word among a million records takes
    seconds. Pages say so when more matched."""
    return getattr(settings, "SEARCH_RANKED_AMONG", 1_000)


__all__ = [
    "Query",
    "Term",
    "SearchMatch",
    "SearchRank",
    "SearchSnippet",
    "count_each",
    "count_limit",
    "count_up_to",
    "document_for",
    "optimize",
    "parse",
    "ranked_among",
    "rebuild",
    "render_snippet",
    "words",
]


def count_up_to(queryset, limit=None):
    """How many records ``queryset`` holds, counting no further than ``limit`` + 1
    (``count_limit()`` by default): a result above ``limit`` means "more than ``limit``", at
    the cost of counting ``limit`` rows."""
    limit = count_limit() if limit is None else limit
    return queryset.order_by().values("pk")[: limit + 1].count()


def count_each(querysets, limit):
    """How many records each of ``querysets`` holds, each counted no further than ``limit`` + 1
    (as ``count_up_to``), all in one query: a list of counts in their order."""
    if not querysets:
        return []
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        limited = queryset.order_by().values("pk")[: limit + 1]
        sql, part_params = limited.query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) counted_{number})")
        params.extend(part_params)
    connection = connections[querysets[0].db]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return list(cursor.fetchone())
