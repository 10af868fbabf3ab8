"""What a page says about itself to machines: its canonical address, OpenGraph tags (so that a
link shared elsewhere shows what it points to) and, on a record's page, the record as schema.org
JSON-LD (NewsArticle, Quotation, Claim, Event, Person, DefinedTerm).

Views put a ``PageMeta`` in their context as ``meta``; ``templates/includes/meta.html`` writes
it into ``<head>``. Everything here reads what the page's QuerySet loaded already: no query.
"""

import json
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .models import (
    Claim,
    DatePrecision,
    Official,
    Quote,
    QuoteKind,
    Round,
    Source,
    StickingPoint,
)
from .models.sources import SourceKind

SITE_NAME = "Negotiations knowledge base"
SITE_DESCRIPTION = (
    "A public, citable record of the US–China trade negotiations: who met where, who said "
    "what, which issues blocked agreement, and the exact passages of the articles that say so."
)
CONTEXT = "https://schema.org"
# Characters that could end a <script> element or open an HTML comment inside it, written as
# JSON escapes: the data reads the same, and no "</script>" or "<!--" in it can break out.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@dataclass
class PageMeta:
    title: str
    description: str
    url: str  # absolute: the canonical address and og:url
    og_type: str = "website"
    data: dict | None = field(default=None)  # schema.org, as JSON-LD

    site_name = SITE_NAME

    @property
    def json_ld(self):
        """The JSON-LD, safe inside ``<script type="application/ld+json">``."""
        if self.data is None:
            return ""
        text = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return mark_safe(text.translate(SCRIPT_ESCAPES))  # noqa: S308 - escaped just above


def short(text, length=200):
    return Truncator(" ".join(str(text).split())).chars(length)


def partial_date(value, precision):
    """An ISO 8601 date as precisely as it is known (“2025-07-29”, “2025-07”, “2025”), or
    None when unknown: schema.org dates take the reduced forms."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return value.isoformat()


def _clean(data):
    """Without the properties that are unknown (None, empty): never invented."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def page_meta(request, title, description=SITE_DESCRIPTION, path=None):
    """A page that is not a record's: home, a list, search, the integrity report."""
    url = request.build_absolute_uri(path if path is not None else request.path)
    return PageMeta(title=str(title), description=short(description), url=url)


def record_meta(request, record):
    """A record's page: its OpenGraph and its schema.org description."""
    url = request.build_absolute_uri(record.get_absolute_url())
    absolute = request.build_absolute_uri
    for model, describe in DESCRIBERS.items():
        if isinstance(record, model):
            title, description, og_type, data = describe(record, absolute)
            data = {"@context": CONTEXT, **_clean(data), "url": url, "@id": url}
            return PageMeta(str(title), short(description), url, og_type, data)
    raise TypeError(f"No description of {type(record).__name__}")


def person(official, absolute):
    return _clean(
        {
            "@type": "Person",
            "name": official.name,
            "alternateName": official.native_name,
            "url": absolute(official.get_absolute_url()),
        }
    )


def cited_work(source, absolute):
    """A source as a cited work: its page here, its headline and outlet."""
    return _clean(
        {
            "@type": SOURCE_TYPES.get(source.kind, "CreativeWork"),
            "headline": source.title,
            "url": absolute(source.get_absolute_url()),
            "sameAs": source.url,
            "datePublished": partial_date(source.published_on, source.published_precision),
            "publisher": outlet(source),
        }
    )


def outlet(source):
    if not source.outlet_id:
        return None
    return _clean(
        {"@type": "Organization", "name": source.outlet.name, "url": source.outlet.website}
    )


def sources_of(citations, absolute):
    """The distinct sources of ``citations`` (loaded with them), in the order first cited."""
    seen = {}
    for citation in citations:
        seen.setdefault(citation.source_id, citation.source)
    return [cited_work(source, absolute) for source in seen.values()]


SOURCE_TYPES = {
    SourceKind.ARTICLE: "NewsArticle",
    SourceKind.STATEMENT: "Article",
    SourceKind.TRANSCRIPT: "Article",
    SourceKind.POST: "SocialMediaPosting",
}


def describe_source(source, absolute):
    data = {
        "@type": SOURCE_TYPES.get(source.kind, "CreativeWork"),
        "headline": source.title,
        "datePublished": partial_date(source.published_on, source.published_precision),
        "publisher": outlet(source),
        "author": {"@type": "Person", "name": source.author} if source.author else None,
        "inLanguage": source.language,
        "sameAs": source.url,
        "archivedAt": source.archive_url,
    }
    where = source.outlet.name if source.outlet_id else "Unknown outlet"
    description = f"{where}, {source.published_display}. The stored text, with every cited passage."
    return source.title, description, "article", data


def quoted(quote, length=None):
    """A quote's words as the pages show them: in quotation marks, except a paraphrase, which
    is the reporter's words and is never shown as if the speaker had said them."""
    text = short(quote.text, length) if length else quote.text
    if quote.kind == QuoteKind.PARAPHRASE:
        return f"Reported as: {text}"
    return f"“{text}”"


def describe_quote(quote, absolute):
    speaker = person(quote.speaker, absolute)
    said = {
        "dateCreated": partial_date(quote.said_on, quote.said_precision),
        "isBasedOn": sources_of(quote.citations.all(), absolute),
        "about": [issue.name for issue in quote.sticking_points.all()],
    }
    if quote.kind == QuoteKind.PARAPHRASE:
        # The reporter's words about what the speaker said: no quotation of the speaker.
        data = {"@type": "CreativeWork", "genre": "paraphrase", "text": quote.text, **said}
        data["about"] = [speaker, *data["about"]]
    else:
        data = {
            "@type": "Quotation",
            "text": quote.text,
            "spokenByCharacter": speaker,
            "creator": speaker,
            **said,
        }
    title = f"{quote.speaker.name}: {quoted(quote, 90)}"
    description = f"{quoted(quote)} {quote.speaker.name}, {quote.said_display}."
    return title, description, "article", data


def describe_claim(claim, absolute):
    works = sources_of(claim.citations.all(), absolute)
    dated = [w for w in works if w.get("datePublished")]
    first = min(dated, key=lambda w: w["datePublished"]) if dated else None
    data = {
        "@type": "Claim",
        "text": claim.text,
        "appearance": works,
        "firstAppearance": first,
        "about": [issue.name for issue in claim.sticking_points.all()],
    }
    description = f"{claim.text} ({claim.get_status_display()}: {claim.status_explanation})"
    return short(claim.text, 100), description, "article", data


def describe_round(round_, absolute):
    place = None
    if round_.city or round_.country:
        place = _clean(
            {
                "@type": "Place",
                "name": ", ".join(part for part in (round_.city, round_.country) if part),
                "address": _clean(
                    {
                        "@type": "PostalAddress",
                        "addressLocality": round_.city,
                        "addressCountry": round_.country,
                    }
                ),
            }
        )
    data = {
        "@type": "Event",
        "name": round_.title,
        "description": round_.summary,
        "startDate": partial_date(round_.start_on, round_.start_precision),
        "endDate": partial_date(round_.end_on, round_.end_precision),
        "location": place,
        "attendee": [person(p.official, absolute) for p in round_.participants.all()],
        "about": [item.sticking_point.name for item in round_.agenda_items.all()],
    }
    description = round_.summary or f"{round_.get_kind_display()}, {round_.dates_display}."
    return round_.title, description, "website", data


def describe_official(official, absolute):
    data = {
        **person(official, absolute),
        "description": official.summary,
        "jobTitle": [position.title for position in official.positions.all()],
        "affiliation": official.get_country_display(),
    }
    description = official.summary or f"{official.name}, {official.get_country_display()}."
    return official.name, description, "profile", data


def describe_issue(issue, absolute):
    data = {
        "@type": "DefinedTerm",
        "name": issue.name,
        "description": issue.summary,
        "inDefinedTermSet": {
            "@type": "DefinedTermSet",
            "name": "Sticking points of the US–China trade negotiations",
            "url": absolute(reverse("negotiations:issue-list")),
        },
    }
    description = issue.summary or f"{issue.name}: a sticking point, round by round."
    return issue.name, description, "website", data


DESCRIBERS = {
    Source: describe_source,
    Quote: describe_quote,
    Claim: describe_claim,
    Round: describe_round,
    Official: describe_official,
    StickingPoint: describe_issue,
}
