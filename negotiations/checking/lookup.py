"""The records a checked text's passages may be: found through the checker's index of runs
of three words (``index``), in one query whatever the text's length or the number of quotes.

Each passage asks the index for a few runs, each on its own (one run's common words must not
crowd out another's rare ones), ``LIMIT`` quotes each:

1. **its words as one phrase** (its first and its last run of the first ``PHRASE_WORDS``
   words, both held by the quote; ``findings`` checks the words in between): among everyone's
   quotes (who else said it) and, where the text names an official, among theirs (a common
   wording said by many);
2. **runs of three of its words**, side by side, covering it (at most ``ANCHORS`` of them,
   spread over it when it is long), in pairs (next to each other, and the first with the
   last) and alone: the recorded quotes that share runs with it. A rewording keeps most runs
   of the original; a text that shares none with a quote is not its wording. A pair singles
   out a wording among the thousands that share one common run. Where the text names an
   official, among that official's quotes (a range of the index); else pairs among everyone's,
   and runs alone only where the passage has two runs or fewer.

All of a text's runs go to the database in one statement: a list of rows (``VALUES``), each
with a correlated subquery that seeks its run in the index and stops at its limit. Then the
candidates' texts (published only) are read in one query and compared (``findings``); the
matches are read with their speakers and statements in one more, and their citations in
another.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Value

from ..models import Citation, Quote
from .index import TABLE, WORDS
from .index import words as _words  # split as the index splits them

PHRASE_WORDS = 32  # the whole quotation's runs are looked for within its first words
LIMIT = 10  # quotes per run asked
ANCHORS = 6
EVERYONE = (0, 2**62)  # the range of speaker ids that is everyone's


def anchors(passage_words):
    """Runs of ``WORDS`` words of the passage, side by side and covering it (the last run
    ends with its last word), at most ``ANCHORS`` of them spread evenly over it."""
    words = _words(passage_words)
    if len(words) < WORDS:
        return []
    starts = list(range(0, len(words) - WORDS + 1, WORDS))
    if starts[-1] + WORDS < len(words):
        starts.append(len(words) - WORDS)
    if len(starts) > ANCHORS:
        step = (len(starts) - 1) / (ANCHORS - 1)
        starts = [starts[round(i * step)] for i in range(ANCHORS)]
    return [" ".join(words[i : i + WORDS]) for i in starts]


def phrases(passage_words, named):
    """What the index is asked for one passage: (a run, another run both must hold or "",
    whether among the named official's quotes only), as the module's docstring says."""
    words = _words(passage_words)[:PHRASE_WORDS]
    if len(words) < WORDS:
        return []
    first, last = " ".join(words[:WORDS]), " ".join(words[-WORDS:])
    whole = (first, last if last != first else "")
    asked = [(*whole, False)] + ([(*whole, True)] if named else [])
    runs = anchors(passage_words)
    pairs = list(zip(runs, runs[1:], strict=False))
    if len(runs) > 2:
        pairs.append((runs[0], runs[-1]))
    asked += [(one, other, named) for one, other in pairs if (one, other) != whole]
    if named or len(runs) <= 2:
        asked += [(run, "", named) for run in runs]
    return asked


def _statement(rows):
    """The one statement for all of ``rows`` ((ordinal, run, another run or "", lowest and
    highest speaker id), …): (ordinal, the quote ids found, comma-separated)."""
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s, %s, %s, %s::bigint, %s::bigint)"] * len(rows))
        values = f"(VALUES {values}) AS v (ordinal, run, other, low, high)"
        found = "string_agg(quote_id::text, ',')"
    else:  # SQLite names a list's columns column1, column2, …
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        values = (
            "(SELECT column1 AS ordinal, column2 AS run, column3 AS other, column4 AS low, "
            f"column5 AS high FROM (VALUES {values})) AS v"
        )
        found = "group_concat(quote_id)"
    # The runs are hashed once, in a materialised list: a hash computed inside the lookup
    # would be computed again for each entry the seek reads.
    sql = (
        "WITH asked (ordinal, first, second, low, high) AS MATERIALIZED ("
        "SELECT ordinal, negotiations_shingle(run), CASE WHEN other = '' THEN NULL "
        "ELSE negotiations_shingle(other) END, low, high "
        f"FROM {values}) "
        f"SELECT q.ordinal, (SELECT {found} FROM (SELECT a.quote_id FROM {TABLE} a "
        "WHERE a.hash = q.first AND a.speaker_id BETWEEN q.low AND q.high "
        f"AND (q.second IS NULL OR EXISTS (SELECT 1 FROM {TABLE} b WHERE b.hash = q.second "
        "AND b.speaker_id = a.speaker_id AND b.quote_id = a.quote_id)) "
        f"LIMIT {LIMIT}) found) FROM asked q"
    )
    return sql, [value for row in rows for value in row]


def candidates(passages):
    """For each of ``passages`` ((number, words, the named official's id or None), …): the
    ids of the quotes that hold its first and last runs, then of those sharing runs with it
    ({number: [ids]}), in one query."""
    rows, owner = [], []
    for number, words, official_id in passages:
        for run, other, own in phrases(words, official_id is not None):
            low, high = (official_id, official_id) if own else EVERYONE
            rows.append((len(rows), run, other, low, high))
            owner.append(number)
    found = {}
    if not rows:
        return found
    with connection.cursor() as cursor:
        cursor.execute(*_statement(rows))
        results = sorted(cursor.fetchall())
    for ordinal, ids in results:
        if not ids:
            continue
        listed = found.setdefault(owner[ordinal], [])
        for pk in str(ids).split(","):
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
