"""The lists' Atom feeds: parsed with xml.etree and feedparser, ids, dates, links, filters,
drafts, bad input and caching."""

import datetime
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest

from negotiations.models import PublicationState, Quote, Source, StickingPoint
from tests.factories import cite, make_quote, make_source, make_sticking_point

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ["quotes", "claims", "sources", "rounds", "issues", "officials"]
# RFC 3339's date-time: full date, "T", time with optional fraction, and Z or an offset.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def get_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/atom+xml")
    return response, ET.fromstring(response.content)


def links(element, rel):
    return [link.get("href") for link in element.findall(f"{ATOM}link") if link.get("rel") == rel]


def entry_ids(root):
    return [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]


def entry_links(root):
    return [links(entry, "alternate")[0] for entry in root.findall(f"{ATOM}entry")]


@pytest.mark.parametrize("plural", FEEDS)
def test_every_feed_is_valid_atom_with_stable_unique_tag_ids(seeded, client, plural):
    url = f"/{plural}/feed/"
    response, root = get_feed(client, url)
    assert root.tag == f"{ATOM}feed"
    ids = entry_ids(root)
    assert ids and len(ids) == len(set(ids)) and len(ids) <= 50
    assert all(i.startswith("tag:negotiations.example.org,2026-12-01:") for i in ids)
    # The same ids on another request, and through another host name: ids never name a host.
    _response, again = get_feed(client, url)
    assert entry_ids(again) == ids
    _response, elsewhere = get_feed(client.__class__(HTTP_HOST="localhost"), url)
    assert entry_ids(elsewhere) == ids
    assert again.findtext(f"{ATOM}id") == root.findtext(f"{ATOM}id")
    # RFC 3339 dates on the feed and on every entry; a title and an author where Atom needs one.
    assert RFC3339.match(root.findtext(f"{ATOM}updated"))
    for entry in root.findall(f"{ATOM}entry"):
        assert RFC3339.match(entry.findtext(f"{ATOM}updated"))
        assert RFC3339.match(entry.findtext(f"{ATOM}published"))
        assert entry.findtext(f"{ATOM}title").strip()
        assert entry.findtext(f"{ATOM}summary").strip()
    assert root.find(f"{ATOM}author/{ATOM}name") is not None
    # rel="self" is the request's URL; rel="alternate" the HTML list.
    assert links(root, "self") == ["http://testserver" + url]
    alternate = links(root, "alternate")[0]
    assert alternate.startswith(f"http://testserver/{plural}/")
    assert client.get(alternate).status_code == 200

    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == ids
    assert all(e.updated_parsed and e.link.startswith("http://testserver/") for e in parsed.entries)


def test_a_filtered_feed_holds_the_filtered_lists_first_records(seeded, client):
    url = "/quotes/feed/?issue=rare-earths"
    response, root = get_feed(client, url)
    assert links(root, "self") == ["http://testserver" + url]
    assert root.findtext(f"{ATOM}title") == "Quotes on Rare earths"
    alternate = links(root, "alternate")[0]
    assert alternate == "http://testserver/quotes/?issue=rare-earths&sort=added"
    listed = client.get(alternate + "&format=json").json()["results"]
    expected = ["http://testserver" + quote["url"] for quote in listed]
    assert entry_links(root) == expected[:50]
    on_issue = Quote.objects.published().filter(sticking_points__slug="rare-earths")
    assert len(expected) == on_issue.count() > 0
    everything = entry_links(get_feed(client, "/quotes/feed/")[1])
    assert len(everything) > len(expected)
    # The speaker, linked, is the entry's author; the issue a category.
    parsed = feedparser.parse(response.content)
    first = on_issue.order_by("-created_at", "-id").select_related("speaker").first()
    assert parsed.entries[0].author == first.speaker.name
    assert parsed.entries[0].author_detail.href.endswith(first.speaker.get_absolute_url())
    assert "Rare earths" in [tag.term for tag in parsed.entries[0].tags]


def test_a_feed_says_its_filters_in_its_title_and_its_id_ignores_their_order(seeded, client):
    one = get_feed(client, "/quotes/feed/?issue=rare-earths&speaker=scott-bessent")[1]
    other = get_feed(client, "/quotes/feed/?speaker=scott-bessent&issue=rare-earths&page=3")[1]
    assert one.findtext(f"{ATOM}id") == other.findtext(f"{ATOM}id")
    assert one.findtext(f"{ATOM}title") == "Quotes on Rare earths by Scott Bessent"
    claims = get_feed(client, "/claims/feed/?status=disputed")[1]
    assert claims.findtext(f"{ATOM}title") == "Claims (Status: Disputed)"
    assert links(claims, "alternate")[0].endswith("/claims/?status=disputed&sort=newest")


def test_the_newest_added_comes_first_and_the_feed_holds_at_most_fifty(client):
    quotes = []
    for n in range(52):
        quote = make_quote(text=f"words number {n}")
        cite(quote, source=make_source(body=f"He said: “words number {n}”."))
        quotes.append(quote)
    Quote.objects.filter(pk=quotes[0].pk).update(
        created_at=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    )
    root = get_feed(client, "/quotes/feed/")[1]
    ids = entry_ids(root)
    assert len(ids) == 50
    assert ids[0].endswith(f":quote/{quotes[0].pk}")
    assert ids[1].endswith(f":quote/{quotes[-1].pk}")


def test_drafts_never_appear(client):
    published = make_quote(text="published words")
    cite(published)
    draft = make_quote(text="draft words", state=PublicationState.DRAFT)
    cite(draft)
    draft_issue = make_sticking_point(state=PublicationState.DRAFT)
    make_sticking_point()
    draft_source = make_source(state=PublicationState.DRAFT)
    for plural in FEEDS:
        body = client.get(f"/{plural}/feed/").content.decode()
        assert "draft words" not in body
        assert f":stickingpoint/{draft_issue.pk}<" not in body
        assert f":source/{draft_source.pk}<" not in body
    assert "published words" in client.get("/quotes/feed/").content.decode()
    # A filter naming a draft is an unknown value, as on the list.
    assert client.get(f"/quotes/feed/?issue={draft_issue.slug}").status_code == 400


@pytest.mark.parametrize(
    "url, message",
    [
        ("/quotes/feed/?issue=no-such-issue", "There is no published issue “no-such-issue”"),
        ("/quotes/feed/?said_after=2025-99-99", "Give a date as YYYY-MM-DD"),
        ("/quotes/feed/?speaker=%00", "Null characters are not allowed"),
        ("/quotes/feed/?q=" + "x" * 300, "at most 200 characters"),
        ("/claims/feed/?status=nonsense", "nonsense"),
        ("/rounds/feed/?year=99999999999999999999", "between 1900 and 2100"),
        ("/sources/feed/?published_before=yesterday", "Give a date as YYYY-MM-DD"),
        ("/officials/feed/?country=<script>", "Select a valid choice"),
        ("/claims/feed/?" + "&".join(["status=disputed"] * 21), "at most 20 values"),
    ],
)
def test_an_invalid_filter_is_a_clear_400_never_an_unfiltered_feed(seeded, client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()
    assert "<feed" not in response.content.decode()


def test_the_list_links_its_feed_under_the_same_filters(seeded, client):
    page = client.get("/quotes/?issue=rare-earths&sort=oldest&page=1").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Quotes on Rare earths: Atom '
        'feed" href="/quotes/feed/?issue=rare-earths">'
    ) in page
    assert '<a href="/quotes/feed/?issue=rare-earths" type="application/atom+xml">' in page
    for plural in FEEDS:
        assert f'href="/{plural}/feed/"' in client.get(f"/{plural}/").content.decode()


def test_the_added_order_of_a_list_is_the_feeds(seeded, client):
    listed = client.get("/sources/?sort=added&format=json").json()["results"]
    newest = Source.objects.published().order_by("-created_at", "-id")
    assert [s["url"] for s in listed] == [s.get_absolute_url() for s in newest]


def test_feeds_are_cached_like_pages(seeded, client):
    response = client.get("/quotes/feed/?issue=rare-earths")
    assert response["ETag"] and "public" in response["Cache-Control"]
    again = client.get("/quotes/feed/?issue=rare-earths", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    other = client.get("/quotes/feed/?issue=tariffs")
    assert other["ETag"] != response["ETag"]
    refused = client.get("/quotes/feed/?issue=nothing")
    assert refused.status_code == 400 and "private" in refused["Cache-Control"]


def test_feed_is_a_reserved_slug(db):
    issue = StickingPoint(slug="feed", name="Feed", category="trade")
    with pytest.raises(Exception, match="names a page of the list"):
        issue.full_clean()


def test_a_summary_is_plain_words_never_markup(client):
    quote = make_quote(text="tariffs <b>now</b> & later")
    cite(quote)
    root = get_feed(client, "/quotes/feed/")[1]
    summary = root.find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "html"
    # As HTML, the summary reads back as the words themselves.
    assert "“tariffs &lt;b&gt;now&lt;/b&gt; &amp; later”" in summary.text
    title = root.find(f"{ATOM}entry/{ATOM}title").text
    assert "“tariffs <b>now</b> & later”" in title
    assert (
        feedparser.parse(client.get("/quotes/feed/").content)
        .entries[0]
        .summary.startswith("“tariffs &lt;b&gt;now&lt;/b&gt; &amp; later”")
    )
