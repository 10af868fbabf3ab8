"""Atom feeds of the public lists (``django.contrib.syndication``): ``/quotes/feed/?issue=…``
follows the newest records added to a list under the same filters as the list.

A feed reads the list's FilterSet (``filters``) and QuerySet (published records only) and
shows its first FEED_SIZE records, the newest added first: the list in its "added" order,
which is the feed's ``rel="alternate"`` page. An invalid filter is a 400 that says what is
wrong, never an unfiltered feed. Ids are ``tag:`` URIs (RFC 4151) made of an authority and a
date that never change (``settings.TAG_AUTHORITY``, ``settings.TAG_DATE``), the record's type
and its key: never the host a request came in by, so moving the site changes no id.
"""

from urllib.parse import quote as url_quote

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest, QueryDict
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from . import filters
from .metadata import SITE_NAME, quoted
from .models import Claim, Official, Quote, Round, Source, StickingPoint

FEED_SIZE = 50


def tag_uri(specific):
    """``tag:<authority>,<date>:<specific>`` (RFC 4151), ``specific`` percent-encoded where
    the RFC's ``pchar / "/" / "?"`` does not allow it."""
    safe = "/?:@!$&'()*+,;=-._~"
    return f"tag:{settings.TAG_AUTHORITY},{settings.TAG_DATE}:{url_quote(specific, safe=safe)}"


def record_tag(record):
    """A record's id, by its type and primary key (a slug may be edited; the key never is)."""
    return tag_uri(f"{record._meta.model_name}/{record.pk}")


class ListFeed(Feed):
    """One list's feed. Subclasses name the list (``list_name``: its URL names), its
    FilterSet and QuerySet, its noun, and what an entry says."""

    feed_type = Atom1Feed
    list_name = ""
    noun = ""  # plural, capitalised: "Quotes"
    filterset_class = None
    queryset = None
    author_name = SITE_NAME

    @classmethod
    def as_view(cls):
        """A view making a new feed for each request: a feed keeps the request's filters on
        itself, and one instance shared by concurrent requests would mix them."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        view.__doc__ = cls.__doc__
        return view

    def __call__(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(request)
        if self.filterset is not None and not self.filterset.is_valid():
            problems = " ".join(self.filterset.error_messages())
            return HttpResponseBadRequest(
                f"This feed's filters are not valid: {problems} Correct them to follow the list.\n",
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_filterset(self, request):
        data = filters.filters_only(request.GET)
        data["sort"] = filters.ADDED if filters.ADDED in self.sorts() else "newest"
        self.filter_query = data.copy()
        self.filter_query.pop("sort")
        return self.filterset_class(data, queryset=self.queryset.all())

    def sorts(self):
        return self.filterset_class.base_filters["sort"].options

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def title(self):
        return self.filterset.description(self.noun)

    def subtitle(self):
        return f"The newest {self.noun.lower()} added to the {SITE_NAME}, newest first."

    description = subtitle

    def query_string(self, **extra):
        query = self.filter_query.copy()
        for name, value in extra.items():
            query[name] = value
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else ""

    def link(self):
        """The HTML list with the same filters, in the feed's order."""
        sort = self.filterset.data["sort"]
        return reverse(f"negotiations:{self.list_name}-list") + self.query_string(sort=sort)

    def feed_url(self):
        """The request's own URL, query string and all (``rel="self"``)."""
        return self.request.build_absolute_uri()

    def feed_guid(self):
        # The filters in a fixed order, so that one set of filters is one id however written.
        query = self.filter_query.copy()
        canonical = "&".join(
            f"{name}={url_quote(value, safe='')}"
            for name in sorted(query)
            for value in sorted(query.getlist(name))
        )
        specific = f"{self.list_name}s/feed"
        return tag_uri(f"{specific}?{canonical}" if canonical else specific)

    def items(self):
        return self.filterset.qs[:FEED_SIZE]

    def item_guid(self, item):
        return record_tag(item)

    item_guid_is_permalink = False

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_title(self, item):
        return str(item)

    def summary(self, item):
        return str(item)

    def item_description(self, item):
        # Atom1Feed marks a summary as HTML: plain words escaped, so that a quote's "<b>" is
        # read as the characters it is, never as markup.
        return escape(self.summary(item))


class QuoteFeed(ListFeed):
    list_name = "quote"
    noun = "Quotes"
    filterset_class = filters.QuoteFilter
    queryset = Quote.objects.published().for_display()

    def item_title(self, item):
        return f"{item.speaker.name}: {quoted(item, 100)}"

    def summary(self, item):
        said = f"{item.get_kind_display()}, said {item.said_display}"
        setting = f" ({item.setting})" if item.setting else ""
        return f"{quoted(item)} — {said}{setting}. {item.get_verification_display()}."

    def item_author_name(self, item):
        return item.speaker.name

    def item_author_link(self, item):
        return self.request.build_absolute_uri(item.speaker.get_absolute_url())

    def item_categories(self, item):
        return [issue.name for issue in item.sticking_points.all()]


class ClaimFeed(ListFeed):
    list_name = "claim"
    noun = "Claims"
    filterset_class = filters.ClaimFilter
    queryset = Claim.objects.published().for_display()

    def item_title(self, item):
        return Truncator(item.text).chars(120)

    def summary(self, item):
        value = f" Value: {item.value_display}." if item.value is not None else ""
        return f"{item.text} ({item.get_status_display()}).{value}"

    def item_categories(self, item):
        return [issue.name for issue in item.sticking_points.all()]


class SourceFeed(ListFeed):
    list_name = "source"
    noun = "Sources"
    filterset_class = filters.SourceFilter
    queryset = Source.objects.published().for_list()

    def item_title(self, item):
        return item.title

    def summary(self, item):
        outlet = item.outlet.name if item.outlet_id else "Unknown outlet"
        return f"{outlet}, published {item.published_display}. {item.get_kind_display()}."

    def item_author_name(self, item):
        return item.author or None


class RoundFeed(ListFeed):
    list_name = "round"
    noun = "Rounds"
    filterset_class = filters.RoundFilter
    queryset = Round.objects.published().for_list()

    def summary(self, item):
        place = ", ".join(part for part in (item.city, item.country) if part)
        where = f" in {place}" if place else ""
        summary = f" {item.summary}" if item.summary else ""
        return f"{item.get_kind_display()}{where}, {item.dates_display}.{summary}"


class OfficialFeed(ListFeed):
    list_name = "official"
    noun = "Officials"
    filterset_class = filters.OfficialFilter
    queryset = Official.objects.published()

    def summary(self, item):
        summary = f" {item.summary}" if item.summary else ""
        return f"{item.get_country_display()}.{summary}"


class IssueFeed(ListFeed):
    """The issues list has no filters: every published issue, the newest added first."""

    list_name = "issue"
    noun = "Issues"

    def get_filterset(self, request):
        self.filter_query = QueryDict(mutable=True)
        return None

    def title(self):
        return self.noun

    def link(self):
        return reverse("negotiations:issue-list")

    def items(self):
        return StickingPoint.objects.published().order_by("-created_at", "-id")[:FEED_SIZE]

    def summary(self, item):
        return item.summary or item.get_category_display()

    def item_categories(self, item):
        return [item.get_category_display()]
