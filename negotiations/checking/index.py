"""The quote checker's index: every run of three words of every quote (a "shingle"), hashed,
with the quote's speaker, so that a run is found in one index seek whatever its words.

The search index finds a phrase by its words, and a phrase of common words ("in the coming
weeks") made it read hundreds of thousands of postings at a million quotes: seconds per text.
A run of three words is far rarer than any of its words, and a lookup of a run here reads only
as many entries as it keeps (``LIMIT``), in the order of the primary key (hash, speaker,
quote), so that one official's quotes holding a run are a range of it too.

Like the search index, it is kept right by database triggers on every write path (admin,
shell, ``bulk_create``, ``QuerySet.update()``, raw SQL, deletes; a ``TRUNCATE`` on
PostgreSQL), and made after ``migrate`` where it is missing, from the quotes already there.
Both sides of a lookup hash with the same database function, so the words are split the same
way when indexed and when looked for: on SQLite a Python function registered on every
connection (``words``, ``shingles``, ``shingle`` below), on PostgreSQL SQL functions of the
same names and meaning (``hashtextextended``).
"""

import hashlib
import json
import re

from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver

from ..guards import unlimited_statements

TABLE = "negotiations_quote_shingle"
QUOTES = "negotiations_quote"
WORDS = 3
_WORD = re.compile(r"[^\W_]+")


def words(text):
    return _WORD.findall((text or "").lower())


def _hash(run):
    return int.from_bytes(hashlib.blake2b(run.encode(), digest_size=8).digest(), "big", signed=True)


def shingles(text):
    """The hashes of every run of ``WORDS`` words of ``text``, as JSON (for SQLite's
    ``json_each``)."""
    found = words(text)
    runs = {" ".join(found[i : i + WORDS]) for i in range(len(found) - WORDS + 1)}
    return json.dumps(sorted(_hash(run) for run in runs))


def shingle(text):
    """The hash of the first run of ``WORDS`` words of ``text`` (a run looked for)."""
    return _hash(" ".join(words(text)[:WORDS]))


@receiver(connection_created)
def register_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        create = connection.connection.create_function
        create("negotiations_shingles", 1, shingles, deterministic=True)
        create("negotiations_shingle", 1, shingle, deterministic=True)


# SQLite -------------------------------------------------------------------------------------

_SQLITE_INSERT = (
    f"INSERT OR IGNORE INTO {TABLE} (hash, speaker_id, quote_id) "
    "SELECT value, {row}.speaker_id, {row}.id FROM json_each(negotiations_shingles({row}.text))"
)
_SQLITE_DELETE = (
    f"DELETE FROM {TABLE} WHERE quote_id = OLD.id AND speaker_id = OLD.speaker_id AND hash IN "
    "(SELECT value FROM json_each(negotiations_shingles(OLD.text)))"
)
SQLITE_TRIGGERS = {
    f"{TABLE}_insert": f"AFTER INSERT ON {QUOTES} BEGIN {_SQLITE_INSERT.format(row='NEW')}; END",
    f"{TABLE}_update": (
        f"AFTER UPDATE OF text, speaker_id, id ON {QUOTES} BEGIN {_SQLITE_DELETE}; "
        f"{_SQLITE_INSERT.format(row='NEW')}; END"
    ),
    f"{TABLE}_delete": f"AFTER DELETE ON {QUOTES} BEGIN {_SQLITE_DELETE}; END",
}


def _sqlite_names(cursor, kind):
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


# PostgreSQL ---------------------------------------------------------------------------------

POSTGRES_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION negotiations_words(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_remove(regexp_split_to_array(lower(coalesce(t, '')),
            '[^[:alnum:]]+'), ''), '{}')
    $$""",
    f"""CREATE OR REPLACE FUNCTION negotiations_shingles(t text) RETURNS SETOF bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT DISTINCT hashtextextended(array_to_string(w[i:i + {WORDS - 1}], ' '), 0)
        FROM (SELECT negotiations_words(t) AS w) s,
            generate_series(1, cardinality(w) - {WORDS - 1}) AS i
    $$""",
    f"""CREATE OR REPLACE FUNCTION negotiations_shingle(t text) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT hashtextextended(array_to_string((negotiations_words(t))[1:{WORDS}], ' '), 0)
    $$""",
    f"""CREATE OR REPLACE FUNCTION {TABLE}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.text IS NOT DISTINCT FROM NEW.text
                AND OLD.speaker_id IS NOT DISTINCT FROM NEW.speaker_id AND OLD.id = NEW.id THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM {TABLE} WHERE quote_id = OLD.id AND speaker_id = OLD.speaker_id
                AND hash IN (SELECT negotiations_shingles(OLD.text));
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO {TABLE} (hash, speaker_id, quote_id)
                SELECT h, NEW.speaker_id, NEW.id FROM negotiations_shingles(NEW.text) h
                ON CONFLICT DO NOTHING;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION {TABLE}_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE {TABLE};
        RETURN NULL;
    END $$""",
]
POSTGRES_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {TABLE} ON {QUOTES}",
    f"CREATE TRIGGER {TABLE} AFTER INSERT OR UPDATE OR DELETE ON {QUOTES} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}()",
    f"DROP TRIGGER IF EXISTS {TABLE}_truncate ON {QUOTES}",
    f"CREATE TRIGGER {TABLE}_truncate AFTER TRUNCATE ON {QUOTES} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_truncate()",
]


# The interface ------------------------------------------------------------------------------


def _create_table(cursor, vendor):
    rowid = " WITHOUT ROWID" if vendor == "sqlite" else ""
    cursor.execute(
        f"CREATE TABLE IF NOT EXISTS {TABLE} (hash bigint NOT NULL, speaker_id bigint NOT NULL, "
        f"quote_id bigint NOT NULL, PRIMARY KEY (hash, speaker_id, quote_id)){rowid}"
    )


def fill(connection):
    """Index every quote again (after a bulk load with the triggers off)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        if connection.vendor == "sqlite":
            cursor.execute(
                f"INSERT OR IGNORE INTO {TABLE} (hash, speaker_id, quote_id) SELECT j.value, "
                f"r.speaker_id, r.id FROM {QUOTES} r, json_each(negotiations_shingles(r.text)) j"
            )
        else:
            cursor.execute(
                f"INSERT INTO {TABLE} (hash, speaker_id, quote_id) SELECT h, r.speaker_id, r.id "
                f"FROM {QUOTES} r, negotiations_shingles(r.text) h ON CONFLICT DO NOTHING"
            )


def install(connection):
    """Create the table, its functions and triggers, and index the quotes already there."""
    with connection.cursor() as cursor:
        _create_table(cursor, connection.vendor)
        if connection.vendor == "postgresql":
            for statement in POSTGRES_FUNCTIONS + POSTGRES_TRIGGERS:
                cursor.execute(statement)
        else:
            for name, sql in SQLITE_TRIGGERS.items():
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"CREATE TRIGGER {name} {sql}")
    fill(connection)


def is_installed(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            return TABLE in _sqlite_names(cursor, "table") and set(SQLITE_TRIGGERS) <= (
                _sqlite_names(cursor, "trigger")
            )
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s) AND NOT tgisinternal",
            [TABLE, f"{TABLE}_truncate"],
        )
        return cursor.fetchone()[0] == 2


@receiver(pre_migrate)
def _before_migrate(sender, using="default", plan=None, **kwargs):
    # SQLite alters a table by copying it to a new one, which it refuses to rename while a
    # trigger names it: as the search index does, the triggers go before a migration of this
    # app and come back after it, with the index made again.
    connection = connections[using]
    if sender.name != "negotiations" or connection.vendor != "sqlite" or not plan:
        return
    if any(migration.app_label == "negotiations" for migration, _backwards in plan):
        with connection.cursor() as cursor:
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


@receiver(post_migrate)
def _after_migrate(sender, using="default", plan=None, **kwargs):
    connection = connections[using]
    if sender.name != "negotiations" or connection.vendor not in ("sqlite", "postgresql"):
        return
    if not is_installed(connection):
        # Indexing a million quotes takes minutes: a command's, not a request's.
        # In one transaction: an index made but left unfilled would pass for a made one.
        with unlimited_statements(), transaction.atomic(using=using):
            install(connection)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # Index-only seeks read the table too until the visibility map knows its pages:
            # 4.6 s instead of 0.08 s for one lookup of a common run, after a fill of millions.
            with unlimited_statements(), connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {TABLE}")
