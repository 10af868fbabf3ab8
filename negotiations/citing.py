"""What a researcher's reference manager receives: each record as CSL-JSON items (the Citation
Style Language's data model, which Zotero, Mendeley and citeproc read), from which the RIS and
BibTeX files (``citation_files``) and the APA and Chicago references (``citation_styles``) are
made.

- A source is the article itself: ``article-newspaper`` (outlet as container), its title, author,
  language, publication date with its precision, original URL, and the date our copy was taken as
  the access date.
- A quote or a claim cites its source, once per citation of it: the source's fields, the cited
  passage (and a quote's speaker) as the note, and the knowledge base page of the quote or claim
  as the URL, so that a footnote leads back to the evidence.
- A round, an issue or an official is cited as the knowledge base's web page itself (``webpage``,
  issued when last changed, accessed today).

What is unknown stays out: no invented author, date or outlet, never "None" or "Anonymous".
Items are plain dicts; each takes records fetched with their page's or list's prefetches and runs
no query of its own.
"""

import re

from django.utils import timezone

from .models.base import DatePrecision
from .models.sources import SourceKind

KNOWLEDGE_BASE = "US–China trade negotiations knowledge base"

# A source's kind as a CSL type; a news article is ``article-newspaper``.
CSL_TYPES = {
    SourceKind.ARTICLE: "article-newspaper",
    SourceKind.STATEMENT: "document",
    SourceKind.TRANSCRIPT: "interview",
    SourceKind.POST: "post",
}

# One capitalised word of letters, with inner hyphens or apostrophes (Jean-Luc, O’Brien).
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_]*(?:[-'’][^\W\d_]+)*")


def date_parts(value, precision):
    """A CSL date as precisely as it is known: day → [y, m, d], month → [y, m], year → [y];
    unknown → None (the item then has no date at all)."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    parts = {
        DatePrecision.DAY: [value.year, value.month, value.day],
        DatePrecision.MONTH: [value.year, value.month],
        DatePrecision.YEAR: [value.year],
    }[precision]
    return {"date-parts": [parts]}


def _day(value):
    return {"date-parts": [[value.year, value.month, value.day]]} if value else None


def name_parts(name):
    """CSL name parts: family and given only where the name is a plain “Given Family” (two
    capitalised words of letters); otherwise the name as written (``literal``): “Xinhua staff”,
    “李成钢”, “Jane Q. Doe”, “Reuters” are never split into parts we would have to guess."""
    words = name.split()
    if len(words) == 2 and all(_NAME_WORD.fullmatch(w) and w[0].isupper() for w in words):
        return {"family": words[1], "given": words[0]}
    return {"literal": " ".join(words)}


def _without_unknowns(item):
    return {key: value for key, value in item.items() if value not in (None, "", [])}


def source_item(source):
    """The CSL item of a source (its outlet read with it: ``select_related("outlet")``)."""
    notes = []
    if source.archive_url:
        notes.append(f"Archived copy: {source.archive_url}")
    return _without_unknowns(
        {
            "id": f"source-{source.slug}",
            "type": CSL_TYPES.get(source.kind, "article-newspaper"),
            "title": source.title,
            "container-title": source.outlet.name if source.outlet_id else None,
            "author": [name_parts(source.author)] if source.author.strip() else None,
            "issued": date_parts(source.published_on, source.published_precision),
            "language": source.language,
            "URL": source.url,
            "accessed": _day(source.retrieved_on),
            "note": "\n".join(notes),
        }
    )


def _passage_note(citation, speaker=None):
    passage = " ".join(citation.exact.split())
    if not passage.startswith(("“", '"', "‘", "'")):  # a passage that opens a quotation is one
        passage = f"“{passage}”"
    stance = citation.get_stance_display().lower()
    quoting = f", quoting {speaker}" if speaker is not None else ""
    return f"Passage ({stance}){quoting}: {passage}"


def cited_items(record, citations, *, url, speaker=None, today=None):
    """A quote's or claim's items: its source once per citation (``citations``, read with their
    source and outlet), the passage as the note, the record's knowledge base page (``url``,
    absolute) as the URL, accessed ``today``. A record no visitor can follow to a source is cited
    as its page."""
    today = today or timezone.localdate()
    kind = record._meta.model_name
    items = []
    for citation in citations:
        source = citation.source
        item = source_item(source)
        # The article's own address moves to the note: the URL is the evidence's page.
        notes = [_passage_note(citation, speaker)]
        if source.url:
            notes.append(f"Original article: {source.url}")
        if item.get("note"):
            notes.append(item["note"])
        item.update(
            id=f"{kind}-{record.pk}-citation-{citation.pk}",
            URL=url,
            accessed=_day(today),
            note="\n".join(notes),
        )
        items.append(item)
    if not items:
        title = f"Quote by {speaker}" if speaker else record.text
        items.append(page_item(f"{kind}-{record.pk}", title, url, record.updated_at, today=today))
    return items


def quote_items(quote, *, url, today=None):
    return cited_items(
        quote, quote.citations.all(), url=url, speaker=quote.speaker.name, today=today
    )


def claim_items(claim, *, url, today=None):
    return cited_items(claim, claim.citations.all(), url=url, today=today)


def page_item(item_id, title, url, changed_at, *, today=None):
    """A knowledge base page cited as a web page: issued when it last changed, accessed today."""
    today = today or timezone.localdate()
    changed = timezone.localtime(changed_at).date() if changed_at else None
    return _without_unknowns(
        {
            "id": item_id,
            "type": "webpage",
            "title": title,
            "container-title": KNOWLEDGE_BASE,
            "URL": url,
            "issued": _day(changed),
            "accessed": _day(today),
        }
    )


def record_page_item(record, title, *, url, today=None):
    """A round's, issue's or official's page: ``<kind>-<slug>``."""
    kind = {"stickingpoint": "issue"}.get(record._meta.model_name, record._meta.model_name)
    return page_item(f"{kind}-{record.slug}", title, url, record.updated_at, today=today)
