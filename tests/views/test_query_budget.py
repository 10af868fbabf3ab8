"""Every public page runs the same number of queries whatever the data size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations.models import Outlet
from negotiations.services import derivation
from tests.factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_official,
    make_participant,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)

pytestmark = pytest.mark.django_db


def build(size):
    """A knowledge base whose every relation grows with ``size``; returns one of each record.

    Built the way the seed loader writes in bulk: derived once, at the end."""
    with derivation.deferred():
        return _build(size)


def _build(size):
    outlet = Outlet.objects.create(name=f"Outlet {size}", slug=f"outlet-{size}")
    sources = [make_source(outlet=outlet, url="https://example.org/a") for _ in range(size)]
    issues = [make_sticking_point() for _ in range(size)]
    officials = [make_official() for _ in range(size)]
    round_ = make_round()
    for official in officials:
        make_participant(round_, official)
    for issue in issues:
        item = make_agenda_item(round_, issue)
        cite(item, sources[0])
    speaker = officials[0]
    for n in range(size):
        quote = make_quote(speaker=speaker, round=round_, text="somewhat deadlocked right now")
        quote.sticking_points.set(issues[:3])
        cite(quote, sources[n])
        cite(quote, sources[0])
        claim = make_claim(round=round_, value=30, unit="percent")
        claim.sticking_points.set(issues[:3])
        claim.officials.set(officials[:2])
        cite(claim, sources[n])
        cite(claim, sources[0], stance="disputes")
    return {
        "round": round_,
        "issue": issues[0],
        "official": speaker,
        "quote": quote,
        "claim": claim,
        "source": sources[0],
    }


def paths(records):
    return [
        "/",
        "/rounds/",
        "/issues/",
        "/officials/",
        "/quotes/",
        "/quotes/?issue=" + records["issue"].slug,
        "/quotes/?format=json",
        "/quotes/?format=csv",
        "/claims/",
        "/claims/?status=disputed",
        "/claims/?format=csv",
        "/sources/",
        "/sources/?format=json",
        "/integrity/",
        "/search/?q=deadlocked",
        *(records[kind].get_absolute_url() for kind in records),
        *(records[kind].get_absolute_url() + "?format=json" for kind in records),
    ]


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


MAX_QUERIES = 20


def test_queries_do_not_grow_with_the_data(client):
    small = build(3)
    small_counts = {path: count_queries(client, path) for path in paths(small)}
    large = build(30)
    for path_small, path_large in zip(paths(small), paths(large), strict=True):
        large_count = count_queries(client, path_large)
        assert large_count == small_counts[path_small], (
            f"{path_large}: {small_counts[path_small]} queries with 3 of each, {large_count} with 30"
        )
        assert large_count <= MAX_QUERIES, path_large
