"""Full-text search on each database, behind one interface: the schema that keeps every
document indexed, and the expressions a QuerySet filters, ranks and cuts snippets with.

SQLite: an FTS5 table per searchable model (``<table>_fts``, holding the prepared text of each
part, tokenizer ``porter unicode61 remove_diacritics 2``), ranked with ``bm25()`` and the
parts' weights, snippets by ``snippet()``. PostgreSQL: a ``search_document`` tsvector column
per searchable table, weighted by part, with a GIN index; the configuration
``negotiations_search`` (English Snowball stems, accents removed by ``unaccent``, no stop
words: "us" the pronoun is a word like any other); queries through ``websearch_to_tsquery``,
ranked by ``ts_rank`` with the same weights, snippets by ``ts_headline``.

**Every write path keeps the index right**, because database triggers do it: admin, shell,
``bulk_create``, ``QuerySet.update()``, raw SQL, deletes, and changes to another record a
document reads (an official's name reaches their quotes' documents, a position their
official's, an outlet's name its sources'). Columns and tables the models do not declare keep
``makemigrations`` clean.

**Where the triggers come from.** After ``migrate`` (``post_migrate``, as Django makes content
types and permissions), where the schema is missing, it is created from the documents'
definitions and filled: tables, columns, indexes and functions; no migration carries this
live code. On PostgreSQL that creates the triggers too; they test for changes
inside their functions (no ``WHEN`` clause), so a later migration may alter any column. On
SQLite the triggers are dropped when a ``migrate`` that changes this app starts and created
again when it ends (``pre_migrate``/``post_migrate``), with the index rebuilt: Django alters
a SQLite table by copying it to a new one, and SQLite refuses to rename that copy while another
table's trigger names the table. ``migrate`` also puts back any trigger found missing.

**After a bulk load** call ``rebuild()`` if rows were written with triggers off, or
``optimize()`` otherwise (``negotiations.search`` exports both).

SQLite needs the function ``negotiations_search_text`` (``text.index_text``), registered here
on every connection Django opens: a write from a bare ``sqlite3`` shell fails, loudly, instead
of leaving the index wrong.
"""

import contextlib

from django.db import NotSupportedError, connections
from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Expression, FloatField, TextField
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver

from .documents import DOCUMENTS, WEIGHTS
from .text import MARK_END, MARK_START, index_text, postgres_index_text_sql

FUNCTION = "negotiations_search_text"
CONFIG = "negotiations_search"
COLUMN = "search_document"
TOKENIZER = "porter unicode61 remove_diacritics 2"
# ts_rank's weights, in its order: D, C, B, A.
POSTGRES_WEIGHTS = "{" + ",".join(str(WEIGHTS[w]) for w in "DCBA") + "}"
SNIPPET_WORDS = 24
HEADLINE_OPTIONS = (
    f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=12, ShortWord=0, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _prepared(sql, row, vendor):
    concat = "string_agg" if vendor == "postgresql" else "group_concat"
    return f"{FUNCTION}(coalesce({sql.format(row=row, concat=concat)}, ''))"


# SQLite -------------------------------------------------------------------------------------


@receiver(connection_created)
def register_functions(sender, connection, **kwargs):
    """The text preparation both the triggers and the queries rely on, on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(FUNCTION, 1, index_text, deterministic=True)


def _sqlite_index(document, where):
    """SQL that indexes the rows of ``document``'s table picked by ``where`` (over ``r``)."""
    names = ", ".join(part.name for part in document.parts)
    values = ", ".join(_prepared(part.sql, "r", "sqlite") for part in document.parts)
    return (
        f"INSERT INTO {document.fts_table}(rowid, {names}) "
        f"SELECT r.id, {values} FROM {document.table} r WHERE {where}"
    )


def _sqlite_unindex(document, where):
    return (
        f"DELETE FROM {document.fts_table} WHERE rowid IN "
        f"(SELECT r.id FROM {document.table} r WHERE {where})"
    )


def _changed(row_columns, old="OLD", new="NEW", same="IS NOT"):
    return " OR ".join(f"{old}.{c} {same} {new}.{c}" for c in row_columns)


def _sqlite_triggers(document):
    """{name: CREATE TRIGGER statement} keeping ``document``'s FTS5 table right."""
    fts, table = document.fts_table, document.table
    triggers = {
        f"{table}_search_insert": (
            f"AFTER INSERT ON {table} BEGIN {_sqlite_index(document, 'r.id = NEW.id')}; END"
        ),
        f"{table}_search_update": (
            f"AFTER UPDATE ON {table} WHEN {_changed(('id', *document.columns))} BEGIN "
            f"DELETE FROM {fts} WHERE rowid = OLD.id; "
            f"{_sqlite_index(document, 'r.id = NEW.id')}; END"
        ),
        f"{table}_search_delete": (
            f"AFTER DELETE ON {table} BEGIN DELETE FROM {fts} WHERE rowid = OLD.id; END"
        ),
    }
    for dependency in document.dependencies:
        name = f"{dependency.table}_search_{table}"
        events = (("update", ("OLD", "NEW")),)
        if not dependency.columns:
            events = (("insert", ("NEW",)), ("update", ("OLD", "NEW")), ("delete", ("OLD",)))
        for event, rows in events:
            when = f" WHEN {_changed(dependency.columns)}" if dependency.columns else ""
            steps = "".join(
                f"{_sqlite_unindex(document, dependency.where.format(changed=row))}; "
                f"{_sqlite_index(document, dependency.where.format(changed=row))}; "
                for row in rows
            )
            triggers[f"{name}_{event}"] = (
                f"AFTER {event.upper()} ON {dependency.table}{when} BEGIN {steps}END"
            )
    return triggers


def _sqlite_all_triggers():
    return {name: sql for d in DOCUMENTS.values() for name, sql in _sqlite_triggers(d).items()}


def _sqlite_names(cursor, kind):
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def _sqlite_create_tables(cursor, documents):
    for document in documents:
        names = ", ".join(part.name for part in document.parts)
        cursor.execute(f"DROP TABLE IF EXISTS {document.fts_table}")
        cursor.execute(
            f"CREATE VIRTUAL TABLE {document.fts_table} USING fts5({names}, "
            f"tokenize = '{TOKENIZER}')"
        )
        cursor.execute(_sqlite_index(document, "1"))
        cursor.execute(
            f"INSERT INTO {document.fts_table}({document.fts_table}) VALUES ('optimize')"
        )


# PostgreSQL ---------------------------------------------------------------------------------


def _postgres_vector(document, row):
    return " || ".join(
        f"setweight(to_tsvector('{CONFIG}', {_prepared(part.sql, row, 'postgresql')}), "
        f"'{part.weight}')"
        for part in document.parts
    )


def _postgres_statements(document):
    table = document.table
    changed = _changed(document.columns, same="IS DISTINCT FROM")
    statements = [
        f"""CREATE OR REPLACE FUNCTION {table}_search_document() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' OR NEW.{COLUMN} IS NULL OR {changed}
                    OR NEW.{COLUMN} IS DISTINCT FROM OLD.{COLUMN} THEN
                NEW.{COLUMN} := {_postgres_vector(document, "NEW")};
            END IF;
            RETURN NEW;
        END $$""",
        f"DROP TRIGGER IF EXISTS {table}_search_document ON {table}",
        f"CREATE TRIGGER {table}_search_document BEFORE INSERT OR UPDATE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_search_document()",
    ]
    for dependency in document.dependencies:
        name = f"{dependency.table}_search_{table}"
        if dependency.columns:
            rows, events = ["NEW"], "UPDATE"
            test = _changed(dependency.columns, same="IS DISTINCT FROM")
        else:
            rows, events, test = ["OLD", "NEW"], "INSERT OR UPDATE OR DELETE", "TRUE"
        picks = " OR ".join(dependency.where.format(changed=row) for row in rows)
        statements += [
            f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {test} THEN
                    UPDATE {table} r SET {COLUMN} = NULL WHERE {picks};
                END IF;
                RETURN NULL;
            END $$""",
            f"DROP TRIGGER IF EXISTS {name} ON {dependency.table}",
            f"CREATE TRIGGER {name} AFTER {events} ON {dependency.table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return statements


def _postgres_configuration(cursor):
    cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [CONFIG])
    if cursor.fetchone() is None:
        cursor.execute(
            "CREATE TEXT SEARCH DICTIONARY negotiations_stem "
            "(TEMPLATE = snowball, LANGUAGE = english)"
        )
        cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.simple)")
        # Words and the parts of hyphenated words, as FTS5 splits them; not the whole.
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} ALTER MAPPING FOR asciiword, word, "
            "numword, hword_asciipart, hword_part, hword_numpart WITH unaccent, negotiations_stem"
        )
        cursor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} DROP MAPPING FOR asciihword, hword, numhword"
        )
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}(value text) RETURNS text "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE "
        f"AS $$ SELECT {postgres_index_text_sql('value')} $$"
    )


@contextlib.contextmanager
def _postgres_schema_changes(connection, cursor):
    """Let the caller's transaction change tables: PostgreSQL refuses while foreign key checks
    wait for the commit (Django's are deferred), so they are made now, then deferred again."""
    pending = connection.in_atomic_block
    if pending:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    if pending:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _postgres_index_name(document):
    return f"{document.table}_search_idx"


def _postgres_fill(cursor, documents):
    """Compute every document again (the triggers do, for a NULL document), index rebuilt."""
    for document in documents:
        cursor.execute(f"DROP INDEX IF EXISTS {_postgres_index_name(document)}")
        cursor.execute(f"UPDATE {document.table} SET {COLUMN} = NULL")
        cursor.execute(
            f"CREATE INDEX {_postgres_index_name(document)} ON {document.table} "
            f"USING gin ({COLUMN})"
        )
        cursor.execute(f"ANALYZE {document.table}")


def _postgres_triggers():
    names = set()
    for document in DOCUMENTS.values():
        names.add(f"{document.table}_search_document")
        names.update(f"{d.table}_search_{document.table}" for d in document.dependencies)
    return names


# The interface ------------------------------------------------------------------------------


def install(connection):
    """Create and fill the search schema (after ``migrate``, when it is missing)."""
    documents = list(DOCUMENTS.values())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite_create_tables(cursor, documents)
        elif connection.vendor == "postgresql":
            _postgres_configuration(cursor)
            for document in documents:
                cursor.execute(
                    f"ALTER TABLE {document.table} ADD COLUMN IF NOT EXISTS {COLUMN} tsvector"
                )
                for statement in _postgres_statements(document):
                    cursor.execute(statement)
            with _postgres_schema_changes(connection, cursor):
                _postgres_fill(cursor, documents)
        else:
            raise NotSupportedError(f"No full-text search on {connection.vendor}.")


def uninstall(connection):
    """Remove the search schema (to start again; nothing calls it on its own)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            drop_triggers(connection)
            for document in DOCUMENTS.values():
                cursor.execute(f"DROP TABLE IF EXISTS {document.fts_table}")
            return
        for document in DOCUMENTS.values():
            for dependency in document.dependencies:
                name = f"{dependency.table}_search_{document.table}"
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {dependency.table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            cursor.execute(
                f"DROP TRIGGER IF EXISTS {document.table}_search_document ON {document.table}"
            )
            cursor.execute(f"DROP FUNCTION IF EXISTS {document.table}_search_document()")
            cursor.execute(f"ALTER TABLE {document.table} DROP COLUMN IF EXISTS {COLUMN}")
        cursor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}(text)")
        cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
        cursor.execute("DROP TEXT SEARCH DICTIONARY IF EXISTS negotiations_stem")


def is_installed(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            wanted = {d.fts_table for d in DOCUMENTS.values()}
            return wanted <= _sqlite_names(cursor, "table")
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE column_name = %s "
            "AND table_schema = current_schema() AND table_name = ANY(%s)",
            [COLUMN, [d.table for d in DOCUMENTS.values()]],
        )
        return cursor.fetchone()[0] == len(DOCUMENTS)


def missing_triggers(connection):
    """The names of the search triggers this database lacks."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return set(_sqlite_all_triggers()) - _sqlite_names(cursor, "trigger")
        cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        return _postgres_triggers() - {row[0] for row in cursor.fetchall()}


def install_triggers(connection):
    """Create the triggers that are missing (every one the schema needs is created again on
    PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name, sql in _sqlite_all_triggers().items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {sql}")
        else:
            with _postgres_schema_changes(connection, cursor):
                _postgres_configuration(cursor)
                for document in DOCUMENTS.values():
                    for statement in _postgres_statements(document):
                        cursor.execute(statement)


def drop_triggers(connection):
    """Drop SQLite's search triggers (before Django copies tables to alter them)."""
    with connection.cursor() as cursor:
        for name in _sqlite_all_triggers():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(connection=None):
    """Index every searchable record again, from its table: after rows were written with
    the triggers off, or to repair. Minutes at a million quotes; in one transaction with the
    caller's, if any."""
    connection = connection or connections["default"]
    documents = list(DOCUMENTS.values())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            _sqlite_create_tables(cursor, documents)
        else:
            with _postgres_schema_changes(connection, cursor):
                _postgres_fill(cursor, documents)


def optimize(connection=None):
    """Make the index as fast to query as it can be after many writes (a bulk load): FTS5
    merges its segments into one; PostgreSQL moves the GIN indexes' pending entries into
    place; both refresh the planner's statistics of the searchable tables. Seconds at a
    million quotes."""
    connection = connection or connections["default"]
    with connection.cursor() as cursor:
        for document in DOCUMENTS.values():
            if connection.vendor == "sqlite":
                fts = document.fts_table
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
                # Statistics, sampled: the planner learns that "published" picks nearly every
                # row, and reads the matches from the index instead.
                cursor.execute("PRAGMA analysis_limit = 1000")
                cursor.execute(f"ANALYZE {document.table}")
            else:
                cursor.execute(
                    "SELECT gin_clean_pending_list(%s::regclass)", [_postgres_index_name(document)]
                )
                cursor.execute(f"ANALYZE {document.table}")


def _touches_this_app(plan):
    return any(migration.app_label == "negotiations" for migration, _backwards in plan or [])


@receiver(pre_migrate)
def _before_migrate(sender, using="default", plan=None, **kwargs):
    connection = connections[using]
    if sender.name != "negotiations" or connection.vendor != "sqlite":
        return
    if _touches_this_app(plan) and is_installed(connection):
        drop_triggers(connection)


@receiver(post_migrate)
def _after_migrate(sender, using="default", plan=None, **kwargs):
    # The index is derived from the tables, as content types and permissions are: made after
    # migrate from the documents' definitions (no migration carries live code), and made again
    # where a migration of this app dropped its triggers (SQLite copies tables to alter them).
    connection = connections[using]
    if sender.name != "negotiations":
        return
    if not is_installed(connection):
        install(connection)
    if missing_triggers(connection):
        install_triggers(connection)
        rebuild(connection)  # rows written while triggers were off are indexed again


# The search page: bounded queries ------------------------------------------------------------


def count_and_best(document, query, *, limit, among, best):
    """For the search page, in one query: how many published records match (counting no
    further than ``limit`` + 1), and the ``best`` of the first ``among`` matches found as
    [(primary key, rank)], best first.

    Read from the index first and stopped at the limits, so the work is bounded whatever the
    data size; the ranked matches are the first ``among`` the index holds, published or not,
    of which the published are ranked."""
    connection = connections["default"]
    table, published = document.table, "published"
    if connection.vendor == "sqlite":
        fts, match = document.fts_table, query.fts5()
        counted = (
            f"SELECT count(*) FROM (SELECT 1 FROM {fts} CROSS JOIN {table} t "
            f"ON t.id = {fts}.rowid WHERE {fts} MATCH %s AND t.state = %s LIMIT %s)"
        )
        ranked = (
            f"SELECT t.id, m.r FROM (SELECT rowid AS id, {_bm25(document)} AS r FROM {fts} "
            f"WHERE {fts} MATCH %s LIMIT %s) m CROSS JOIN {table} t ON t.id = m.id "
            "WHERE t.state = %s ORDER BY m.r DESC, t.id LIMIT %s"
        )
        params = [match, published, limit + 1, match, among, published, best]
    else:
        tsquery = f"websearch_to_tsquery('{CONFIG}', %s)"
        counted = (
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE state = %s "
            f"AND {COLUMN} @@ {tsquery} LIMIT %s) c"
        )
        ranked = (
            f"SELECT id, ts_rank(%s::float4[], {COLUMN}, {tsquery}, 1) AS r FROM (SELECT id, "
            f"{COLUMN} FROM {table} WHERE state = %s AND {COLUMN} @@ {tsquery} LIMIT %s) m "
            "ORDER BY r DESC, id LIMIT %s"
        )
        match = query.websearch()
        params = [published, match, limit + 1]
        params += [POSTGRES_WEIGHTS, match, published, match, among, best]
    sql = f"SELECT NULL, NULL, ({counted}) UNION ALL SELECT b.*, NULL FROM ({ranked}) b"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counted = next(n for pk, _rank, n in rows if pk is None)
    best = sorted(
        ((pk, rank) for pk, rank, _n in rows if pk is not None), key=lambda b: (-b[1], b[0])
    )
    return counted, best


# Expressions --------------------------------------------------------------------------------


class _SearchExpression(Expression):
    """An expression over a searchable record (its primary key, and a field for snippets)
    and a parsed query (``text.Query``)."""

    def __init__(self, document, query, *expressions):
        super().__init__()
        self.document, self.query = document, query
        self.source_expressions = list(expressions)

    def get_source_expressions(self):
        return self.source_expressions

    def set_source_expressions(self, exprs):
        self.source_expressions = list(exprs)

    def as_sql(self, compiler, connection):
        raise NotSupportedError(f"No full-text search on {connection.vendor}.")

    def _pk(self, compiler):
        return compiler.compile(self.source_expressions[0])

    def _fts(self):
        return self.document.fts_table

    def _document_column(self, compiler, connection):
        """The record's search_document, under the alias its primary key has in this query."""
        alias = self.source_expressions[0].alias
        return f"{compiler.quote_name(alias)}.{connection.ops.quote_name(COLUMN)}"

    def _tsquery(self):
        return "websearch_to_tsquery(%s::regconfig, %s)", [CONFIG, self.query.websearch()]

    def _fts_row(self, compiler, select):
        """A subquery of the FTS5 table, for the record's row when it matches."""
        pk_sql, pk_params = self._pk(compiler)
        fts = self._fts()
        sql = f"(SELECT {select} FROM {fts} WHERE {fts} MATCH %s AND {fts}.rowid = {pk_sql})"
        return sql, [self.query.fts5(), *pk_params]


class SearchMatch(_SearchExpression):
    """True for the records that match the query."""

    conditional = True
    output_field = BooleanField()

    def as_sqlite(self, compiler, connection):
        pk_sql, params = self._pk(compiler)
        fts = self._fts()
        sql = f"{pk_sql} IN (SELECT rowid FROM {fts} WHERE {fts} MATCH %s)"
        return sql, [*params, self.query.fts5()]

    def as_postgresql(self, compiler, connection):
        tsquery, params = self._tsquery()
        return f"{self._document_column(compiler, connection)} @@ {tsquery}", params


def _bm25(document):
    weights = ", ".join(str(WEIGHTS[part.weight]) for part in document.parts)
    return f"-bm25({document.fts_table}, {weights})"


class SearchRank(_SearchExpression):
    """How well a matching record matches: higher is better. ``candidates``, a query of the
    primary keys to rank (a few thousand at most), is required on SQLite, where it is ranked in
    one pass (FTS5's bm25 counts a word's every match each time it runs, so a rank per row
    would take seconds); NULL for a record outside it or not matching."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection):
        pk_sql, pk_params = self._pk(compiler)
        candidates_sql, candidates_params = compiler.compile(self.source_expressions[1])
        fts = self._fts()
        sql = (
            f"(SELECT m.r FROM (SELECT rowid AS id, {_bm25(self.document)} AS r FROM {fts} "
            f"WHERE {fts} MATCH %s AND rowid IN {candidates_sql}) m WHERE m.id = {pk_sql})"
        )
        return sql, [self.query.fts5(), *candidates_params, *pk_params]

    def as_postgresql(self, compiler, connection):
        tsquery, params = self._tsquery()
        column = self._document_column(compiler, connection)
        return f"ts_rank(%s::float4[], {column}, {tsquery}, 1)", [POSTGRES_WEIGHTS, *params]


class SearchSnippet(_SearchExpression):
    """A few words of the record's snippet field around the matches, as indexed text with
    highlight marks (``text.render_snippet`` makes it HTML)."""

    output_field = TextField()

    def as_sqlite(self, compiler, connection):
        index = self.document.part_index(self.document.snippet)
        sql, params = self._fts_row(compiler, f"snippet({self._fts()}, {index}, %s, %s, %s, %s)")
        return sql, [MARK_START, MARK_END, "…", SNIPPET_WORDS, *params]

    def as_postgresql(self, compiler, connection):
        field_sql, field_params = compiler.compile(self.source_expressions[1])
        tsquery, params = self._tsquery()
        sql = f"ts_headline(%s::regconfig, {FUNCTION}({field_sql}), {tsquery}, %s)"
        return sql, [CONFIG, *field_params, *params, HEADLINE_OPTIONS]
