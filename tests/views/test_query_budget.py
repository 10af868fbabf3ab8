"""Every public page runs the same number of queries whatever the data size."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations import annotations, filters, pagination
from negotiations.exports import CITATION_FORMATS
from negotiations.models import ClaimMeasure, Outlet
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
    for n in range(size):  # a history as long as the rest: more than a page of it at 40
        quote.setting = f"Setting {n}"
        quote.save()
        claim.value = 30 + n
        claim.save()
    # The pictures: dated rounds with agendas (timeline, matrix), claims giving tariff rates.
    measures = list(ClaimMeasure)
    for n in range(size):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=9 * n)
        dated = make_round(start_on=day, start_precision="day", kind=["talks", "call"][n % 2])
        item = make_agenda_item(dated, issues[n], status="progress")
        cite(item, sources[n])
        if n % 2:
            cite(item, sources[0])
        rate = make_claim(
            value=30 + n,
            unit="percent",
            measure=measures[n % len(measures)],
            as_of=day,
            as_of_precision="day",
            value_qualifier=["exact", "at_least"][n % 2],
        )
        cite(rate, sources[n], stance=["supports", "disputes"][n % 2])
    return {
        "other": officials[1],
        "outlet": outlet,
        "round": round_,
        "issue": issues[0],
        "official": speaker,
        "quote": quote,
        "claim": claim,
        "source": sources[0],
    }


DETAIL = ("round", "issue", "official", "quote", "claim", "source")
CITED_LISTS = ("sources", "quotes", "claims")


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
        "/charts/tariff-rates/",
        "/charts/tariff-rates/?format=json",
        "/charts/issues-by-round/",
        "/charts/issues-by-round/?format=csv",
        # Facets read where they are kept, counted live, or sampled; several values; options.
        "/quotes/?speaker=" + records["official"].slug,
        "/quotes/?speaker=" + records["official"].slug + "&speaker=" + records["other"].slug,
        "/quotes/?issue=" + records["issue"].slug + "&round=" + records["round"].slug,
        "/quotes/?source=" + records["source"].slug,
        "/quotes/?q=deadlocked",
        "/quotes/?page=2",
        "/quotes/facets/source/",
        "/quotes/facets/speaker/?issue=" + records["issue"].slug,
        "/claims/facets/status/?format=json",
        "/claims/?issue=" + records["issue"].slug + "&status=disputed",
        "/sources/?outlet=" + records["outlet"].slug,
        # Feeds (the first 50 of a list), sitemaps (a section's page holds up to 50,000).
        "/quotes/feed/",
        "/quotes/feed/?issue=" + records["issue"].slug + "&speaker=" + records["official"].slug,
        "/quotes/feed/?source=" + records["source"].slug,
        "/claims/feed/?status=disputed",
        "/sources/feed/?outlet=" + records["outlet"].slug,
        "/rounds/feed/?issue=" + records["issue"].slug,
        "/issues/feed/",
        "/officials/feed/",
        "/sitemap.xml",
        "/sitemap-quotes.xml",
        "/sitemap-sources.xml",
        "/sitemap-pages.xml",
        "/robots.txt",
        *(records[kind].get_absolute_url() for kind in DETAIL),
        *(records[kind].get_absolute_url() + "?format=json" for kind in DETAIL),
        "/?format=json",
        "/integrity/?format=json",
        # Public versions and histories (``revisions``): the first and the current version.
        *(
            records[kind].get_absolute_url() + f"versions/{number}/{query}"
            for kind in DETAIL
            for number in public_versions(records[kind])
            for query in ("", "?format=json")
        ),
        *(
            records[kind].get_absolute_url() + f"history/{query}"
            for kind in DETAIL
            for query in ("", "?format=json", "?page=2")
        ),
        # Citation formats: every detail page, and the lists of what can be cited (streamed).
        *(
            records[kind].get_absolute_url() + "?format=" + fmt
            for kind in DETAIL
            for fmt in CITATION_FORMATS
        ),
        *(f"/{kind}/?format={fmt}" for kind in CITED_LISTS for fmt in CITATION_FORMATS),
        "/quotes/?format=ris&issue=" + records["issue"].slug,
        "/claims/?format=bibtex&status=disputed",
        # Citations as W3C Web Annotations: one, the stored text, collections and their pages.
        f"/citations/{records['quote'].citations.first().pk}/",
        f"/citations/{records['claim'].citations.last().pk}/",
        records["source"].get_absolute_url() + "text/",
        records["source"].get_absolute_url() + "annotations/",
        records["source"].get_absolute_url() + "annotations/?page=1",
        records["source"].get_absolute_url() + "annotations/?page=last",
        records["source"].get_absolute_url() + "?format=annotations&page=1",
        "/quotes/?format=annotations",
        "/quotes/?format=annotations&page=1",
        "/quotes/?format=annotations&page=last",
        "/quotes/?issue=" + records["issue"].slug + "&format=annotations&page=1",
        "/quotes/?source=" + records["source"].slug + "&format=annotations&page=last",
        "/claims/?status=disputed&sort=oldest&format=annotations&page=1",
    ]


def public_versions(record):
    """The numbers of the oldest and the newest public version of ``record``."""
    numbers = list(
        type(record)
        .history.filter(id=record.pk, state="published")
        .values_list("version", flat=True)
    )
    return sorted({min(numbers), max(numbers)})


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


MAX_QUERIES = 20


def with_next_pages(client, records):
    """The paths, and the next page of two lists (a keyset link, as a reader follows it)."""
    found = paths(records)
    for path in ("/quotes/", "/sources/"):
        next_url = client.get(path).context["next_url"]
        assert next_url, path
        found.append(next_url)
    # An annotation page's next and prev (keyset links, forwards and backwards).
    for path in (
        "/quotes/?format=annotations&page=1",
        records["source"].get_absolute_url() + "annotations/?page=last",
    ):
        page = client.get(path).json()
        link = page.get("next") or page.get("prev")
        assert link, path
        found.append(link.removeprefix("http://testserver"))
    return found


@pytest.mark.parametrize("thresholds", ["as deployed", "crossed"])
def test_queries_do_not_grow_with_the_data(client, monkeypatch, thresholds, settings):
    if thresholds == "crossed":
        # Facets counted live under 5 results and sampled above, totals capped at 10: the
        # larger knowledge base takes the other branch of each, with the same queries.
        monkeypatch.setattr(filters, "LIVE_LIMIT", 5)
        monkeypatch.setattr(filters, "COUNT_CAP", 10)
    monkeypatch.setattr(pagination, "PAGE_SIZE", 2)  # a next page at both sizes
    monkeypatch.setattr(annotations, "PAGE_SIZE", 2)
    small = build(3)
    small_paths = with_next_pages(client, small)
    small_counts = {path: count_queries(client, path) for path in small_paths}
    large = build(40)
    for path_small, path_large in zip(small_paths, with_next_pages(client, large), strict=True):
        large_count = count_queries(client, path_large)
        assert large_count == small_counts[path_small], (
            f"{path_large}: {small_counts[path_small]} queries with 3 of each, {large_count} with 30"
        )
        assert large_count <= MAX_QUERIES, path_large
