"""Records' public paths: each URL name reversed once, then filled in with a record's key.

A list page links each of its 50 items to a quote, its speaker and a source or two, and
Django's ``reverse()`` walks the URL patterns anew for every link (a tenth of a list page's
time). Two records' detail paths differ only by their key, so the path is reversed once with
a stand-in key, per URL configuration and script prefix, and the key put in its place, quoted
as ``reverse()`` quotes it."""

import functools
from urllib.parse import quote

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.http import RFC3986_SUBDELIMS

STAND_IN = "987654321"  # what <int:pk> and <slug:slug> both accept, and no path holds
SAFE = RFC3986_SUBDELIMS + "/~:@"  # reverse()'s own


def record_path(name, key, value):
    """``reverse(name, kwargs={key: value})`` for a pattern with that one argument."""
    before, after = _halves(name, key, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    return f"{before}{quote(str(value), safe=SAFE)}{after}"


@functools.lru_cache(maxsize=64)
def _halves(name, key, urlconf, prefix):
    path = reverse(name, urlconf=urlconf, kwargs={key: STAND_IN})
    before, _stand_in, after = path.partition(STAND_IN)
    return before, after
