"""The representations public pages offer: ?format=json and ?format=csv beside the HTML, and
on the pages of what can be cited, the reference managers' formats (csl-json, ris, bibtex).

``ExportMixin`` is the one place a format is chosen. Each view names the formats it answers
(``formats``, the keys of ``FORMATS``); the page offers those and no other, and any other
``?format=`` is a 400 that says which there are. A view says what its JSON is
(``get_json_data``), where it differs what its CSV rows are (``get_csv_rows``), and where it
can be cited, its CSL items (``get_citation_items``: the ``citing`` shapes, which
``citation_files`` writes).

``annotations`` (a page's citations as a W3C AnnotationCollection, ``negotiations.annotations``)
is also chosen by ``Accept: application/ld+json`` on the pages offering it. The Accept header is
read in one place, ``accept_choice``: the page cache keys each page on its answer (``caching``),
so a page must never choose by the header in any other way.
"""

import csv

from django.contrib import messages
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.request import MediaType
from django.utils.cache import patch_vary_headers

from . import citation_files
from .serializers import flatten

# Every format a page may answer: its name in ?format=, how it is named in a link, and the
# method of ``ExportMixin`` that answers it (None: the page's own HTML).
FORMATS = {
    "html": ("HTML", None),
    "json": ("JSON", "render_json"),
    "csv": ("CSV", "render_csv"),
    "csl-json": ("CSL-JSON", "render_citations"),
    "ris": ("RIS", "render_citations"),
    "bibtex": ("BibTeX", "render_citations"),
    "annotations": ("W3C annotations (JSON-LD)", "render_annotations"),
}
CITATION_FORMATS = ("csl-json", "ris", "bibtex")
# Formats that hold every result of a list, streamed, rather than one page of it.
STREAMED_FORMATS = ("csv", *CITATION_FORMATS)
JSON_LD = "application/ld+json"
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_ACCEPT_TYPES = 50  # a browser names a handful; the rest of a longer header is not read
# Cells a spreadsheet would run as a formula (OWASP's list, with the full-width forms some
# spreadsheets also take as formulas): prefixed with an apostrophe, the spreadsheet's mark for
# text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
# Identifiers that read as numbers would lose their leading zeros ("001" → 1) in a
# spreadsheet or pandas: marked as text the same way.
IDENTIFIER_COLUMNS = {"reference", "source_reference", "slug", "source", "speaker", "round"}
# Excel reads a CSV as UTF-8 only when it starts with a byte order mark (without it, 何咏前 and
# curly quotes are garbled); Python's csv with encoding="utf-8-sig" and pandas skip it.
BOM = "\ufeff"


def safe_cell(value, column=""):
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_PREFIXES) or (column in IDENTIFIER_COLUMNS and value.isdigit()):
        return "'" + value
    return value


class _Line:
    """A file-like object whose ``write`` hands back the line csv.writer gives it."""

    def write(self, text):
        return text


def csv_lines(rows, *, base_url=""):
    """The CSV text of ``rows`` (an iterable of shapes), line by line as they are read: the
    columns are the first row's (every row of one shape flattens to the same columns)."""
    writer = None
    line = _Line()
    yield BOM
    try:
        for row in rows:
            flat = flatten(row, base_url=base_url)
            if writer is None:
                writer = csv.DictWriter(line, fieldnames=list(flat))
                yield writer.writeheader()
            yield writer.writerow({key: safe_cell(value, key) for key, value in flat.items()})
    finally:
        # A reader who stops the download closes this generator: close the rows' too, now,
        # so that the read (and, on PostgreSQL, its transaction) ends with the response.
        close = getattr(rows, "close", None)
        if close:
            close()


def csv_response(rows, filename, *, base_url=""):
    """Every row, streamed as it is read from the database: a million-row export starts at once
    and never sits whole in a worker's memory."""
    response = StreamingHttpResponse(
        csv_lines(rows, base_url=base_url), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def citation_response(items, fmt, filename):
    """The CSL items in a reference manager's format, streamed as they are read."""
    response = StreamingHttpResponse(
        citation_files.WRITERS[fmt](items),
        content_type=f"{citation_files.MEDIA_TYPES[fmt]}; charset=utf-8",
    )
    extension = citation_files.EXTENSIONS[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response


def unavailable_format_response(asked, formats):
    """The 400 for a format this page does not answer: plain text naming the ones it does,
    never the page itself (which a program asking for JSON would take for its answer)."""
    offered = ", ".join(f"?format={name}" for name in formats if name != "html")
    message = f"There is no format “{asked}” for this page. It answers HTML"
    message += f" (leave format out) and {offered}.\n" if offered else " only (leave format out).\n"
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def error_response(errors, fmt):
    """A 400 in the asked format, with what is wrong: an export never fails silently."""
    if fmt in ("json", "csl-json", "annotations"):
        return JsonResponse(
            {"errors": errors}, status=400, json_dumps_params={"ensure_ascii": False}
        )
    if fmt in CITATION_FORMATS:  # RIS and BibTeX have no place for an error: plain text
        text = "\n".join(errors) + "\n"
        return HttpResponse(text, content_type="text/plain; charset=utf-8", status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8", status=400)
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow(["error"])
    for error in errors:
        writer.writerow([error])
    return response


def accept_choice(request):
    """What the Accept header asks of a page that can answer JSON-LD: "json-ld" when it names
    application/ld+json (any profile) and prefers it to HTML, "html" when it names HTML and
    prefers that, "" when it names neither (``*/*``, or no header: a script's default).
    Equal preferences go to the type named first."""
    best = {}
    tokens = request.headers.get("Accept", "").split(",")[:MAX_ACCEPT_TYPES]
    for position, token in enumerate(tokens):
        media_type = MediaType(token.strip()) if token.strip() else None
        if media_type is None or media_type.quality == 0:
            continue
        name = f"{media_type.main_type}/{media_type.sub_type}".lower()
        kind = "json-ld" if name == JSON_LD else "html" if name in HTML_TYPES else None
        if kind and (kind not in best or media_type.quality > best[kind][0]):
            best[kind] = (media_type.quality, -position)
    if not best:
        return ""
    return max(best, key=best.get)


class ExportMixin:
    """Chooses the representation from ?format=, among the view's ``formats``; any other is a
    400 with a message (``unavailable_format_response``).

    Templates receive ``page_formats``: the formats other than HTML this page offers, each
    with its label and link (``includes/page_formats.html`` shows them)."""

    export_name = "records"
    formats = ("html", "json", "csv")

    @property
    def format(self):
        asked = self.request.GET.get("format", "")
        if asked:
            return asked
        if self.negotiates and accept_choice(self.request) == "json-ld":
            return "annotations"
        return "html"

    @property
    def negotiates(self):
        """Whether the page's answer depends on the Accept header."""
        return "annotations" in self.formats

    def dispatch(self, request, *args, **kwargs):
        if self.format not in self.formats or self.format not in FORMATS:
            return unavailable_format_response(self.format, self.formats)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        offered = []
        for name in self.formats:
            if name == "html":
                continue
            query = self.request.GET.copy()
            query["format"] = name
            if name in STREAMED_FORMATS:
                query.pop("page", None)  # a CSV holds every result, not a page of them
            offered.append(
                {"name": name, "label": FORMATS[name][0], "url": f"?{query.urlencode()}"}
            )
        context["page_formats"] = offered
        return context

    def get_json_data(self, context):
        raise NotImplementedError

    def get_csv_rows(self, context):
        return [self.get_json_data(context)]

    def get_citation_items(self, context):
        """The CSL items (``citing``) of what the page shows, for a view offering the
        citation formats: an iterable, read as the response is sent."""
        raise NotImplementedError

    def export_filename(self):
        return self.export_name

    def input_errors(self, context):
        """What is wrong with the request's parameters, in a reader's words (none by default).
        On a page they are shown as messages; an export answers 400 with them."""
        return []

    def render_json(self, context):
        return JsonResponse(self.get_json_data(context), json_dumps_params={"ensure_ascii": False})

    def render_csv(self, context):
        base_url = self.request.build_absolute_uri("/").rstrip("/")
        return csv_response(self.get_csv_rows(context), self.export_name, base_url=base_url)

    def render_citations(self, context):
        items = self.get_citation_items(context)
        return citation_response(items, self.format, self.export_filename())
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        response = self._render(context, **response_kwargs)
        if self.negotiates:
            patch_vary_headers(response, ("Accept",))
        return response

    def _render(self, context, **response_kwargs):
        renderer = FORMATS[self.format][1]
        if renderer is not None:
            errors = self.input_errors(context)
            if errors:
                return error_response(errors, self.format)
            return getattr(self, renderer)(context)
        for error in self.input_errors(context):
            messages.warning(self.request, error)  # shown on this very page, never later
        return super().render_to_response(context, **response_kwargs)
