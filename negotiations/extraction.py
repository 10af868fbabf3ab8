"""An article's text and metadata taken from its web page, for an editor to review.

The main text comes from trafilatura, a maintained extractor that tells an article from the
menus, teasers and footers around it. The metadata are read from what the page itself declares
(its markup: meta tags, JSON-LD, <time>, <html lang>, <link rel=canonical>), and what the page
does not declare stays unknown: a publication date is filled only with the precision the page
gives it (a date without a day is a month, never a made-up day), and a date found only in the
address or guessed from the text is a month at most, or only mentioned, with a note saying so.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

import htmldate
import trafilatura
from django.conf import settings
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from lxml import html as lxml_html
from trafilatura.utils import load_html

from . import page_addresses
from .models import DatePrecision

DATE_META = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publication_date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
)
ISO_DATE = re.compile(r"^\s*(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?=$|[T\s])")
URL_DATE = re.compile(r"/(20\d{2}|19\d{2})[/-](\d{1,2})(?:[/-](\d{1,2}))?(?=/|$|[-_])")
SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
NO_TEXT_WORDS = 10
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


class ExtractionError(Exception):
    """A page with nothing to import, with the reason in an editor's words."""


@dataclass
class Article:
    title: str = ""
    author: str = ""
    site_name: str = ""
    url: str = ""  # where the article was published (canonical, else the address fetched)
    canonical_url: str = ""  # as the page declares it, "" when it does not
    archive_url: str = ""
    language: str = ""
    published_on: datetime.date | None = None
    published_precision: str = DatePrecision.UNKNOWN
    body: str = ""
    notes: list = field(default_factory=list)  # what the editor should check, in their words

    @property
    def words(self):
        return len(self.body.split())

    def as_json(self):
        data = dict(self.__dict__)
        data["published_on"] = self.published_on.isoformat() if self.published_on else None
        data["published_precision"] = str(self.published_precision)
        data["notes"] = [str(note) for note in self.notes]
        return data

    @classmethod
    def from_json(cls, data):
        data = dict(data)
        if data.get("published_on"):
            data["published_on"] = datetime.date.fromisoformat(data["published_on"])
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def min_words():
    return int(getattr(settings, "IMPORT_MIN_WORDS", 80))


def saved_from(content):
    """The address a browser's "Save page as" wrote into the file, or ""."""
    match = SAVED_FROM.search(content[:4096])
    if not match:
        return ""
    url = match[1].decode("ascii", "replace")
    return url if url.startswith(("http://", "https://")) else ""


def extract(content, *, url=""):
    """The article in ``content`` (the page's bytes), fetched from ``url`` ("" if unknown)."""
    tree = load_html(content)
    if tree is None:
        raise ExtractionError(_("The file is not a web page that can be read (HTML)."))
    # trafilatura takes the tree apart while it reads it: it gets a copy of its own.
    document = trafilatura.bare_extraction(
        lxml_html.fromstring(lxml_html.tostring(tree)),
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
    )
    article = Article()
    if document is not None:
        article.title = (document.title or "").strip()
        article.author = (document.author or "").strip()
        article.site_name = _site_name(tree, document)
        article.body = _body(document.text or "", article.title)
    # A few words are a menu or a button picked up around no article, not an article's text.
    if article.words < NO_TEXT_WORDS:
        raise ExtractionError(
            _(
                "No article text was found on this page: nothing was imported. If the page "
                "shows the text only after a login or a consent screen, copy the text and add "
                "the source by hand."
            )
        )
    canonical = _canonical(tree, url)
    article.canonical_url = canonical
    _addresses(article, url=url, canonical=canonical)
    article.language = _language(tree)
    if not article.language:
        article.notes.append(_("The page does not say its language: give it."))
    _date(article, tree, url=url)
    if article.words < min_words():
        article.notes.append(
            _(
                "The text found is short (%(words)d words): it may be cut off by a paywall or "
                "a consent screen. Compare it with the page, and paste the full text if you "
                "have it."
            )
            % {"words": article.words}
        )
    return article


def _body(text, title):
    """Paragraphs separated by a blank line, LF line endings, without a repeated headline."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    return "\n\n".join(lines)


def _metas(tree):
    """The page's <meta> values by lower-cased name or property (the first of each)."""
    found = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        value = (meta.get("content") or "").strip()
        if key and value:
            found.setdefault(key, value)
    return found


def _json_ld(tree):
    """Every object of the page's JSON-LD blocks (graphs flattened)."""
    objects = []
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        pending = data if isinstance(data, list) else [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                pending.extend(item.get("@graph") or [])
            elif isinstance(item, list):
                pending.extend(item)
    return objects


def _site_name(tree, document):
    metas = _metas(tree)
    for key in ("og:site_name", "application-name"):
        if metas.get(key):
            return metas[key]
    for item in _json_ld(tree):
        publisher = item.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            return publisher["name"].strip()
    name = (document.sitename or "").strip()
    # trafilatura falls back to the host name: that is an address, not a name the page gives.
    if not name or (" " not in name and ("." in name or ":" in name)):
        return ""
    return name


def _canonical(tree, url):
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return page_addresses.clean(_absolute(link.get("href"), url))
    og_url = _metas(tree).get("og:url")
    return page_addresses.clean(_absolute(og_url, url)) if og_url else ""


def _absolute(href, base):
    absolute = urljoin(base or "", href.strip())
    return absolute if absolute.startswith(("http://", "https://")) else ""


def _addresses(article, *, url, canonical):
    """Where the article was published, and the archive copy when an archive was imported."""
    fetched = page_addresses.clean(url)
    for candidate in (fetched, canonical):
        if page_addresses.is_archive(candidate):
            article.archive_url = article.archive_url or candidate
    original = page_addresses.archived_original(
        article.archive_url
    ) or page_addresses.archived_original(canonical)
    if article.archive_url:
        if not page_addresses.is_archive(canonical) and canonical:
            article.url = canonical
        else:
            article.url = page_addresses.clean(original)
    else:
        article.url = canonical or fetched


def _language(tree):
    root = tree.getroottree().getroot()
    candidates = [
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        _metas(tree).get("content-language"),
        _metas(tree).get("og:locale"),
    ]
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language":
            candidates.insert(2, meta.get("content"))
    for value in candidates:
        value = (value or "").strip().split(",")[0].replace("_", "-")
        if value and LANGUAGE_TAG.match(value):
            return value
    return ""


def _declared_dates(tree):
    """The publication dates the page's markup declares, most authoritative first."""
    metas = _metas(tree)
    found = [metas[key] for key in DATE_META if metas.get(key)]
    for item in _json_ld(tree):
        value = item.get("datePublished")
        if isinstance(value, str):
            found.append(value)
    for time_ in tree.iter("time"):
        if time_.get("datetime") and (
            time_.get("itemprop") == "datePublished" or time_.get("pubdate") is not None
        ):
            found.append(time_.get("datetime"))
    return found


def _parsed(value):
    """(date, precision) from a date as markup writes it, or None: only what it says."""
    match = ISO_DATE.match(value or "")
    if not match:
        return None
    year, month, day = match[1], match[2], match[3]
    try:
        if day:
            return datetime.date(int(year), int(month), int(day)), DatePrecision.DAY
        if month:
            return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
        return datetime.date(int(year), 1, 1), DatePrecision.YEAR
    except ValueError:
        return None


def _date(article, tree, *, url):
    for value in _declared_dates(tree):
        parsed = _parsed(value)
        if parsed:
            article.published_on, article.published_precision = parsed
            if parsed[1] != DatePrecision.DAY:
                article.notes.append(
                    _("The page gives its date without a day (“%(value)s”): kept as such.")
                    % {"value": value}
                )
            return
    match = URL_DATE.search(page_addresses.archived_original(url) or url or "")
    if match:
        try:
            month = datetime.date(int(match[1]), int(match[2]), 1)
        except ValueError:
            month = None
        if month:
            article.published_on, article.published_precision = month, DatePrecision.MONTH
            article.notes.append(
                _(
                    "The page declares no date; its address suggests %(month)s, kept as the "
                    "month only. Check the article's date line and give the day if it has one."
                )
                % {"month": format_date(month, "F Y")}
            )
            return
    guess = htmldate.find_date(tree, extensive_search=True, original_date=True)
    if guess:
        article.notes.append(
            _(
                "The page declares no publication date; its text mentions %(guess)s, which "
                "may or may not be it: the date is left unknown."
            )
            % {"guess": guess}
        )
    else:
        article.notes.append(_("No publication date was found: the date is left unknown."))
