"""Every page answers the formats it offers, each with its media type and parseable, and any
other ?format= is a clear 400, never the page (``negotiations.exports``)."""

import csv
import html
import io
import json
import re

import bibtexparser
import pytest
import rispy
from django.urls import resolve

from negotiations.exports import FORMATS
from negotiations.models import Claim, Official, Quote, Round, Source, StickingPoint

pytestmark = pytest.mark.django_db

MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "ris": "application/x-research-info-systems",
    "bibtex": "application/x-bibtex",
    "annotations": "application/ld+json",
}
DOWNLOADS = re.compile(r'<p class="formats">(.*?)</p>', re.S)
FORMAT_LINK = re.compile(r'href="([^"]*[?&]format=([a-z-]+)[^"]*)"')


def pages():
    records = [
        model.objects.published().order_by("pk").first()
        for model in (Round, StickingPoint, Official, Quote, Claim, Source)
    ]
    return [
        "/",
        "/rounds/",
        "/issues/",
        "/officials/",
        "/quotes/?issue=tariffs",
        "/claims/",
        "/sources/",
        "/quotes/facets/speaker/",
        "/integrity/",
        "/search/?q=tariffs",
        *(record.get_absolute_url() for record in records),
        *(record.get_absolute_url() + f"versions/{record.version}/" for record in records),
        *(record.get_absolute_url() + "history/" for record in records),
    ]


def answered(path):
    return resolve(path.split("?")[0]).func.view_class.formats


def offered(page):
    links = {}
    for block in DOWNLOADS.findall(page):
        for url, name in FORMAT_LINK.findall(html.unescape(block)):
            links[name] = url
    return links


def parse(response, name):
    assert response["Content-Type"].split(";")[0] == MEDIA_TYPES[name]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if name in ("json", "csl-json", "annotations"):
        return json.loads(body)
    if name == "ris":
        records = rispy.loads(body.decode("utf-8"))
        assert records
        return records
    if name == "bibtex":
        library = bibtexparser.parse_string(body.decode("utf-8"))
        assert library.entries and not library.failed_blocks
        return library.entries
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows and all(None not in row for row in rows)  # no row longer than the header
    return rows


def test_every_page_answers_the_formats_it_offers(seeded, client):
    checked = 0
    for path in pages():
        response = client.get(path)
        assert response.status_code == 200, path
        links = offered(response.text)
        assert links, f"{path} offers no download"
        assert set(links) <= set(answered(path)), path
        for name, url in links.items():
            target = url if url.startswith("/") else path.split("?")[0] + url
            download = client.get(target)
            assert download.status_code == 200, target
            parse(download, name)
            checked += 1
    assert checked >= len(pages())


def test_home_and_the_integrity_report_answer_json(seeded, client):
    home = client.get("/", {"format": "json"}).json()
    assert {r["url"] for r in home["rounds"]} == {
        r.get_absolute_url() for r in Round.objects.published()
    }
    assert home["latest_quotes"] and home["issues"]
    report = client.get("/integrity/", {"format": "json"}).json()
    assert sum(report["claims_by_status"].values()) == Claim.objects.published().count()
    assert report["disputed_count"] == len(report["disputed_claims"]) > 0
    assert all(c["url"].startswith("/claims/") for c in report["disputed_claims"])


@pytest.mark.parametrize("asked", ["xml", "pdf", "", "JSON", *FORMATS])
def test_a_format_a_page_does_not_answer_is_a_clear_400(seeded, client, asked):
    for path in pages():
        if asked in answered(path) or asked in ("", "html"):
            continue
        query = "&" if "?" in path else "?"
        response = client.get(f"{path}{query}format={asked}")
        assert response.status_code == 400, (path, asked)
        assert response["Content-Type"].startswith("text/plain"), (path, asked)
        assert f"There is no format “{asked}”" in response.text
        assert "<html" not in response.text


def test_the_integrity_report_no_longer_answers_json_with_html(seeded, client):
    response = client.get("/integrity/?format=json")
    assert response["Content-Type"] == "application/json"
    assert client.get("/integrity/?format=csv").status_code == 400
