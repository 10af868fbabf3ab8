"""CSL items (``citing``) written as the files reference managers import: CSL-JSON, RIS and
BibTeX, each as a stream of text chunks, one item at a time, so that a list of a million quotes
is written as it is read and never held whole.

RIS carries what Zotero reads from it (TY, TI, T2, AU, PY, DA, UR, LA, Y2, N1); BibTeX is an
``@article`` where the outlet is known (``journal`` = outlet), else ``@online``, with LaTeX's
special characters escaped and every other character kept as UTF-8.
"""

import json

RIS_TYPES = {
    "article-newspaper": "NEWS",
    "webpage": "ELEC",
    "post": "ELEC",
    "interview": "GEN",
    "document": "GEN",
}

MEDIA_TYPES = {
    "csl-json": "application/vnd.citationstyles.csl+json",
    "ris": "application/x-research-info-systems",
    "bibtex": "application/x-bibtex",
}
EXTENSIONS = {"csl-json": "csl.json", "ris": "ris", "bibtex": "bib"}


def closing(write):
    """A writer that closes its items when it is closed: a reader who stops a download ends the
    read of the records (and, on PostgreSQL, its transaction) with the response."""

    def chunks(items):
        try:
            yield from write(items)
        finally:
            close = getattr(items, "close", None)
            if close:
                close()

    return chunks


def csl_json_chunks(items):
    """A JSON array of the items, one item per chunk."""
    yield "["
    for n, item in enumerate(items):
        yield ("," if n else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


# RIS ------------------------------------------------------------------------------------------


def _one_line(text):
    return " ".join(str(text).split())


def _ris_date(csl_date):
    """RIS's ``YYYY/MM/DD/`` with the parts that are known (``2025/07//`` for a month)."""
    parts = csl_date["date-parts"][0]
    year, month, day = (list(parts) + [None, None])[:3]
    return f"{year:04d}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}/"


def _ris_name(name):
    if "literal" in name:
        return name["literal"]
    return f"{name['family']}, {name['given']}"


def ris_record(item):
    lines = [("TY", RIS_TYPES.get(item["type"], "GEN")), ("ID", item["id"])]
    lines.append(("TI", item["title"]))
    if "container-title" in item:
        lines.append(("T2", item["container-title"]))
    lines += [("AU", _ris_name(name)) for name in item.get("author", [])]
    if "issued" in item:
        lines.append(("PY", str(item["issued"]["date-parts"][0][0])))
        lines.append(("DA", _ris_date(item["issued"])))
    for tag, key in (("UR", "URL"), ("LA", "language")):
        if key in item:
            lines.append((tag, item[key]))
    if "accessed" in item:
        lines.append(("Y2", _ris_date(item["accessed"])))
    if "note" in item:
        lines.append(("N1", item["note"]))
    text = "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)
    return text + "ER  - \r\n\r\n"


def ris_chunks(items):
    for item in items:
        yield ris_record(item)


# BibTeX ---------------------------------------------------------------------------------------

_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
# In a URL field (read verbatim by biblatex), only what would unbalance the braces or end the
# field is changed, percent-encoded as a browser would.
_URL_SPECIALS = {"{": "%7B", "}": "%7D", "\\": "%5C"}


def bibtex_escape(text):
    return "".join(_LATEX_SPECIALS.get(char, char) for char in _one_line(text))


def _bibtex_url(url):
    return "".join(_URL_SPECIALS.get(char, char) for char in url.strip())


def _bibtex_name(name):
    # A literal name is braced whole, so that BibTeX never splits it into first and last.
    if "literal" in name:
        return "{" + bibtex_escape(name["literal"]) + "}"
    return f"{bibtex_escape(name['family'])}, {bibtex_escape(name['given'])}"


def _iso(csl_date):
    return "-".join(f"{part:02d}" for part in csl_date["date-parts"][0])


def bibtex_entry(item):
    container = item.get("container-title")
    entry_type = "article" if item["type"] == "article-newspaper" and container else "online"
    fields = [("title", "{" + bibtex_escape(item["title"]) + "}")]
    if container:
        field = "journal" if entry_type == "article" else "organization"
        fields.append((field, bibtex_escape(container)))
    if "author" in item:
        fields.append(("author", " and ".join(_bibtex_name(n) for n in item["author"])))
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
        fields.append(("date", _iso(item["issued"])))
    if "URL" in item:
        fields.append(("url", _bibtex_url(item["URL"])))
    if "accessed" in item:
        fields.append(("urldate", _iso(item["accessed"])))
    if "language" in item:
        fields.append(("language", bibtex_escape(item["language"])))
    if "note" in item:
        fields.append(("note", bibtex_escape(item["note"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{item['id']},\n{body}\n}}\n\n"


def bibtex_chunks(items):
    for item in items:
        yield bibtex_entry(item)


WRITERS = {
    "csl-json": closing(csl_json_chunks),
    "ris": closing(ris_chunks),
    "bibtex": closing(bibtex_chunks),
}
