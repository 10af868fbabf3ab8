"""Limits that keep one request from holding a worker: a statement timeout on PostgreSQL, the
same limit enforced on SQLite by interrupting the statement, and the answer a reader gets when
a statement was stopped (503, "narrow the request") instead of an error page.

The limit is ``settings.DATABASE_STATEMENT_TIMEOUT_MS`` (0: none). Commands that legitimately run
long statements (loading the seed, the integrity check, exports) lift it with
``unlimited_statements()``.
"""

import contextlib
import time

from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render

# How many SQLite virtual machine instructions run between two looks at the clock.
SQLITE_CHECK_EVERY = 20_000


def _limit_seconds():
    return getattr(settings, "DATABASE_STATEMENT_TIMEOUT_MS", 0) / 1000


class _SQLiteClock:
    """Starts when a statement starts; the progress handler interrupts it past the limit."""

    def __init__(self):
        self.started = None
        self.limit = _limit_seconds()

    def __call__(self, execute, sql, params, many, context):
        self.started = time.monotonic()
        try:
            return execute(sql, params, many, context)
        finally:
            self.started = None

    def too_long(self):
        if self.limit and self.started is not None:
            return int(time.monotonic() - self.started > self.limit)
        return 0


@receiver(connection_created)
def limit_statements(sender, connection, **kwargs):
    if connection.vendor != "sqlite" or not _limit_seconds():
        return  # PostgreSQL has its own statement_timeout, set in the connection options
    if connection.is_in_memory_db():
        return  # one connection shared by threads: no Python callback inside its statements
    # One clock per connection wrapper, however often it reconnects (Django's SQLite wrapper
    # opens a new database connection for each request): wrapping again at each reconnect piled
    # up clocks until a worker's calls ran out of stack.
    clock = getattr(connection, "statement_clock", None)
    if clock is None:
        clock = connection.statement_clock = _SQLiteClock()
        connection.execute_wrappers.append(clock)
    connection.connection.set_progress_handler(clock.too_long, SQLITE_CHECK_EVERY)


@contextlib.contextmanager
def unlimited_statements():
    """Lift the statement limit for the block (long-running commands, not requests)."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 0")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = %s", [int(_limit_seconds() * 1000)])
        return
    clock = getattr(connection, "statement_clock", None)
    limit = clock.limit if clock else 0
    if clock:
        clock.limit = 0
    try:
        yield
    finally:
        if clock:
            clock.limit = limit


def stopped_for_time(error):
    """Whether a database error is a statement stopped by the limit (not an outage)."""
    cause = error.__cause__
    if cause is not None and type(cause).__name__ == "QueryCanceled":  # psycopg, PostgreSQL
        return True
    return "interrupted" in str(error).lower()  # sqlite3


class StatementLimitMiddleware:
    """A request whose statement ran past the limit is answered 503, with what to do."""

    MESSAGE = (
        "This request took too long to answer, so it was stopped. Narrow it: fewer or more "
        "precise words, or a filter (an issue, a speaker, a date range)."
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OperationalError) and stopped_for_time(exception)):
            return None
        if request.GET.get("format") in ("json", "csv"):
            return JsonResponse({"errors": [self.MESSAGE]}, status=503)
        return render(request, "503.html", {"message": self.MESSAGE}, status=503)
