"""The sitemaps and robots.txt: an index of sections, paged, published records only."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from negotiations import sitemaps
from negotiations.models import (
    Claim,
    Official,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)
from tests.factories import cite, make_quote, make_source

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LISTS = ("rounds", "issues", "officials", "quotes", "claims", "sources")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locations(root, tag="url"):
    return [node.findtext(f"{SM}loc") for node in root.findall(f"{SM}{tag}")]


def every_record_location(client):
    index = parse(client, "/sitemap.xml")
    found = []
    for section in locations(index, "sitemap"):
        found.extend(locations(parse(client, section)))
    return index, found


def test_the_index_lists_a_section_per_record_type_and_each_lists_published_records(seeded, client):
    index, found = every_record_location(client)
    sections = {urlsplit(loc).path for loc in locations(index, "sitemap")}
    assert {f"/sitemap-{name}.xml" for name in sitemaps.SITEMAPS} == sections
    expected = {"http://testserver/", "http://testserver/integrity/"}
    expected |= {f"http://testserver/{plural}/" for plural in LISTS}
    for model in (Quote, Claim, Source, Round, Official, StickingPoint):
        for record in model.objects.published():
            expected.add("http://testserver" + record.get_absolute_url())
    assert set(found) == expected
    assert len(found) == len(set(found))
    for loc in found:
        assert client.get(urlsplit(loc).path).status_code == 200, loc


def test_lastmod_is_the_records_last_change(seeded, client):
    root = parse(client, "/sitemap-sources.xml")
    by_location = {n.findtext(f"{SM}loc"): n.findtext(f"{SM}lastmod") for n in root}
    for source in Source.objects.published():
        shown = by_location["http://testserver" + source.get_absolute_url()]
        assert shown.startswith(source.updated_at.date().isoformat())
    latest = max(s.updated_at for s in Source.objects.published())
    index = parse(client, "/sitemap.xml")
    for node in index.findall(f"{SM}sitemap"):
        if node.findtext(f"{SM}loc").endswith("/sitemap-sources.xml"):
            assert node.findtext(f"{SM}lastmod").startswith(latest.date().isoformat())


def test_drafts_are_never_listed(client):
    published = make_quote(text="published words")
    cite(published)
    draft = make_quote(text="draft words", state=PublicationState.DRAFT)
    cite(draft)
    draft_source = make_source(state=PublicationState.DRAFT)
    _index, found = every_record_location(client)
    assert "http://testserver" + published.get_absolute_url() in found
    assert "http://testserver" + draft.get_absolute_url() not in found
    assert "http://testserver" + draft_source.get_absolute_url() not in found


def test_a_long_section_is_paged(client, monkeypatch):
    monkeypatch.setattr(sitemaps.QuoteSitemap, "limit", 2)
    quotes = []
    for n in range(5):
        quote = make_quote(text=f"words number {n}")
        cite(quote, source=make_source(body=f"He said: “words number {n}”."))
        quotes.append(quote)
    index = parse(client, "/sitemap.xml")
    pages = [loc for loc in locations(index, "sitemap") if "sitemap-quotes.xml" in loc]
    assert [urlsplit(p).query for p in pages] == ["", "p=2", "p=3"]
    found = [
        loc
        for page in pages
        for loc in locations(parse(client, urlsplit(page).path + "?" + urlsplit(page).query))
    ]
    assert found == ["http://testserver" + q.get_absolute_url() for q in quotes]
    assert client.get("/sitemap-quotes.xml?p=4").status_code == 404
    assert client.get("/sitemap-quotes.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
