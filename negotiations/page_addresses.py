"""Web addresses of imported pages compared as one page: the key under which two spellings of one
address are the same, and the original address inside a web archive's copy.

Two addresses are the same page when they differ only in the scheme (http or https), the case
of the scheme and host, a default port, a trailing slash, a fragment, the order of the query's
parameters, or the tracking parameters that newsletters and feeds add (utm_*, fbclid, …).
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ocid", "cmpid", "smid", "_ga"}
)
TRACKING_PREFIXES = ("utm_",)

# https://web.archive.org/web/20250611083000/https://example.com/… (also with id_ or im_ after
# the timestamp): the Wayback Machine names the original address inside its own.
WAYBACK = re.compile(r"^/web/(\d{4,14})(?:[a-z_]{2,3}_)?/(?P<original>.+)$")
ARCHIVE_HOSTS = frozenset(
    {"web.archive.org", "archive.org", "archive.ph", "archive.today", "archive.is", "archive.li"}
)


def _tracking(name):
    name = name.lower()
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


def page_key(url):
    """The address as compared: two addresses of one page have the same key. "" for none."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        scheme = "https"  # one page whichever way it was reached
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    path = parts.path.rstrip("/")
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)
    )
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def key_digest(url):
    """A short fixed-length digest of ``page_key(url)``, to store and index; "" for none."""
    key = page_key(url)
    return hashlib.sha256(key.encode("utf-8")).hexdigest() if key else ""


def clean(url):
    """The address without its fragment and tracking parameters, as a source should cite it."""
    if not url:
        return ""
    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _tracking(k)]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def spellings(url):
    """The ways a source's stored address may spell the page at ``url``: with either scheme,
    with and without a trailing slash (tracking parameters are not guessed)."""
    if not url:
        return set()
    parts = urlsplit(clean(url))
    found = {url.strip(), clean(url)}
    for scheme in ("https", "http"):
        for path in {parts.path.rstrip("/"), parts.path.rstrip("/") + "/"}:
            netloc = parts.netloc.lower()
            found.add(urlunsplit((scheme, netloc, path, parts.query, "")))
    return {spelling for spelling in found if spelling}


def is_archive(url):
    return bool(url) and (urlsplit(url).hostname or "").lower() in ARCHIVE_HOSTS


def archived_original(url):
    """The original address of a Wayback Machine copy, or "" (other archives do not say)."""
    parts = urlsplit(url or "")
    if (parts.hostname or "").lower() != "web.archive.org":
        return ""
    match = WAYBACK.match(parts.path)
    if not match:
        return ""
    original = match["original"]
    if parts.query:
        original += "?" + parts.query
    if original.startswith(("http:/", "https:/")) and not original.startswith(
        ("http://", "https://")
    ):
        original = original.replace(":/", "://", 1)  # a path may collapse the double slash
    return original if original.startswith(("http://", "https://")) else ""


def host(url):
    """The host of ``url`` without "www.", lower case, or ""."""
    name = (urlsplit(url or "").hostname or "").lower()
    return name.removeprefix("www.")
