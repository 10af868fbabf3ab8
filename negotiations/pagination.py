"""Paging long lists by keyset: a page is "the 50 records after this one in the list's order",
read from an index whatever the page's depth, never "skip 50 × n records".

The order is the FilterSet's sort: plain columns, the last one unique (``-said_key, -id``). A
link to the next page carries the sort values of the last record shown (``?after=``), to the
previous page those of the first (``?before=``), as an opaque token that also remembers the
page's number, for display. ``?page=n`` still works for the first MAX_PAGE_NUMBER pages (a
link someone kept); beyond, the reader is told to follow the links.
"""

import base64
import datetime
import json
import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q

PAGE_SIZE = 50
MAX_PAGE_NUMBER = 20  # pages reachable by number (an offset bounded at 1,000 records)


class CursorError(ValueError):
    """A token not made here, or for another sort."""


def encode(values, number):
    """An opaque token of sort ``values`` and a page ``number`` (``decode`` reads it back)."""
    raw = json.dumps([[_plain(v) for v in values], number], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _plain(value):
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _typed(value):
    if isinstance(value, dict) and "dt" in value:
        return datetime.datetime.fromisoformat(value["dt"])
    if isinstance(value, dict) and "d" in value:
        return datetime.date.fromisoformat(value["d"])
    if isinstance(value, (str, int)) and not isinstance(value, bool):
        return value
    raise CursorError


def decode(token, columns):
    """(values, page number) from a token, checked against the sort's columns."""
    try:
        padded = token + "=" * (-len(token) % 4)
        values, number = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        if len(values) != len(columns) or not isinstance(number, int) or number < 1:
            raise CursorError
        return [_typed(v) for v in values], number
    except (ValueError, TypeError, UnicodeDecodeError) as error:
        raise CursorError from error


def checked(model, columns, values):
    """``values`` as ``model``'s fields named by ``columns`` hold them; CursorError where one
    cannot be (a token made by hand: "not a date" for a date, nothing for an id)."""
    typed = []
    for column, value in zip(columns, values, strict=True):
        field = model._meta.get_field(column.lstrip("-"))
        field = getattr(field, "output_field", field)  # a generated column: what it holds
        try:
            value = field.to_python(value)
            # A time without its zone: tokens made here always carry one.
            if isinstance(value, datetime.datetime) and value.tzinfo is None:
                raise CursorError
            value = field.get_prep_value(value)
        except (ValidationError, TypeError, ValueError, OverflowError) as error:
            raise CursorError from error
        if value is None or isinstance(value, bool):
            raise CursorError
        typed.append(value)
    return typed


def beyond(columns, values):
    """The condition "after ``values`` in the order of ``columns``" (keyset comparison)."""
    condition = Q()
    equal = Q()
    for column, value in zip(columns, values, strict=True):
        name = column.lstrip("-")
        lookup = "lt" if column.startswith("-") else "gt"
        condition |= equal & Q(**{f"{name}__{lookup}": value})
        equal &= Q(**{name: value})
    return condition


def equal(columns, values):
    """The condition "at ``values``" in every one of ``columns``."""
    condition = Q()
    for column, value in zip(columns, values, strict=True):
        condition &= Q(**{column.lstrip("-"): value})
    return condition


def reverse_order(columns):
    return [c[1:] if c.startswith("-") else f"-{c}" for c in columns]


@dataclass
class Page:
    """One page of a list, as the templates and JSON show it."""

    object_list: list
    number: int
    count: int  # the results, as counted (see ``exact``)
    exact: bool
    next_query: str | None = None  # query parameters for the next page
    previous_query: str | None = None
    problems: list = field(default_factory=list)

    @property
    def num_pages(self):
        return max(1, math.ceil(self.count / PAGE_SIZE)) if self.exact else None

    def has_next(self):
        return self.next_query is not None

    def has_previous(self):
        return self.previous_query is not None

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def _page_number(raw, problems):
    shown = str(raw)[:40]
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        problems.append(f"There is no page “{shown}”; showing the first page.")
        return 1
    if number > MAX_PAGE_NUMBER:
        problems.append(
            f"There is no page “{shown}” to open by number: pages past {MAX_PAGE_NUMBER} are "
            "reached with the Next links, as fast however far they go; showing the first page."
        )
        return 1
    return number


def paginate(queryset, columns, params, *, count, exact, size=None):
    """The page of ``queryset`` (ordered by ``columns``) that ``params`` asks for."""
    size = size or PAGE_SIZE
    problems = []
    after, before = params.get("after"), params.get("before")
    rows = None
    number = 1
    if after or before:
        try:
            values, number = decode(after or before, columns)
            values = checked(queryset.model, columns, values)
        except CursorError:
            problems.append("That page link is broken or out of date; showing the first page.")
            after = before = None
        else:
            if after:
                rows = list(queryset.filter(beyond(columns, values)).order_by(*columns)[: size + 1])
                more_after, more_before = len(rows) > size, True
                rows = rows[:size]
            else:
                backwards = reverse_order(columns)
                rows = list(
                    queryset.filter(beyond(backwards, values)).order_by(*backwards)[: size + 1]
                )
                more_before, more_after = len(rows) > size, True
                rows = rows[:size][::-1]
                number = max(number, 2) if more_before else 1
    if rows is None:
        number = _page_number(params.get("page", "1"), problems) if "page" in params else 1
        offset = (number - 1) * size
        rows = list(queryset.order_by(*columns)[offset : offset + size + 1])
        if not rows[:size] and number > 1:
            problems.append(f"There is no page “{number}”; showing the first page.")
            number, rows = 1, list(queryset.order_by(*columns)[: size + 1])
        more_after, more_before = len(rows) > size, number > 1
        rows = rows[:size]
    page = Page(rows, number, count, exact, problems=problems)
    if rows and more_after:
        page.next_query = encode(_key(rows[-1], columns), number + 1)
    if rows and more_before:
        page.previous_query = encode(_key(rows[0], columns), number - 1)
    return page


def _key(record, columns):
    return [getattr(record, column.lstrip("-")) for column in columns]
