"""The records a checked text's passages may be: found through the search index, in a fixed
number of queries whatever the text's length or the number of quotes.

Each passage asks two things of the index, all passages in one statement each:

1. **its words as one phrase** (the first ``PHRASE_WORDS`` of them): the recorded quotes that
   print them word for word, ``EXACT`` at most, and as many again among the attributed
   official's own quotes;
2. **phrases of three of its words**, side by side (at most ``ANCHORS`` of them, spread over
   the passage), any of which will do: the recorded quotes that share a run of words with it,
   ``NEAR`` at most, and as many again among the attributed official's. A rewording keeps most
   runs of three words of the original; a text that shares none with a quote is not its
   wording.

Both are index lookups that stop at their limit: SQLite's FTS5 reads the phrase's words'
postings side by side and stops at the limit; PostgreSQL's GIN index does the same for the
tsquery. Nothing reads every quote of a common word, and nothing ranks. Then the candidates'
rows (published only, with speaker and statement) are read in one query, and their citations in
another; ``findings`` compares the words.
"""

import re

from django.db import connection

from ..models import Citation, Quote
from ..search import text as search_text
from ..search.backends import COLUMN, CONFIG, FUNCTION
from ..search.documents import document_for

PHRASE_WORDS = 32  # a phrase this long is as good as the whole quotation; Python checks the rest
EXACT = 10
NEAR = 40
ANCHORS = 6
ANCHOR_WORDS = 3
# SQLite allows 500 terms in one compound SELECT: a text of MAX_QUOTATIONS attributed
# quotations (two parts each) fits in one statement of each kind; a longer list is split.
PARTS_PER_STATEMENT = 450

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(passage_words):
    return _WORD.findall(passage_words)


def anchors(passage_words):
    """Runs of ``ANCHOR_WORDS`` words of the passage, side by side, at most ``ANCHORS`` of
    them spread evenly over it."""
    words = _words(passage_words)
    runs = [
        " ".join(words[i : i + ANCHOR_WORDS])
        for i in range(0, max(1, len(words) - ANCHOR_WORDS + 1), ANCHOR_WORDS)
    ]
    if len(runs) > ANCHORS:
        step = len(runs) / ANCHORS
        runs = [runs[int(i * step)] for i in range(ANCHORS)]
    return runs


def _phrase(words):
    return " ".join(_words(words)[:PHRASE_WORDS])


# SQLite: FTS5 ------------------------------------------------------------------------------


def _fts5_phrase(words):
    return search_text.Term(search_text.index_text(words), phrase=True).fts5()


def _sqlite_select(number, match, limit):
    fts = document_for(Quote).fts_table
    return (
        f"SELECT {int(number)}, rowid FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH %s "
        f"LIMIT {int(limit)})",
        [match],
    )


def _sqlite_parts(number, phrases, speaker_name, limit):
    expression = "text : (" + " OR ".join(_fts5_phrase(p) for p in phrases) + ")"
    parts = [_sqlite_select(number, expression, limit)]
    if speaker_name:
        parts.append(
            _sqlite_select(
                number, f"{expression} AND speaker : {_fts5_phrase(speaker_name)}", limit
            )
        )
    return parts


# PostgreSQL: the search_document column -----------------------------------------------------


def _tsquery(phrases):
    sql = " || ".join([f"phraseto_tsquery(%s::regconfig, {FUNCTION}(%s))"] * len(phrases))
    params = [value for phrase in phrases for value in (CONFIG, phrase)]
    return f"({sql})", params


def _postgres_parts(number, phrases, speaker_name, limit):
    table = Quote._meta.db_table
    query, params = _tsquery(phrases)
    select = f"(SELECT {int(number)}, id FROM {table} WHERE {COLUMN} @@ {query}"
    parts = [(f"{select} LIMIT {int(limit)})", params)]
    if speaker_name:
        name, name_params = _tsquery([speaker_name])
        parts.append(
            (
                f"(SELECT {int(number)}, id FROM {table} WHERE {COLUMN} @@ ({query} && {name}) "
                f"LIMIT {int(limit)})",
                [*params, *name_params],
            )
        )
    return parts


def _run(parts):
    """``parts``, (sql, params) each selecting (passage number, quote id), in one statement
    (one per ``PARTS_PER_STATEMENT``): {passage number: [quote ids, in the order found,
    without repeats]}."""
    found = {}
    for first in range(0, len(parts), PARTS_PER_STATEMENT):
        chunk = parts[first : first + PARTS_PER_STATEMENT]
        sql = " UNION ALL ".join(part for part, _params in chunk)
        params = [value for _part, part_params in chunk for value in part_params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for number, pk in cursor.fetchall():
                ids = found.setdefault(number, [])
                if pk not in ids:
                    ids.append(pk)
    return found


def candidates(passages):
    """For each of ``passages`` ((number, words, speaker name or ""), …): the ids of the
    quotes that print its words as a phrase, and of those sharing a run of words with it:
    ({number: [ids]}, {number: [ids]}), in two queries."""
    parts_for = _postgres_parts if connection.vendor == "postgresql" else _sqlite_parts
    exact, near = [], []
    for number, words, speaker_name in passages:
        phrase = _phrase(words)
        if not phrase:
            continue
        exact += parts_for(number, [phrase], speaker_name, EXACT)
        near += parts_for(number, anchors(words), speaker_name, NEAR)
    return _run(exact), _run(near)


def quotes(ids):
    """The published quotes among ``ids``, with speaker and statement: {id: quote}."""
    if not ids:
        return {}
    found = (
        Quote.objects.published()
        .filter(pk__in=ids)
        .select_related("speaker", "statement")
        .order_by()
    )
    return {quote.pk: quote for quote in found}


def citations(quote_ids):
    """The citations of the quotes ``quote_ids`` in published sources, with their sources and
    outlets: {quote id: [citations]}."""
    by_quote = {}
    if not quote_ids:
        return by_quote
    found = (
        Citation.objects.filter(quote_id__in=quote_ids, source__state="published")
        .select_related("source", "source__outlet")
        .order_by("source__published_on", "pk")
    )
    for citation in found:
        by_quote.setdefault(citation.quote_id, []).append(citation)
    return by_quote
