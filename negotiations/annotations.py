"""Citations as W3C Web Annotations (https://www.w3.org/TR/annotation-model/): one citation's
Annotation, and AnnotationCollections of a source's citations or of a filtered list's, paged.

A citation is already stored the W3C way (exact, prefix, suffix, start, end), its offsets
counted in the source's stored text, which is served as it is at ``/sources/<slug>/text/``.
So an Annotation's target is the article (its original URL, or the source's page here where
the URL is unknown) with a TextQuoteSelector, a TextPositionSelector while the passage is still
at its offsets, and a TimeState whose ``cached`` copy is that stored text.

A collection's pages are read by keyset, never by offset (``pagination``): the records of a
list in the list's own order (at most PAGE_SIZE), then their citations after the cursor (at
most PAGE_SIZE): two indexed queries per page whatever its depth, and never a read of every
record of the list. The cursor is the citation last shown (its record's sort values, then its
own), or, where a page ended between records, the record last read.
"""

import datetime
from urllib.parse import urlencode

from django.db.models import F
from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from . import pagination
from .models import Citation
from .paths import record_path
from .search import count_up_to

# Totals past this are not counted ("more than"): a collection then has no "last" page.
COUNT_CAP = 10_000

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MEDIA_TYPE = f'application/ld+json; profile="{CONTEXT}"'
# The W3C context names every motivation of the model but "quoting" (and "assessing"): without
# a term for it, "quoting" would expand to an address relative to the document, not oa:quoting.
# The model allows more contexts beside the W3C one, so the term is given here.
JSONLD_CONTEXT = [CONTEXT, {"quoting": "oa:quoting"}]
PAGE_SIZE = 50


def rfc3339(value):
    return value.astimezone(datetime.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def text_path(source):
    return record_path("negotiations:source-text", "slug", source.slug)


def annotation_path(citation):
    return record_path("negotiations:citation-annotation", "pk", citation.pk)


def _record_path(citation):
    """The knowledge base's page of the record that cites the passage."""
    if citation.quote_id:
        return record_path("negotiations:quote-detail", "pk", citation.quote_id)
    if citation.claim_id:
        return record_path("negotiations:claim-detail", "pk", citation.claim_id)
    return citation.agenda_item.get_absolute_url()  # the round's page, at the agenda item


def _time_state(source, absolute):
    """The stored copy the offsets count in, and when the article was as stored: on the day it
    was retrieved where that is known (the whole day: the hour never was), else no later than
    when the copy entered the knowledge base."""
    state = {"type": "TimeState", "cached": absolute(text_path(source))}
    if source.retrieved_on:
        day = datetime.datetime.combine(source.retrieved_on, datetime.time(), datetime.UTC)
        state["sourceDateStart"] = rfc3339(day)
        state["sourceDateEnd"] = rfc3339(day + datetime.timedelta(days=1, seconds=-1))
    else:
        state["sourceDate"] = rfc3339(source.created_at)
    return state


def annotation(citation, absolute, *, context=True):
    """The Annotation of ``citation`` (read ``with_source()``); ``absolute`` makes a path an
    absolute URL. Embedded in a page, an annotation goes without its own ``@context``."""
    source = citation.source
    quote_selector = {"type": "TextQuoteSelector", "exact": citation.exact}
    # An empty prefix or suffix (a passage at the very start or end) is no context at all.
    if citation.prefix:
        quote_selector["prefix"] = citation.prefix
    if citation.suffix:
        quote_selector["suffix"] = citation.suffix
    selectors = [quote_selector]
    # Offsets only while the words are at them: a passage found again only approximately, or
    # lost, is described by its words alone.
    if citation.is_anchored:
        selectors.append(
            {"type": "TextPositionSelector", "start": citation.start, "end": citation.end}
        )
    data = {"@context": JSONLD_CONTEXT} if context else {}
    data.update(
        {
            "id": absolute(annotation_path(citation)),
            "type": "Annotation",
            "motivation": "quoting",
            "created": rfc3339(citation.created_at),
            "modified": rfc3339(citation.updated_at),
            "body": {
                "id": absolute(_record_path(citation)),
                "type": "Text",
                "format": "text/html",
            },
            "target": {
                "type": "SpecificResource",
                "source": source.url or absolute(source.get_absolute_url()),
                "selector": selectors,
                "state": _time_state(source, absolute),
            },
        }
    )
    return data


def response(data, status=200):
    """JSON-LD with the Web Annotation profile; it varies on Accept wherever it is served."""
    answer = JsonResponse(
        data,
        status=status,
        content_type=MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    patch_vary_headers(answer, ("Accept",))
    return answer


class PageLinkError(ValueError):
    """A page link not made here, or for another list."""


class Collection:
    """The citations of ``records`` (a QuerySet of the records a list shows, or of one source),
    in the order of ``record_columns`` and then of ``citation_columns``, as an
    AnnotationCollection at ``url`` (its query string included) and its AnnotationPages.

    ``citations`` are the citations that may be shown (public, with what an Annotation
    needs); ``link`` is their field pointing at the records; ``total`` and ``exact`` the
    number of those citations, as counted."""

    def __init__(
        self,
        *,
        url,
        label,
        records,
        record_columns,
        citations,
        link,
        citation_columns,
        total,
        exact,
        absolute,
    ):
        self.url = url
        self.label = label
        self.records = records
        self.record_columns = list(record_columns)
        self.citations = citations
        self.link = link
        self.citation_columns = list(citation_columns)
        self.total = total
        self.exact = exact
        self.absolute = absolute

    # Addresses ------------------------------------------------------------------------------

    def _page_url(self, **params):
        joiner = "&" if "?" in self.url else "?"
        query = urlencode(params)
        return self.absolute(f"{self.url}{joiner}{query}")

    @property
    def _keys(self):
        """The citation's sort columns: its record's (annotated), then its own."""
        names = [f"record_key_{n}" for n in range(len(self.record_columns))]
        signs = ["-" if c.startswith("-") else "" for c in self.record_columns]
        return [s + n for s, n in zip(signs, names, strict=True)] + self.citation_columns

    # The collection -------------------------------------------------------------------------

    def document(self):
        data = {
            "@context": JSONLD_CONTEXT,
            "id": self.absolute(self.url),
            "type": "AnnotationCollection",
            "label": self.label,
        }
        if self.exact:
            data["total"] = self.total
        if self.total:
            data["first"] = self._page_url(page="1")
            if self.exact:
                data["last"] = self._page_url(page="last")
        return data

    # Its pages --------------------------------------------------------------------------------

    def page(self, params):
        """The page ``params`` asks for: page=1 (the first), page=last, after=/before= a
        token from a page's next/prev link. Raises PageLinkError for anything else."""
        after, before, number = params.get("after"), params.get("before"), params.get("page")
        if after:
            values, start = self._decode(after)
            rows, more = self._read(values, backwards=False)
        elif before:
            values, end = self._decode(before)
            rows, more = self._read(values, backwards=True)
            rows.reverse()
            start = max(0, end - len(rows))
        elif number == "1":
            start = 0
            rows, more = self._read(None, backwards=False)
        elif number == "last" and self.exact:
            rows, more = self._read(None, backwards=True)
            rows.reverse()
            start = max(0, self.total - len(rows))
        else:
            raise PageLinkError
        backwards = bool(before) or number == "last"
        next_url = prev_url = None
        if backwards:
            if rows and number != "last":
                next_url = self._page_url(
                    after=self._encode(self._key(rows[-1]), start + len(rows))
                )
            if more is not None and start > 0:
                prev_url = self._page_url(before=self._encode(more, start))
        else:
            if more is not None:
                next_url = self._page_url(after=self._encode(more, start + len(rows)))
            if rows and start > 0:
                prev_url = self._page_url(before=self._encode(self._key(rows[0]), start))
        data = {
            "@context": JSONLD_CONTEXT,
            "id": self._current_url(params),
            "type": "AnnotationPage",
            "partOf": {"id": self.absolute(self.url)},
            "startIndex": start,
        }
        if self.exact:
            data["partOf"]["total"] = self.total
        if next_url:
            data["next"] = next_url
        if prev_url:
            data["prev"] = prev_url
        data["items"] = [annotation(c, self.absolute, context=False) for c in rows]
        return data

    def _current_url(self, params):
        name = next(name for name in ("after", "before", "page") if params.get(name))
        return self._page_url(**{name: params[name]})

    def _encode(self, values, index):
        return pagination.encode(values, index + 1)  # tokens hold a number from 1

    def _decode(self, token):
        """(values, index) of a token: a citation's key, or a record's."""
        for columns in (self._keys, self.record_columns):
            try:
                values, number = pagination.decode(token, columns)
                count = len(self.record_columns)
                values = pagination.checked(
                    self.records.model, self.record_columns, values[:count]
                ) + pagination.checked(
                    Citation, self.citation_columns[: len(values) - count], values[count:]
                )
            except pagination.CursorError:
                continue
            return values, number - 1
        raise PageLinkError

    def _key(self, citation):
        return [getattr(citation, column.lstrip("-")) for column in self._keys]

    def _read(self, cursor, *, backwards):
        """(citations, where to go on or None): at most PAGE_SIZE citations after ``cursor``
        (a citation's key, or a record's: after all of its citations), read in the reverse
        order when ``backwards``."""
        record_columns = self.record_columns
        keys = self._keys
        if backwards:
            record_columns = pagination.reverse_order(record_columns)
            keys = pagination.reverse_order(keys)
        records = self.records.order_by()
        citations = self.citations.annotate(
            **{
                f"record_key_{n}": F(f"{self.link}__{column.lstrip('-')}")
                for n, column in enumerate(self.record_columns)
            }
        )
        if cursor is not None:
            record_values = cursor[: len(record_columns)]
            if len(cursor) == len(record_columns):  # a record: after all its citations
                records = records.filter(pagination.beyond(record_columns, record_values))
            else:  # a citation: its record's later citations, then the records after it
                records = records.filter(
                    pagination.beyond(record_columns, record_values)
                    | pagination.equal(record_columns, record_values)
                )
                citations = citations.filter(pagination.beyond(keys, cursor))
        names = [column.lstrip("-") for column in record_columns]
        found = list(records.order_by(*record_columns).values_list(*names)[: PAGE_SIZE + 1])
        read = found[:PAGE_SIZE]
        ids = [row[names.index("id")] for row in read]
        rows = list(citations.filter(**{f"{self.link}__in": ids}).order_by(*keys)[: PAGE_SIZE + 1])
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            return rows, self._key(rows[-1])
        if len(found) > PAGE_SIZE:  # every citation of the records read: on after the last
            return rows, list(read[-1])
        return rows, None


# The collections the public pages offer ------------------------------------------------------


def source_collection(source, request):
    """The citations of a source's text in text order, as its page shows them: those of a
    published record (``Citation.objects.with_published_target``)."""
    citations = source.citations.with_published_target().with_passage_check()
    total = count_up_to(citations, COUNT_CAP)
    return Collection(
        url=record_path("negotiations:source-annotations", "slug", source.slug),
        label=f"Citations of “{source.title}”",
        records=type(source).objects.filter(pk=source.pk),
        record_columns=["id"],
        citations=citations,
        link="source",
        citation_columns=["start", "id"],
        total=min(total, COUNT_CAP),
        exact=total <= COUNT_CAP,
        absolute=request.build_absolute_uri,
    )


def list_collection(filterset, request, *, link, noun):
    """The public citations of the records a filtered list shows (``filterset``: its records
    ``link``, quotes or claims), in the list's order, then each record's in the order they were
    made. A ``source`` filter chooses records, as on the list: each record's citations of any
    published source are in the collection."""
    records = filterset.qs
    citations = Citation.objects.public()
    total = count_up_to(
        citations.filter(**{f"{link}__in": records.order_by().values("pk")}), COUNT_CAP
    )
    list_path = reverse(f"negotiations:{filterset.list_name}-list")
    return Collection(
        url=list_path + filterset.url_with(format="annotations"),
        label=f"Citations of the {noun} listed at {list_path}{filterset.url_with()}".rstrip("?"),
        records=records,
        record_columns=filterset.ordering(),
        citations=citations,
        link=link,
        citation_columns=["id"],
        total=min(total, COUNT_CAP),
        exact=total <= COUNT_CAP,
        absolute=request.build_absolute_uri,
    )


PAGE_PARAMS = ("page", "after", "before")


def collection_response(collection, params):
    """The collection, or the page of it ``params`` asks for; a page link not made here is a
    400 saying how pages are reached."""
    if not any(params.get(name) for name in PAGE_PARAMS):
        return response(collection.document())
    try:
        return response(collection.page(params))
    except PageLinkError:
        return response(
            {
                "errors": [
                    "That page link is broken or out of date: annotation pages are reached "
                    "from the collection's “first” and “last” (page=1, page=last) and each "
                    "page's “next” and “prev”."
                ]
            },
            status=400,
        )
