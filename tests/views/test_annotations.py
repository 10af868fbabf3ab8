"""Citations as W3C Web Annotations, through real HTTP on the seed: each public citation's
Annotation at /citations/<id>/, the stored text its offsets count in, the AnnotationCollections
of a source and of a filtered list with their pages, and content negotiation (also through the
page cache and its ETags)."""

import os
import re
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from negotiations import annotations, pagination
from negotiations.models import Citation, Quote, Source
from negotiations.models.base import PublicationState

pytestmark = pytest.mark.django_db

JSON_LD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def public_citations():
    return Citation.objects.public().with_published_target()


def get_json(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == JSON_LD
    assert "Accept" in response["Vary"]
    return response.json()


def local(url):
    """The path and query of an absolute URL the test client served."""
    return url.removeprefix("http://testserver")


# One citation ---------------------------------------------------------------------------------


def test_every_public_seed_citation_is_an_annotation_whose_offsets_hold_in_the_served_text(
    seeded, client
):
    citations = list(public_citations().filter(quote__isnull=False)) + list(
        public_citations().filter(quote__isnull=True)
    )
    assert len(citations) > 30
    texts = {}
    for citation in citations:
        data = get_json(client, f"/citations/{citation.pk}/")
        assert data["@context"] == ["http://www.w3.org/ns/anno.jsonld", {"quoting": "oa:quoting"}]
        assert data["id"] == f"http://testserver/citations/{citation.pk}/"
        assert data["type"] == "Annotation" and data["motivation"] == "quoting"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["created"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", data["modified"])
        target = data["target"]
        source = citation.source
        assert target["type"] == "SpecificResource"
        assert target["source"] == (source.url or f"http://testserver/sources/{source.slug}/")
        quote_selector, position = target["selector"]
        assert quote_selector["type"] == "TextQuoteSelector"
        assert position["type"] == "TextPositionSelector"
        state = target["state"]
        assert state["type"] == "TimeState"
        assert state["cached"] == f"http://testserver/sources/{source.slug}/text/"
        if state["cached"] not in texts:
            response = client.get(local(state["cached"]))
            assert response["Content-Type"] == "text/plain; charset=utf-8"
            texts[state["cached"]] = response.content.decode("utf-8")
        text = texts[state["cached"]]
        start, end = position["start"], position["end"]
        assert text[start:end] == quote_selector["exact"] == citation.exact
        assert text[:start].endswith(quote_selector.get("prefix", ""))
        assert text[end:].startswith(quote_selector.get("suffix", ""))
        # The body is the page of the record citing the passage, and that page names it.
        body = local(data["body"]["id"])
        assert body == citation.target.get_absolute_url()
        page = client.get(body.partition("#")[0])
        assert page.status_code == 200
        assert f"/sources/{source.slug}/#cite-{citation.pk}" in page.content.decode()
    assert (
        len(texts) == Source.objects.published().filter(citations__in=citations).distinct().count()
    )


def test_a_browser_is_sent_to_the_passage_on_the_source_page(seeded, client):
    citation = public_citations().first()
    response = client.get(f"/citations/{citation.pk}/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 303
    assert response["Location"] == f"/sources/{citation.source.slug}/#cite-{citation.pk}"
    assert "Accept" in response["Vary"]
    source_page = client.get(response["Location"].partition("#")[0]).content.decode()
    assert f'id="cite-{citation.pk}"' in source_page
    # A script's default (*/*, or no Accept at all) gets the annotation.
    for accept in ("*/*", "application/ld+json", "application/json"):
        assert client.get(f"/citations/{citation.pk}/", HTTP_ACCEPT=accept).status_code == 200
    assert client.get(f"/citations/{citation.pk}/").status_code == 200


def test_a_passage_no_longer_at_its_offsets_is_described_by_its_words_alone(seeded, client):
    citation = public_citations().first()
    Citation.objects.filter(pk=citation.pk).update(anchor_status="review")
    selectors = get_json(client, f"/citations/{citation.pk}/")["target"]["selector"]
    assert [s["type"] for s in selectors] == ["TextQuoteSelector"]


def test_citations_of_drafts_and_in_draft_sources_are_not_found(seeded, client):
    quote_citation = public_citations().filter(quote__isnull=False).first()
    Quote.objects.filter(pk=quote_citation.quote_id).update(state=PublicationState.DRAFT)
    for accept in ("application/ld+json", BROWSER):
        response = client.get(f"/citations/{quote_citation.pk}/", HTTP_ACCEPT=accept)
        assert response.status_code == 404
    source_citation = public_citations().first()
    source = source_citation.source
    Source.objects.filter(pk=source.pk).update(state=PublicationState.DRAFT)
    assert client.get(f"/citations/{source_citation.pk}/").status_code == 404
    assert client.get(f"/sources/{source.slug}/text/").status_code == 404
    assert client.get(f"/sources/{source.slug}/annotations/").status_code == 404
    assert client.get("/citations/999999999/").status_code == 404
    assert client.get("/citations/1234567890123456789012/").status_code == 404


# Collections ---------------------------------------------------------------------------------


def walk(client, url, link, **headers):
    """Every page from ``url`` on, following ``link`` ("next" or "prev")."""
    pages = []
    while url:
        page = get_json(client, local(url), **headers)
        assert page["type"] == "AnnotationPage"
        pages.append(page)
        url = page.get(link)
        assert len(pages) < 200
    return pages


def assert_pages_cover(client, collection, expected_ids, size):
    """The pages from first to last, and from last back to first, hold every annotation once,
    each page at most ``size``, with its startIndex and partOf."""
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(expected_ids)
    forward = walk(client, collection["first"], "next")
    backward = walk(client, collection["last"], "prev")
    for pages in (forward, backward[::-1]):
        ids, position = [], 0
        for page in pages:
            assert page["partOf"] == {"id": collection["id"], "total": len(expected_ids)}
            assert page["startIndex"] == position
            assert 0 < len(page["items"]) <= size
            ids += [item["id"] for item in page["items"]]
            position += len(page["items"])
        assert len(ids) == len(set(ids)) == len(expected_ids)
        assert {int(i.rstrip("/").rsplit("/", 1)[1]) for i in ids} == set(expected_ids)
    assert [i["id"] for p in forward for i in p["items"]] == [
        i["id"] for p in backward[::-1] for i in p["items"]
    ]
    assert "prev" not in forward[0] and "next" not in forward[-1]
    # A page read backwards links forwards again.
    middle = backward[len(backward) // 2]
    if "next" in middle:
        after = get_json(client, local(middle["next"]))
        assert after["startIndex"] == middle["startIndex"] + len(middle["items"])
    return forward


def test_a_source_collection_holds_the_passages_its_page_marks_in_text_order(
    seeded, client, monkeypatch
):
    monkeypatch.setattr(annotations, "PAGE_SIZE", 4)
    source = Source.objects.published().filter(citations__isnull=False).order_by("slug").first()
    collection = get_json(client, f"/sources/{source.slug}/annotations/")
    assert collection["id"] == f"http://testserver/sources/{source.slug}/annotations/"
    marked = re.findall(r'id="cite-(\d+)"', client.get(f"/sources/{source.slug}/").content.decode())
    pages = assert_pages_cover(client, collection, {int(i) for i in marked}, size=4)
    starts = [i["target"]["selector"][1]["start"] for p in pages for i in p["items"]]
    assert starts == sorted(starts)
    # The source's page answers the same collection to a JSON-LD request, Vary: Accept.
    negotiated = client.get(f"/sources/{source.slug}/", HTTP_ACCEPT="application/ld+json")
    assert negotiated.json() == collection and negotiated["Content-Type"] == JSON_LD
    html = client.get(f"/sources/{source.slug}/", HTTP_ACCEPT=BROWSER)
    assert html["Content-Type"].startswith("text/html") and "Accept" in html["Vary"]


@pytest.mark.parametrize(
    "list_path, params",
    [("/quotes/", "issue=tariffs"), ("/quotes/", ""), ("/claims/", "status=disputed&sort=oldest")],
)
def test_a_filtered_list_collection_holds_the_citations_of_the_records_it_shows(
    seeded, client, monkeypatch, list_path, params
):
    monkeypatch.setattr(annotations, "PAGE_SIZE", 3)
    results = client.get(f"{list_path}?{params}&format=json").json()
    assert results["count"] <= 50  # the seed's list fits on one page
    shown = [c["id"] for r in results["results"] for c in r["citations"]]
    assert shown
    collection = get_json(client, f"{list_path}?{params}&format=annotations")
    expected_id = f"http://testserver{list_path}?{params}&format=annotations".replace("?&", "?")
    assert collection["id"] == expected_id
    pages = assert_pages_cover(client, collection, set(shown), size=3)
    # In the list's order: each record's citations together, records as the list shows them.
    bodies = [local(i["body"]["id"]) for p in pages for i in p["items"]]
    order = list(dict.fromkeys(bodies))
    assert order == [r["url"] for r in results["results"] if r["citations"]]
    # The same, negotiated on the list's own address.
    negotiated = client.get(f"{list_path}?{params}", HTTP_ACCEPT="application/ld+json")
    assert negotiated.json() == collection
    assert "Accept" in client.get(f"{list_path}?{params}")["Vary"]


def test_an_empty_list_is_an_empty_collection(seeded, client):
    collection = get_json(client, "/quotes/?q=zzzxqnothing&format=annotations")
    assert collection["total"] == 0 and "first" not in collection and "last" not in collection


def test_bad_input_is_a_400_with_a_message(seeded, client):
    for url in (
        "/quotes/?format=annotations&after=garbage",
        "/quotes/?format=annotations&page=7",
        "/sources/bessent-fox-yahoo/annotations/?before=%00",
        "/quotes/?format=annotations&said_after=2025-99-99",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["errors"], url
    # Pages without annotations say which formats they offer.
    response = client.get("/rounds/?format=annotations")
    assert response.status_code == 400
    assert "?format=annotations" not in response.content.decode()
    response = client.get("/quotes/?format=xml")
    assert response.status_code == 400
    assert "?format=annotations" in response.content.decode()


# Negotiation and the page cache -----------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.HTTP_CACHE = True
    settings.HTTP_CACHE_MAX_AGE = 60
    settings.PAGE_CACHE_SECONDS = 120
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"test-annotations-{os.getpid()}-{uuid.uuid4().hex}",
        }
    }
    yield
    cache.clear()


@pytest.mark.parametrize("path", ["/quotes/?issue=tariffs", "/sources/bessent-fox-yahoo/"])
def test_the_page_cache_and_etags_never_hand_one_representation_to_the_other(
    seeded, page_cache, path
):
    visitor = Client()
    first = {
        "html": visitor.get(path, HTTP_ACCEPT=BROWSER),
        "json-ld": visitor.get(path, HTTP_ACCEPT="application/ld+json"),
    }
    assert first["html"]["ETag"] != first["json-ld"]["ETag"]
    for _round in range(2):  # the second time, from the page cache
        html = visitor.get(path, HTTP_ACCEPT=BROWSER)
        json_ld = visitor.get(path, HTTP_ACCEPT="application/ld+json")
        assert html["Content-Type"].startswith("text/html")
        assert json_ld["Content-Type"] == JSON_LD
        assert html.content == first["html"].content
        assert json_ld.content == first["json-ld"].content
        for response in (html, json_ld):
            assert "Accept" in response["Vary"] and "public" in response["Cache-Control"]
    # An ETag of one representation never gets a 304 for the other.
    again = visitor.get(
        path, HTTP_ACCEPT="application/ld+json", HTTP_IF_NONE_MATCH=first["html"]["ETag"]
    )
    assert again.status_code == 200 and again["Content-Type"] == JSON_LD
    same = visitor.get(
        path, HTTP_ACCEPT="application/ld+json", HTTP_IF_NONE_MATCH=first["json-ld"]["ETag"]
    )
    assert same.status_code == 304


@pytest.mark.parametrize(
    "values",
    [["not a date", "x", "y"], [None, None, None], ["2025-01-01", 1], [True, 1, 1], [1, 2], [7]],
)
def test_a_page_token_holding_values_of_the_wrong_type_is_a_400(seeded, client, values):
    token = pagination.encode(values, 3)
    for url in (
        f"/quotes/?format=annotations&after={token}",
        f"/claims/?format=annotations&before={token}",
        f"/sources/bessent-fox-yahoo/annotations/?after={token}",
    ):
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert response["Content-Type"] == JSON_LD
