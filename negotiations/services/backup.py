"""Backups: the whole knowledge base in one portable file, and its restoring into an empty
database (``manage.py export_kb`` and ``import_kb`` wrap both).

The file holds every table of the app (records, their many-to-many links, citations, sources'
stored texts) and every history table, with the accounts that history names (name, e-mail, staff
and active flags, groups; never a password). It is JSON written the same way whatever wrote it:
models in a fixed order, rows by primary key, keys sorted, each value in one spelling on SQLite
and PostgreSQL, nothing that varies between runs; so the same knowledge base gives the same
bytes, and a backup restored elsewhere and exported again gives the file back unchanged.

Restoring keeps every primary key (citations' ids are in public URLs, ``#cite-<id>``) and writes
the rows as they are, like ``loaddata``: nothing is derived again and no history row is added,
since what was derived and the history are in the file already.
"""

import base64
import contextlib
import datetime
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from simple_history.models import HistoricalChanges

from ..models import ChangeStamp, FacetCount, FacetSignature
from . import bulk_load

# Tables derived from the records, counted again by ``bulk_load.finish()`` after a restore.
REBUILT_AFTER_RESTORE = (FacetCount, FacetSignature)

FORMAT = "negotiations-knowledge-base-backup"
FORMAT_VERSION = 1
APP_LABEL = "negotiations"

# What a backup keeps of an account named by history: who it was, never how to log in as them.
ACCOUNT_FIELDS = ("username", "first_name", "last_name", "email", "is_staff", "is_active")

TEXT_TYPES = {"CharField", "SlugField", "TextField"}
INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


class BackupError(Exception):
    """The file cannot be restored here (not a backup, a format this version cannot read, a
    knowledge base that is not empty, rows the database refuses); nothing was written."""


@dataclass
class BackupSummary:
    """How many rows each table gave (or took) and how many accounts came with them."""

    rows: dict = field(default_factory=dict)  # model label -> row count
    accounts: int = 0

    def describe(self):
        total = sum(self.rows.values())
        return f"{total} rows of {len(self.rows)} tables and {self.accounts} account(s)"


# The tables ------------------------------------------------------------------------------------


def _is_history(model):
    return issubclass(model, HistoricalChanges)


def knowledge_base_models():
    """Every model of the app, link and history tables included, in a fixed order: each after
    the models its foreign keys point to; otherwise records before history, then by name.

    Not the change stamp: it is the running site's bookkeeping (when the data last changed, for
    its caches), not knowledge, and it differs between two copies of the same knowledge base.
    Nor the facet counts: derived from the records, counted again after a restore."""
    models = sorted(
        (
            model
            for model in apps.get_app_config(APP_LABEL).get_models(include_auto_created=True)
            if model not in (ChangeStamp, *REBUILT_AFTER_RESTORE)
        ),
        key=lambda model: (_is_history(model), model._meta.label_lower),
    )
    needs = {
        model: {
            f.related_model
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in models and f.related_model is not model
        }
        for model in models
    }
    ordered = []
    while len(ordered) < len(models):
        waiting = [model for model in models if model not in ordered]
        ready = [model for model in waiting if needs[model].issubset(ordered)]
        # A cycle would still load: foreign keys are checked at the end of the import.
        ordered.append((ready or waiting)[0])
    return ordered


def _account_fields(model):
    """The model's columns that name an account (history's ``history_user``)."""
    user_model = get_user_model()
    return [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is user_model
    ]


# One spelling per value ----------------------------------------------------------------------


def _datetime_to_text(value):
    # In UTC, always with microseconds: both databases give back what they were given.
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def _codec(model_field):
    """(write, read): a column's value as JSON and back, the same on SQLite and PostgreSQL."""
    if model_field.is_relation:
        return _codec(model_field.target_field)
    kind = model_field.get_internal_type()
    if kind in TEXT_TYPES or kind in INTEGER_TYPES or kind == "BooleanField":
        return (lambda value: value), (lambda value: value)
    if kind == "DateTimeField":
        return _datetime_to_text, datetime.datetime.fromisoformat
    if kind == "DateField":
        return datetime.date.isoformat, datetime.date.fromisoformat
    if kind == "BinaryField":
        # Bytes as base64 (a retrieval's page as fetched), the same bytes back.
        return (lambda value: base64.b64encode(bytes(value)).decode("ascii")), base64.b64decode
    if kind == "JSONField":
        return (lambda value: value), (lambda value: value)
    if kind == "DecimalField":
        # Every decimal place the column has ("30.0000"): SQLite would otherwise give "30".
        places = Decimal(1).scaleb(-model_field.decimal_places)
        return (lambda value: format(value.quantize(places), "f")), Decimal
    raise BackupError(
        f"{model_field.model._meta.label}.{model_field.name}: no portable spelling for a {kind} "
        "yet; teach services/backup.py one before backing up."
    )


def _nullable(convert):
    return lambda value: None if value is None else convert(value)


# Export ---------------------------------------------------------------------------------------


@contextlib.contextmanager
def _one_moment():
    """One transaction in which every query sees the same moment, though editors may be saving:
    a backup whose citations point at quotes saved after the quotes were read would not load."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # PostgreSQL's default gives each statement its own moment; SQLite's transaction
            # already reads one.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _columns(model):
    """The columns a backup holds: not those the database computes (order keys)."""
    return [f for f in model._meta.concrete_fields if not f.generated]


def _rows(model, usernames):
    fields = _columns(model)
    account_fields = _account_fields(model)
    writers = [
        # An account by its name: ids differ from one database to another.
        _nullable(usernames.__getitem__ if f in account_fields else _codec(f)[0])
        for f in fields
    ]
    values = model._base_manager.order_by("pk").values_list(*(f.attname for f in fields))
    return [
        {f.name: write(value) for f, write, value in zip(fields, writers, row, strict=True)}
        for row in values
    ]


def _accounts_named_by(models):
    user_ids = set()
    for model in models:
        for account_field in _account_fields(model):
            named = model._base_manager.exclude(**{account_field.attname: None})
            user_ids.update(named.values_list(account_field.attname, flat=True).distinct())
    return list(
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .order_by("username")
        .prefetch_related("groups")
    )


def _write(stream, text):
    binary = isinstance(stream, io.RawIOBase | io.BufferedIOBase) or "b" in str(
        getattr(stream, "mode", "")
    )
    stream.write(text.encode("utf-8") if binary else text)


def export_kb(*, stream):
    """Write the whole knowledge base to ``stream`` (text or binary) as one JSON document.

    Returns a BackupSummary of what was written.
    """
    models = knowledge_base_models()
    with _one_moment():
        accounts = _accounts_named_by(models)
        usernames = {account.pk: account.username for account in accounts}
        tables = [{"model": m._meta.label_lower, "rows": _rows(m, usernames)} for m in models]
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tables": tables,
        "users": [
            {
                **{name: getattr(account, name) for name in ACCOUNT_FIELDS},
                "groups": sorted(group.name for group in account.groups.all()),
            }
            for account in accounts
        ],
    }
    _write(stream, json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return BackupSummary(
        rows={table["model"]: len(table["rows"]) for table in tables}, accounts=len(accounts)
    )


# Import ---------------------------------------------------------------------------------------


def _read(stream):
    """The backup's document, once its format and version are known to this code."""
    content = stream.read()
    try:
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"this is not a knowledge-base backup (not JSON: {error}).") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError(
            f"this is not a knowledge-base backup: it does not start with format “{FORMAT}”."
        )
    version = document.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            f"the backup is in format version {version!r}; this version of the knowledge base "
            f"reads version {FORMAT_VERSION} only."
        )
    return document


def _tables_in(document):
    """{model: rows} for the tables the file holds, each one of this app's models."""
    known = {model._meta.label_lower: model for model in knowledge_base_models()}
    tables = {}
    for table in document.get("tables", []):
        label = table.get("model") if isinstance(table, dict) else None
        if label not in known:
            raise BackupError(f"the backup holds a table “{label}” this knowledge base lacks.")
        if known[label] in tables:
            raise BackupError(f"the backup holds the table “{label}” twice.")
        rows = table.get("rows", [])
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise BackupError(f"the rows of “{label}” in the backup are not a list of objects.")
        tables[known[label]] = rows
    return tables


def _refuse_unless_empty(models):
    # Records come before links and history in ``models``: the message names what editors know.
    held = [str(m._meta.verbose_name_plural) for m in models if m._base_manager.exists()]
    if held:
        raise BackupError(
            f"the knowledge base is not empty: it holds {', '.join(held[:4])}"
            f"{' and more' if len(held) > 4 else ''}. A backup is restored only into an empty "
            "database: create one, run `manage.py migrate`, then import."
        )


def _restore_accounts(accounts):
    """{username: user id}. An account that exists already is kept as it is; a new one gets an
    unusable password (the backup holds none) and its groups, by name."""
    user_model = get_user_model()
    ids = {}
    for account in accounts:
        try:
            values = {name: account[name] for name in ACCOUNT_FIELDS}
            group_names = list(account["groups"])
        except (KeyError, TypeError) as error:
            raise BackupError(f"an account in the backup lacks {error}.") from error
        user = user_model.objects.filter(username=values["username"]).first()
        if user is None:
            user = user_model(**values)
            user.set_unusable_password()
            user.save()
            # The groups the migrations made keep their permissions; a group made by hand,
            # missing here, comes back empty rather than leaving its members out of it.
            user.groups.set([Group.objects.get_or_create(name=name)[0] for name in group_names])
        ids[user.username] = user.pk
    return ids


def _readers(model, user_ids):
    """{field name: (field, read)} for the model's columns."""

    def account_id(username):
        if username not in user_ids:
            raise BackupError(f"history names an account “{username}” the backup does not hold.")
        return user_ids[username]

    account_fields = _account_fields(model)
    return {
        f.name: (f, _nullable(account_id if f in account_fields else _codec(f)[1]))
        for f in _columns(model)
    }


def _restore_rows(model, rows, user_ids):
    readers = _readers(model, user_ids)
    label = model._meta.label_lower
    for row in rows:
        unknown = set(row) - set(readers)
        if unknown:
            raise BackupError(f"{label}: this knowledge base has no field “{min(unknown)}”.")
        try:
            values = {readers[name][0].attname: readers[name][1](v) for name, v in row.items()}
            # As loaddata does: a raw save keeps the file's values (auto_now timestamps too) and
            # tells post_save receivers and django-simple-history to leave it alone; no
            # m2m_changed is sent. The round-trip test catches a receiver that forgets raw.
            model(**values).save_base(raw=True, force_insert=True)
        except (DatabaseError, ValueError, TypeError) as error:
            where = row.get(model._meta.pk.name)
            raise BackupError(f"{label} {where}: the database refused the row: {error}") from error


def import_kb(*, stream):
    """Restore a backup written by ``export_kb`` into an empty, migrated database, all or
    nothing; primary keys kept, sequences then moved past them.

    Returns a BackupSummary of what was restored; raises BackupError when nothing was.
    """
    document = _read(stream)
    tables = _tables_in(document)
    models = knowledge_base_models()
    with transaction.atomic():
        _refuse_unless_empty(models)
        user_ids = _restore_accounts(document.get("users", []))
        for model in models:
            _restore_rows(model, tables.get(model, []), user_ids)
        try:
            # Foreign keys are checked at commit; a broken backup is named here instead.
            connection.check_constraints(table_names=[m._meta.db_table for m in models])
        except DatabaseError as error:
            raise BackupError(f"the backup's rows do not hold together: {error}") from error
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        bulk_load.finish()  # facet counts counted again; cached pages left behind at the commit
    return BackupSummary(
        rows={m._meta.label_lower: len(tables.get(m, [])) for m in models},
        accounts=len(user_ids),
    )
