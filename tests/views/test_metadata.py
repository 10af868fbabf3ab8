"""What pages say about themselves: schema.org JSON-LD on record pages, OpenGraph and a
canonical link on every page, and JSON-LD that no data can break out of."""

import json
import re
from html.parser import HTMLParser

import pytest

from negotiations.models import Claim, Official, Quote, Round, Source, StickingPoint
from tests.factories import make_source

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The meta tags, canonical link and JSON-LD blocks of a page."""

    def __init__(self):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld = {}, {}, [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        if tag == "link":
            self.links.setdefault(attrs.get("rel"), attrs.get("href"))
        if tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld[-1] += data


def head(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    parser = Head()
    parser.feed(response.content.decode())
    return parser


def ld(client, path):
    parsed = head(client, path)
    assert len(parsed.json_ld) == 1, path
    data = json.loads(parsed.json_ld[0])
    assert data["@context"] == "https://schema.org"
    assert data["url"] == "http://testserver" + path
    return data


def partial(value, precision):
    return {"day": value.isoformat(), "month": f"{value:%Y-%m}", "year": f"{value:%Y}"}[precision]


def test_a_source_is_a_news_article_with_what_is_known(seeded, client):
    for source in Source.objects.published().select_related("outlet"):
        data = ld(client, source.get_absolute_url())
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == source.title
        # Unknown outlets, authors, dates and addresses stay unknown: never invented.
        if source.outlet:
            assert data["publisher"]["@type"] == "Organization"
            assert data["publisher"]["name"] == source.outlet.name
        else:
            assert "publisher" not in data
        if source.published_on:
            assert data["datePublished"] == partial(source.published_on, source.published_precision)
        else:
            assert "datePublished" not in data
        if source.author:
            assert data["author"] == {"@type": "Person", "name": source.author}
        else:
            assert "author" not in data
        assert data.get("sameAs") == (source.url or None)
    dated = ld(client, "/sources/stockholm-breakthrough-faq/")
    assert dated["datePublished"] == "2025-07-29"
    with_outlet = ld(client, "/sources/britishwire-talks-lose-momentum/")
    assert with_outlet["publisher"]["name"]


def test_a_quote_is_a_quotation_by_its_speaker_based_on_its_sources(seeded, client):
    quote = Quote.objects.published().exclude(kind="paraphrase").filter(said_on__isnull=False)[0]
    data = ld(client, quote.get_absolute_url())
    assert data["@type"] == "Quotation"
    assert data["text"] == quote.text
    speaker = {
        "@type": "Person",
        "name": quote.speaker.name,
        "url": "http://testserver" + quote.speaker.get_absolute_url(),
    }
    if quote.speaker.native_name:
        speaker["alternateName"] = quote.speaker.native_name
    assert data["spokenByCharacter"] == data["creator"] == speaker
    cited = {c.source.get_absolute_url() for c in quote.citations.filter(source__state="published")}
    assert {w["url"] for w in data["isBasedOn"]} == {"http://testserver" + u for u in cited}
    assert data["dateCreated"].startswith(quote.said_on.isoformat()[:4])


def test_a_paraphrase_is_no_quotation(seeded, client):
    quote = Quote.objects.published().filter(kind="paraphrase")[0]
    data = ld(client, quote.get_absolute_url())
    assert data["@type"] != "Quotation" and "spokenByCharacter" not in data
    title = head(client, quote.get_absolute_url()).meta["og:title"]
    assert f"“{quote.text[:20]}" not in title and "Reported as:" in title


def test_a_claim_appears_in_its_citations_sources(seeded, client):
    claim = Claim.objects.published().filter(citations__isnull=False).distinct()[0]
    data = ld(client, claim.get_absolute_url())
    assert data["@type"] == "Claim"
    assert data["text"] == claim.text
    cited = {c.source.get_absolute_url() for c in claim.citations.filter(source__state="published")}
    assert {w["url"] for w in data["appearance"]} == {"http://testserver" + u for u in cited}
    dated = [w for w in data["appearance"] if "datePublished" in w]
    if dated:
        first = min(dated, key=lambda w: w["datePublished"])
        assert data["firstAppearance"] == first
    else:
        assert "firstAppearance" not in data  # no source's date is known: never guessed


def test_rounds_officials_and_issues_have_their_types(seeded, client):
    round_ = Round.objects.get(slug="stockholm-talks-2025-07")
    data = ld(client, round_.get_absolute_url())
    assert data["@type"] == "Event" and data["name"] == round_.title
    assert data["startDate"] == partial(round_.start_on, round_.start_precision)
    assert data["location"]["address"]["addressLocality"] == round_.city
    assert {a["name"] for a in data["attendee"]} == {
        p.official.name for p in round_.participants.all() if p.official.is_published
    }
    official = Official.objects.get(slug="li-chenggang")
    data = ld(client, official.get_absolute_url())
    assert data["@type"] == "Person" and data["alternateName"] == "李成钢"
    issue = StickingPoint.objects.get(slug="rare-earths")
    data = ld(client, issue.get_absolute_url())
    assert data["@type"] == "DefinedTerm" and data["name"] == "Rare earths"
    assert data["inDefinedTermSet"]["url"] == "http://testserver/issues/"


PAGES = [
    "/",
    "/rounds/",
    "/issues/",
    "/officials/",
    "/quotes/?issue=rare-earths",
    "/claims/",
    "/sources/",
    "/integrity/",
    "/search/?q=tariffs",
    "/quotes/facets/speaker/?issue=rare-earths",
    "/rounds/stockholm-talks-2025-07/",
    "/issues/rare-earths/",
    "/officials/li-chenggang/",
    "/sources/bessent-fox-deadlocked/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_opengraph_and_a_canonical_link(seeded, client, path):
    parsed = head(client, path)
    for tag in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
        assert parsed.meta.get(tag), (path, tag)
    assert parsed.meta["og:url"] == parsed.links["canonical"]
    assert parsed.links["canonical"] == "http://testserver" + path.replace("&page=2", "")


def test_the_canonical_link_of_a_list_keeps_its_filters_only(seeded, client):
    parsed = head(client, "/quotes/?issue=rare-earths&sort=oldest&page=1&format=html")
    assert parsed.links["canonical"] == "http://testserver/quotes/?issue=rare-earths"
    assert parsed.meta["og:title"] == "Quotes on Rare earths"
    assert head(client, "/issues/?junk=1").links["canonical"] == "http://testserver/issues/"


def test_no_data_can_break_out_of_the_json_ld(client):
    hostile = "</script><script>alert(1)</script><!-- & -->"
    source = make_source(title=hostile, author=hostile)
    page = client.get(source.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert json.loads(block)["headline"] == hostile
    # The data block, and the site's own scripts (the Cite section's Copy button): nothing else.
    own = page.count('<script src="/static/')
    assert page.count("<script") - own == 1
