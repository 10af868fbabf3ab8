"""HTTP caching for anonymous visitors, a layer above the pages: conditional GET, Cache-Control
and an optional page cache, all keyed on the knowledge base's change stamp
(``models.ChangeStamp``). The pages never rely on it: they are fast without it, and it is
switched off whole with ``settings.HTTP_CACHE`` (as in development).

For a GET or HEAD of a public page (the ``negotiations`` URL namespace: not /admin/, /healthz or
static files) by an anonymous visitor with no message waiting:

- the response carries a weak ETag made of the stamp, the code's release, the full URL
  (scheme, host, path and query: ?format=json and ?format=csv each have their own) and what
  the Accept header asks (``exports.accept_choice``: JSON-LD, HTML or either, the only way a
  page reads it), so that a page answering both by ``Vary: Accept`` never hands one to a
  request for the other,
  Last-Modified from the stamp's time, ``Cache-Control: public, max-age=HTTP_CACHE_MAX_AGE`` and
  ``Vary: Cookie``;
- an If-None-Match or If-Modified-Since that still holds is answered 304 after one query (the
  stamp), before anything of the page is computed;
- with ``PAGE_CACHE_SECONDS`` above 0, the whole response is kept in Django's cache (Redis when
  configured) under the stamp and the URL, and served from there. A write moves the stamp on at
  its commit, which leaves every kept page unreachable at once, on every app server: no page is
  served stale after an edit, and nothing needs deleting.

Anyone logged in (staff see draft previews) gets ``Cache-Control: private, no-cache``, no
validator, never a kept page, and their pages are never kept. So does any response that is an
error (4xx, 5xx: an invalid filter's 400, the statement limit's 503), a redirect, sets a cookie,
shows a message, varies on more than the cookie or carries a CSP nonce.

Two middleware, as with Django's own cache middleware, because the two decisions are made at two
depths of the stack (``settings.MIDDLEWARE`` says where and why):

- ``CachedResponseMiddleware``, inside sessions, authentication and messages, knows who asks and
  whether a message waits; it reads the stamp and answers 304, or the kept page;
- ``CacheHeadersMiddleware``, outside them, sees the response as it leaves, with any cookie set
  on the way out; it sets the headers and keeps the page.
"""

import functools
import hashlib
import logging
import math
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from .exports import accept_choice
from .models import ChangeStamp
from .models.changes import Stamp

logger = logging.getLogger(__name__)

NAMESPACE = "negotiations"
# A page bigger than this (a CSV of every result) is answered, with its validators, but not
# kept: one such page would crowd out hundreds of others.
PAGE_CACHE_MAX_BYTES = 2_000_000
# Headers made afresh for every answer, never kept with a page.
PER_ANSWER_HEADERS = {"cache-control", "etag", "last-modified", "expires", "date", "set-cookie"}
RELEASE_SOURCES = ("negotiations", "templates", "static")


@functools.cache
def release():
    """What the code that renders the pages is: ``DJANGO_RELEASE`` (``settings.RELEASE``), or a
    digest of the app's code, templates and static files. It is part of every ETag and page key,
    so that a deploy that changes how pages look never answers 304 to, or serves, a page the old
    code made (while the stamp, in the database, stays the same)."""
    if getattr(settings, "RELEASE", ""):
        return settings.RELEASE
    digest = hashlib.sha256(django.get_version().encode())
    for folder in RELEASE_SOURCES:
        root = Path(settings.BASE_DIR) / folder
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix not in (".pyc", ".sqlite3"):
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def is_public_page(request):
    """Whether the address is one of the public pages (the ``negotiations`` namespace)."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    return NAMESPACE in match.namespaces


def _anonymous_without_messages(request):
    # Neither reads the database for a visitor without a session cookie; len() of the message
    # storage reads the messages without marking them shown.
    return not request.user.is_authenticated and not len(get_messages(request))


@dataclass
class PublicAnswer:
    """What one anonymous request's answer is keyed on: the stamp, read before anything of the
    page (a page computed meanwhile is kept under the stamp it may already be older than, never
    under a newer one)."""

    stamp: Stamp
    digest: str
    answered: bool = False  # 304, or a kept page: nothing to keep

    @classmethod
    def for_request(cls, request, stamp):
        url = request.build_absolute_uri()
        # The day is part of it: a page's Cite section gives today as the access date, so
        # yesterday's copy is not today's page even when nothing was edited.
        day = timezone.localtime(stamp.now).date()
        accept = accept_choice(request)
        key = f"{release()}|{stamp.version}|{day}|{url}|{accept}"
        return cls(stamp=stamp, digest=hashlib.sha256(key.encode()).hexdigest())

    @property
    def etag(self):
        return f'W/"{self.digest[:32]}"'

    @property
    def key(self):
        return f"page:{self.digest}"

    @property
    def last_modified(self):
        """The stamp's time in whole seconds, rounded up. It is shown only once that second has
        passed by the database's clock, so that a later change always has a later one (two
        changes within one second would otherwise share it, and the second be missed)."""
        changed_at = self.stamp.changed_at
        if not changed_at:
            return None
        # Not before today's midnight: the page changes then too (its access date, above).
        midnight = timezone.localtime(self.stamp.now).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return math.ceil(max(changed_at, midnight).timestamp())

    def not_modified(self, request):
        """RFC 9110's rules for GET: If-None-Match (weak comparison) decides when sent;
        otherwise If-Modified-Since, ignored when later than the database's clock. (``*`` is
        left to the page: only computing it tells whether there is one.)"""
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            tags = {tag.removeprefix("W/") for tag in parse_etags(if_none_match)}
            return self.etag.removeprefix("W/") in tags
        since = parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE") or "")
        modified = self.last_modified
        now = self.stamp.now.timestamp()
        return since is not None and modified is not None and modified <= since <= now

    def mark_public(self, response):
        response["ETag"] = self.etag
        modified = self.last_modified
        if modified is not None and modified <= self.stamp.now.timestamp():
            response["Last-Modified"] = http_date(modified)
        patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_MAX_AGE)
        patch_vary_headers(response, ("Cookie",))


def mark_private(response):
    """Only for the browser that asked, and checked again before each use."""
    for header in ("ETag", "Last-Modified", "Expires"):
        del response[header]
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))


def shareable(request, response):
    """Whether an anonymous visitor's response may be shared with every other one."""
    if response.status_code not in (200, 304) or response.cookies:
        return False
    storage = getattr(request, "_messages", None)
    if storage is not None and (storage.added_new or len(storage)):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False  # the view said so
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        return False  # a nonce must be new on every answer
    varies = {name.strip().lower() for name in response.get("Vary", "").split(",")}
    # The key holds the URL and the Accept header's choice, and nothing else a page varies on.
    return varies <= {"", "cookie", "accept"}


def _page_cache_seconds():
    return getattr(settings, "PAGE_CACHE_SECONDS", 0)


def _kept_page(key):
    try:
        kept = cache.get(key)
    except Exception:  # a cache that is down is a miss, not an error page
        logger.warning("The page cache could not be read", exc_info=True)
        return None
    if kept is None:
        return None
    status, headers, content = kept
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


def _keep_page(key, response):
    headers = [(n, v) for n, v in response.items() if n.lower() not in PER_ANSWER_HEADERS]
    try:
        cache.set(key, (response.status_code, headers, response.content), _page_cache_seconds())
    except Exception:
        logger.warning("The page cache could not be written", exc_info=True)


class CachedResponseMiddleware:
    """Answers an anonymous visitor's GET or HEAD of a public page with 304 when the copy they
    hold is current, or with the page kept in the cache; otherwise lets it be computed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            getattr(settings, "HTTP_CACHE", False)
            and request.method in ("GET", "HEAD")
            and is_public_page(request)
            and _anonymous_without_messages(request)
        ):
            return self.get_response(request)
        answer = PublicAnswer.for_request(request, ChangeStamp.objects.current())
        request.public_answer = answer
        if answer.not_modified(request):
            answer.answered = True
            return HttpResponseNotModified()
        if _page_cache_seconds():
            kept = _kept_page(answer.key)
            if kept is not None:
                answer.answered = True
                return kept
        return self.get_response(request)


class CacheHeadersMiddleware:
    """Says who may keep each public page and for how long, and keeps anonymous pages in the
    page cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(settings, "HTTP_CACHE", False):
            return response
        answer = getattr(request, "public_answer", None)
        if answer is None:
            if is_public_page(request):
                mark_private(response)  # logged in, a message waiting, or not a GET or HEAD
            return response
        if not shareable(request, response):
            mark_private(response)
            return response
        answer.mark_public(response)
        if (
            not answer.answered
            and request.method == "GET"
            and response.status_code == 200
            and _page_cache_seconds()
            and not response.streaming
            and len(response.content) <= PAGE_CACHE_MAX_BYTES
        ):
            _keep_page(answer.key, response)
        return response
