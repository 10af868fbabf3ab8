"""The app's URLs, plus /bench/bare/: 50 quotes' words and speakers' names from a minimal
template in one query, through the same middleware: the fastest a Django page can be on this
machine, measured beside the app's pages (``bench.pages``; only ``bench.settings`` uses it)."""

import functools

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from negotiations.models import Quote
from negotiations.urls import urlpatterns as app_urlpatterns

TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>50 quotes</title></head><body><ul>
{% for quote in quotes %}<li>{{ quote.text }} ({{ quote.speaker.name }})</li>
{% endfor %}</ul></body></html>
"""


@functools.cache
def template():
    return engines["django"].from_string(TEMPLATE)


def bare(request):
    quotes = Quote.objects.select_related("speaker").order_by("pk")[:50]
    return HttpResponse(template().render({"quotes": quotes}, request))


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *app_urlpatterns]
