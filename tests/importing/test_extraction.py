"""What an imported page's article is taken to say: its text and the metadata the page
declares, with a date only as precise as the page gives it, and nothing invented."""

import datetime

import pytest

from negotiations import extraction, page_addresses
from negotiations.models import DatePrecision
from tests.importing.conftest import page


def article_of(markup, url="https://news.example/a"):
    body = "<p>" + "The negotiators met again in London to discuss export controls. " * 20
    return extraction.extract(
        f"<html><head>{markup}</head><body><article><h1>Talks</h1>{body}</p></article>"
        "</body></html>".encode(),
        url=url,
    )


def test_an_article_with_its_metadata():
    article = extraction.extract(page("london-talks.html"), url="https://testwire.example/x")
    assert article.title == "US and China agree framework in London talks"
    assert article.author == "Jane Fixture"
    assert article.site_name == "Test Wire"
    assert article.language == "en-GB"
    assert article.published_on == datetime.date(2025, 6, 10)
    assert article.published_precision == DatePrecision.DAY
    # The canonical address, without its tracking parameter.
    assert article.canonical_url == "https://testwire.example/world/london-talks-framework/"
    assert article.url == article.canonical_url
    assert article.body.startswith("LONDON — Negotiators from the United States and China")
    assert "\n\nUS Commerce Secretary Howard Lutnick" in article.body
    assert "\r" not in article.body
    assert "Home" not in article.body and "© Test Wire" not in article.body  # not the article
    assert "Lancaster House" in article.body
    assert article.notes == []


def test_a_page_without_a_date_leaves_it_unknown():
    article = extraction.extract(page("undated.html"), url="https://news.example/rare-earths")
    assert article.published_on is None
    assert article.published_precision == DatePrecision.UNKNOWN
    assert "No publication date was found" in " ".join(article.notes)
    assert article.site_name == ""  # the page names none: not the host name
    assert article.author == ""


def test_a_date_only_in_the_address_is_a_month_at_most():
    article = extraction.extract(
        page("undated.html"), url="https://news.example/2025/06/10/rare-earths.html"
    )
    assert article.published_on == datetime.date(2025, 6, 1)
    assert article.published_precision == DatePrecision.MONTH
    assert "its address suggests June 2025" in " ".join(article.notes)


@pytest.mark.parametrize(
    ("markup", "date", "precision"),
    [
        ('<meta property="article:published_time" content="2025-06">', "2025-06-01", "month"),
        ('<meta name="date" content="2025">', "2025-01-01", "year"),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", '
            '"datePublished": "2025-06-09T10:00:00+01:00"}</script>',
            "2025-06-09",
            "day",
        ),
    ],
)
def test_a_declared_date_keeps_its_precision(markup, date, precision):
    article = article_of(markup)
    assert article.published_on == datetime.date.fromisoformat(date)
    assert article.published_precision == precision


def test_a_date_only_in_the_text_is_mentioned_not_filled():
    body = "<p>Published 10 June 2025.</p><p>" + "Talks went on in London today. " * 30 + "</p>"
    article = extraction.extract(f"<html><body><article>{body}</article></body></html>".encode())
    assert article.published_on is None
    assert "its text mentions 2025-06-10" in " ".join(article.notes)


def test_a_paywall_stub_is_kept_and_said_to_be_short():
    article = extraction.extract(page("paywalled.html"), url="https://post.example/p")
    assert article.body.startswith("The framework agreed in London on Tuesday")
    assert article.words < 30
    assert "The text found is short (" in " ".join(article.notes)


def test_a_page_with_no_text_is_refused():
    with pytest.raises(extraction.ExtractionError, match="No article text was found"):
        extraction.extract(b"<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_an_unstated_language_stays_unknown():
    article = article_of("<title>Talks</title>")
    assert article.language == ""
    assert "does not say its language" in " ".join(article.notes)


def test_a_wayback_copy_gives_the_archive_and_the_original_address():
    archived = "https://web.archive.org/web/20250611083000/https://testwire.example/world/x/"
    article = article_of("", url=archived)
    assert article.archive_url == archived
    assert article.url == "https://testwire.example/world/x/"


def test_a_saved_page_names_its_address():
    saved = b"<!DOCTYPE html>\n<!-- saved from url=(0034)https://testwire.example/world/x -->\n"
    assert extraction.saved_from(saved + page("london-talks.html")) == (
        "https://testwire.example/world/x"
    )
    assert extraction.saved_from(page("london-talks.html")) == ""


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://News.Example/world/x/", "http://news.example/world/x"),
        ("https://news.example/world/x#top", "https://news.example/world/x"),
        ("https://news.example/x?utm_source=feed&id=3&fbclid=9", "https://news.example/x?id=3"),
        ("https://news.example:443/x?b=2&a=1", "https://news.example/x?a=1&b=2"),
    ],
)
def test_two_spellings_of_one_page_have_one_key(a, b):
    assert page_addresses.page_key(a) == page_addresses.page_key(b)
    assert page_addresses.key_digest(a) == page_addresses.key_digest(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://news.example/x?id=3", "https://news.example/x?id=4"),
        ("https://news.example/x", "https://other.example/x"),
        ("https://news.example/world/x", "https://news.example/world/y"),
    ],
)
def test_two_pages_have_two_keys(a, b):
    assert page_addresses.page_key(a) != page_addresses.page_key(b)
