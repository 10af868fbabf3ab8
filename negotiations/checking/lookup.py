"""The records a checked text's passages may be: found through the search index, in one
query whatever the text's length or the number of quotes.

Each passage asks the index for a few phrases, each on its own (one phrase's common words must
not crowd out another's rare ones), ``LIMIT`` quotes each:

1. **its words as one phrase** (the first ``PHRASE_WORDS`` of them): the recorded quotes that
   print them word for word;
2. **runs of three of its words** (two in a short passage), side by side, covering it (at
   most ``ANCHORS`` of them, spread over it when it is long), in pairs and alone: the
   recorded quotes that share runs with it. A rewording keeps most runs of the original; a
   text that shares none with a quote is not its wording. A pair of runs singles out a
   wording among the thousands that share one common run.

Where the text names an official, the runs are looked for among that official's quotes only
(their name is part of each quote's indexed document, so the index narrows to them), and the
whole phrase among theirs and everyone's: a wording the record has only from someone else is
a misattribution when it is the same words.

All of a text's phrases go to the database in one statement: a list of rows (``VALUES``), each
with a correlated subquery that reads the index for its phrase and stops at its limit (SQLite's
FTS5 reads the phrase's words' postings side by side; PostgreSQL's GIN index the same for the
tsquery). Nothing reads every quote of a common word and nothing ranks. Then the candidates'
texts (published only) are read in one query and compared (``findings``); the matches are read
with their speakers and statements in one more, and their citations in another.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Value

from ..models import Citation, Quote
from ..search import text as search_text
from ..search.backends import COLUMN, CONFIG, FUNCTION
from ..search.documents import document_for

PHRASE_WORDS = 32  # a phrase this long is as good as the whole quotation; Python checks the rest
LIMIT = 10  # quotes per phrase asked
ANCHORS = 6
ANCHOR_WORDS = 3
SHORT = 8

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def _words(passage_words):
    return _WORD.findall(passage_words)


def anchors(passage_words):
    """Runs of words of the passage, side by side and covering it (the last run ends with its
    last word), at most ``ANCHORS`` of them spread evenly over it: runs of ``ANCHOR_WORDS``
    words, or of two in a passage of ``SHORT`` words or fewer (where a changed word would
    break every run of three)."""
    words = _words(passage_words)
    size = 2 if len(words) <= SHORT else ANCHOR_WORDS
    if len(words) <= size:
        return [" ".join(words)] if words else []
    starts = list(range(0, len(words) - size + 1, size))
    if starts[-1] + size < len(words):
        starts.append(len(words) - size)
    if len(starts) > ANCHORS:
        step = (len(starts) - 1) / (ANCHORS - 1)
        starts = [starts[round(i * step)] for i in range(ANCHORS)]
    return [" ".join(words[i : i + size]) for i in starts]


def phrases(passage_words, named):
    """What the index is asked for one passage, as (phrase, another phrase or "", whether
    among the named official's quotes only), each to be found:

    - the passage as a phrase, among everyone's quotes (who else said it) and, where the text
      names an official, among theirs (a common wording said by many);
    - pairs of its runs (next to each other, and the first with the last), among the named
      official's quotes, else everyone's: a rewording of a word or two leaves some pair whole,
      and a pair singles out a wording among the thousands that share one common run;
    - each run alone, among the named official's quotes (where two changed words leave no
      pair whole), or among everyone's where it has two runs or fewer.
    """
    whole = " ".join(_words(passage_words)[:PHRASE_WORDS])
    if not whole:
        return []
    asked = [(whole, "", False)] + ([(whole, "", True)] if named else [])
    runs = [run for run in anchors(passage_words) if run != whole]
    pairs = list(zip(runs, runs[1:], strict=False))
    if len(runs) > 2:
        pairs.append((runs[0], runs[-1]))
    asked += [(first, second, named) for first, second in pairs]
    if named or len(runs) <= 2:
        asked += [(run, "", named) for run in runs]
    return asked


def _fts5(phrase):
    return search_text.Term(search_text.index_text(phrase), phrase=True).fts5()


def _sqlite_statement(rows):
    fts = document_for(Quote).fts_table
    values = ", ".join(["(%s, %s)"] * len(rows))
    sql = (
        f"SELECT v.column1, (SELECT group_concat(rowid) FROM (SELECT rowid FROM {fts} "
        f"WHERE {fts} MATCH v.column2 LIMIT {LIMIT})) FROM (VALUES {values}) v"
    )
    params = []
    for ordinal, phrase, also, speaker_name in rows:
        match = f"text : ({_fts5(phrase)}" + (f" AND {_fts5(also)})" if also else ")")
        if speaker_name:
            match += f" AND speaker : {_fts5(speaker_name)}"
        params += [ordinal, match]
    return sql, params


def _postgres_statement(rows):
    table = Quote._meta.db_table

    def tsquery(column):
        return f"phraseto_tsquery('{CONFIG}', {FUNCTION}(v.{column}))"

    # An empty column adds nothing: the phrase itself stands in for it (no empty tsquery,
    # which PostgreSQL answers with a notice per row).
    query = " && ".join(
        [tsquery("phrase")]
        + [
            f"CASE WHEN v.{column} = '' THEN {tsquery('phrase')} ELSE {tsquery(column)} END"
            for column in ("also", "speaker")
        ]
    )
    values = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
    sql = (
        f"SELECT v.ordinal, (SELECT string_agg(id::text, ',') FROM (SELECT id FROM {table} "
        f"WHERE {COLUMN} @@ ({query}) LIMIT {LIMIT}) found) "
        f"FROM (VALUES {values}) v (ordinal, phrase, also, speaker)"
    )
    params = [value for row in rows for value in row]
    return sql, params


def candidates(passages):
    """For each of ``passages`` ((number, words, speaker name or ""), …): the ids of the
    quotes that print its words as a phrase, then of those sharing a run of words with it
    ({number: [ids]}), in one query."""
    rows, owner = [], []
    for number, words, speaker_name in passages:
        for phrase, also, own in phrases(words, bool(speaker_name)):
            rows.append((len(rows), phrase, also, speaker_name if own else ""))
            owner.append(number)
    found = {}
    if not rows:
        return found
    statement = _postgres_statement if connection.vendor == "postgresql" else _sqlite_statement
    sql, params = statement(rows)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        results = sorted(cursor.fetchall())
    for ordinal, ids in results:
        if not ids:
            continue
        listed = found.setdefault(owner[ordinal], [])
        for pk in ids.split(","):
            if int(pk) not in listed:
                listed.append(int(pk))
    return found


@dataclass(frozen=True)
class Candidate:
    pk: int
    text: str
    speaker_id: int
    summary: str  # its statement's, or ""


STATEMENT_WORDS = 2
_STOP = frozenset(
    ["that", "this", "with", "have", "from", "they", "their", "there", "were", "would", "could"]
    + ["should", "about", "said", "says"]
)
STEM = 5  # letters a word is looked for by: "approved" finds "approves"


def _telling_words(words):
    """The longest words of a passage (the likeliest to be in a summary of the statement),
    by their first ``STEM`` letters."""
    found = sorted(
        {w.casefold() for w in _words(words) if len(w) > 3 and w.casefold() not in _STOP},
        key=lambda w: (-len(w), w),
    )
    return [word[:STEM] for word in found[:STATEMENT_WORDS]]


def statement_quotes(passages):
    """For each of ``passages`` ((number, words, official id), …), reported speech: the
    published quotes of that official's statements whose summary holds the passage's
    ``STATEMENT_WORDS`` longest words (a statement is summed up in neutral words, "Bessent
    says the talks have stalled", which a reporter's sentence echoes), ``LIMIT`` each:
    {number: [ids]}, in one query. The statements read are the official's only (an index on
    the speaker), and only their summaries are searched."""
    parts = []
    for number, words, official_id in passages:
        telling = _telling_words(words)
        if not telling:
            continue
        found = Quote.objects.published().filter(
            statement__speaker_id=official_id, statement__state="published"
        )
        for word in telling:
            found = found.filter(statement__summary__icontains=word)
        found = found.order_by().annotate(number=Value(number)).values_list("number", "pk")
        parts.append(found[:LIMIT].query.sql_with_params())
    by_number = {}
    if not parts:
        return by_number
    sql = " UNION ALL ".join(
        f"SELECT * FROM ({part}) part_{i}" for i, (part, _params) in enumerate(parts)
    )
    params = [value for _part, part_params in parts for value in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for number, pk in cursor.fetchall():
            by_number.setdefault(number, []).append(pk)
    return by_number


def candidate_texts(ids):
    """The published quotes among ``ids``, as much as comparing them needs: {id: Candidate}
    (a thousand model instances with their speakers would cost more than the lookup)."""
    if not ids:
        return {}
    found = (
        Quote.objects.published()
        .filter(pk__in=ids)
        .order_by()
        .values_list("pk", "text", "speaker_id", "statement__summary")
    )
    return {row[0]: Candidate(*row[:3], row[3] or "") for row in found}


def quotes(ids):
    """The quotes ``ids`` (the matches), with speaker and statement: {id: quote}."""
    if not ids:
        return {}
    found = Quote.objects.filter(pk__in=ids).select_related("speaker", "statement").order_by()
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
