"""The FilterSets of the public lists: their filters, facet counts, sort orders and chips.

Parameter names are fixed, because other tools rely on them (the README's "Public URLs" lists
them). The lists run these FilterSets strictly (django-filter's ``FilterView``): an invalid value
(a malformed date, an unknown slug) gives an empty result and a message naming the problem,
never a silently ignored filter.

A facet is a filter whose options are listed with the number of results each would give under
the other filters. It is declared once, as a filter that knows how to count its options
(``facet_rows``); a FilterSet's ``facets`` names which of its filters are shown so.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, Exists, F, OuterRef
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .models import (
    Claim,
    ClaimStatus,
    Official,
    Outlet,
    Quote,
    Reliability,
    Round,
    RoundKind,
    Side,
    Source,
    StickingPoint,
    Verification,
)
from .models import facets as facets_model
from .search import count_up_to


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool
    url: str  # this page with the option added (or, when active, removed)
    at_least: bool = False  # counted among the first results only: the count is a lower bound

    @property
    def count_display(self):
        return f"{self.count:,}+" if self.at_least else f"{self.count:,}"


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    options: list[FacetOption]
    more_url: str | None = None  # every option, on its own page, when more exist than shown
    note: str = ""  # how the counts were counted, when not exactly


@dataclass(frozen=True)
class Chip:
    param: str
    label: str
    value: str
    remove_url: str


# Facets are read from the counts kept on write (models.facets) where the filters allow, and
# otherwise counted on the results themselves, exactly while they are few, else among the
# first LIVE_LIMIT results (the counts then say "n+", at least n). A list's own total is
# counted up to COUNT_CAP ("10,000+").
TOP_OPTIONS = 8
OPTIONS_PAGE = 100
LIVE_LIMIT = 1_000
COUNT_CAP = 10_000
MAX_VALUES = 20  # values of one facet chosen together


class FacetFilterMixin:
    """A filter whose options can be counted: its name is its facet in
    ``models.facets.SUBJECTS`` (where its counts are kept), ``facet_path`` the lookup to its
    value; several values combine as OR."""

    def value_label_pairs(self, values):
        """{stored value: (URL value, label)} of the values that can be offered."""
        raise NotImplementedError

    def choose(self, qs, values):
        raise NotImplementedError

    def filter(self, qs, value):
        values = list(value or ())
        return self.choose(qs, values) if values else qs


class SlugChoiceFilter(FacetFilterMixin, django_filters.ModelMultipleChoiceFilter):
    """Records chosen by their slugs, several combined as OR; an unknown slug is an error the
    reader sees. As a facet, its options are the records the results point at, named by
    ``label_field``; draft records are never offered.

    ``lookup``: "in" reads the matching ids through the relation (few results per value, a
    source's quotes), "exists" walks the list in order and checks each (thousands per value,
    an issue's quotes), "direct" compares the record's own column (a speaker)."""

    def __init__(self, *args, noun, label_field="name", lookup="direct", **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)
        self.label_field = label_field
        self.lookup = lookup
        self.extra["error_messages"] = {
            "invalid_choice": _("There is no published %(noun)s “%%(value)s”.") % {"noun": noun},
            "invalid_pk_value": _("There is no published %(noun)s “%%(pk)s”.") % {"noun": noun},
            "invalid_list": _("Choose one or more %(noun)ss.") % {"noun": noun},
        }

    @property
    def facet_path(self):
        return self.field_name

    @property
    def lookup_is_many(self):
        return self.lookup != "direct"

    def choose(self, qs, values):
        model = qs.model
        if self.lookup == "direct":
            return qs.filter(**{f"{self.field_name}__in": values})
        if self.lookup == "in":
            having = model._base_manager.filter(**{f"{self.field_name}__in": values})
            return qs.filter(pk__in=having.values("pk"))
        having = model._base_manager.filter(pk=OuterRef("pk"), **{f"{self.field_name}__in": values})
        return qs.filter(Exists(having))

    def value_label_pairs(self, values):
        rows = self.queryset.filter(pk__in=[int(v) for v in values if v.isdigit()])
        return {
            str(pk): (slug, label)
            for pk, slug, label in rows.values_list("pk", "slug", self.label_field)
        }

    def chosen_values(self, cleaned):
        return [str(record.pk) for record in cleaned or ()]

    def chip_labels(self, cleaned):
        return [(record.slug, str(getattr(record, self.label_field))) for record in cleaned or ()]


class ChoiceFacetFilter(FacetFilterMixin, django_filters.MultipleChoiceFilter):
    """One or more of a field's choices (OR); as a facet, each choice found, by its label."""

    lookup_is_many = False

    @property
    def facet_path(self):
        return self.field_name

    def choose(self, qs, values):
        return qs.filter(**{f"{self.field_name}__in": values})

    def value_label_pairs(self, values):
        labels = dict(self.extra["choices"])
        return {v: (v, str(labels[v])) for v in values if v in labels}

    def chosen_values(self, cleaned):
        return list(cleaned or ())

    def chip_labels(self, cleaned):
        labels = dict(self.extra["choices"])
        return [(v, str(labels.get(v, v))) for v in cleaned or ()]


# A search is a few words: bounded, so that no request can ask for an unbounded query.
MAX_SEARCH_CHARACTERS = 200
MAX_SEARCH_WORDS = 12


def at_most_a_few_words(value):
    if len((value or "").split()) > MAX_SEARCH_WORDS:
        raise forms.ValidationError(
            _("Search with at most %(n)d words.") % {"n": MAX_SEARCH_WORDS}, code="too_many_words"
        )


def search_words_field(**kwargs):
    """The words of a search: at most 200 characters and 12 words, no NUL characters."""
    return forms.CharField(
        required=False,
        max_length=MAX_SEARCH_CHARACTERS,
        validators=[at_most_a_few_words],
        error_messages={
            "max_length": _("Search with at most %(limit_value)d characters.")
            % {"limit_value": MAX_SEARCH_CHARACTERS}
        },
        **kwargs,
    )


class SearchForm(forms.Form):
    """The search page's box, under the same rule as every list's words."""

    q = search_words_field(label=_("Words to find"))


class TextSearchFilter(django_filters.CharFilter):
    """Every word must appear in one of the model's search fields (``QuerySet.matching``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Words"))
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        if not hasattr(self, "_field"):
            self._field = search_words_field(label=self.label)
        return self._field

    def filter(self, qs, value):
        return qs.matching(value)


class SortFilter(django_filters.ChoiceFilter):
    """The order of the results; the first option applies when none is chosen, so every page
    is in a stable order."""

    def __init__(self, options, **kwargs):
        self.options = options  # {key: (label, ordering)}
        super().__init__(
            choices=[(key, label) for key, (label, _ordering) in options.items()],
            label=_("Sort"),
            error_messages={"invalid_choice": _("There is no sort order “%(value)s”.")},
            **kwargs,
        )

    @property
    def default(self):
        return next(iter(self.options))

    def filter(self, qs, value):
        return qs.order_by(*self.options[value or self.default][1])


class YearFilter(django_filters.NumberFilter):
    """A year, as a whole number in a plausible range (a year far out of it is a typo, and would
    overflow the date functions of the databases)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        message = _("Give a year as four digits between 1900 and 2100, for example 2025.")
        kwargs.update(
            min_value=1900,
            max_value=2100,
            error_messages={"invalid": message, "min_value": message, "max_value": message},
        )
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


def date_filter(field_name, lookup, label):
    return django_filters.DateFilter(
        field_name=field_name,
        lookup_expr=lookup,
        label=label,
        widget=DateInput,
        error_messages={"invalid": _("Give a date as YYYY-MM-DD, for example 2025-05-12.")},
    )


class ListForm(forms.Form):
    """A list's filters as a form: no facet takes more than MAX_VALUES values at once."""

    def clean(self):
        cleaned = super().clean()
        # A copy: add_error() takes the field out of cleaned_data.
        for name, value in list(cleaned.items()):
            if not isinstance(value, str) and hasattr(value, "__len__") and len(value) > MAX_VALUES:
                self.add_error(
                    name, _("Choose at most %(n)d values of one filter.") % {"n": MAX_VALUES}
                )
        return cleaned


class FacetedFilterSet(django_filters.FilterSet):
    """A list's filters: validated once, then used for the results, the facet counts and the
    chips alike. Every FilterSet here declares ``sort`` and names its ``facets``;
    ``subject`` names where its facet counts are kept (``models.facets``), if they are."""

    facets: tuple[str, ...] = ()
    subject: str | None = None
    list_name = ""  # its URL names: "<list_name>-list", "<list_name>-facet"
    # Paged by keyset (``pagination``): the long lists, whose sorts are plain columns. Short
    # lists (rounds, officials) are paged by number.
    keyset = False

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that the default sort applies to a page without parameters too.
        data = QueryDict(mutable=True) if data is None else data.copy()
        for name in self.base_filters:
            values = [v for v in data.getlist(name) if v.strip()]
            # An empty value is no filter; a value past the limit is one too many (refused).
            data.setlist(name, values[: MAX_VALUES + 1])
            if not values:
                data.pop(name, None)
        # A retired sort order in a kept link: the default order, with a word on why.
        self.notices = []
        retired = getattr(self, "retired_sorts", {})
        if data.get("sort") in retired:
            self.notices.append(retired[data["sort"]])
            data.pop("sort")
        super().__init__(data, *args, **kwargs)

    def filter_queryset(self, queryset, *, skip=None):
        """The queryset under every valid filter but ``skip`` (a facet counts without itself)."""
        for name, value in self.form.cleaned_data.items():
            if name != skip:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def sort_filter(self):
        return self.filters["sort"]

    def sort_choices(self):
        return list(self.sort_filter.extra["choices"])

    def current_sort(self):
        self.is_valid()  # the form's valid values are known after validation, valid or not
        return self.form.cleaned_data.get("sort") or self.sort_filter.default

    def ordering(self):
        """The keyset order of the results: the current sort's columns (``pagination``)."""
        return self.sort_filter.options[self.current_sort()][1]

    def query_string(self, query):
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    def base_query(self):
        """This list's parameters, without those that choose a page or a format."""
        query = self.data.copy()
        for param in ("page", "after", "before", "format", "options_after"):
            query.pop(param, None)
        return query

    def url_with(self, **changes):
        """This list's query string with some parameters set (None removes one); page reset."""
        query = self.base_query()
        for param, value in changes.items():
            if value is None:
                query.pop(param, None)
            elif isinstance(value, list):
                query.setlist(param, value)
            else:
                query[param] = value
        return self.query_string(query)

    def toggle_url(self, param, value):
        """This list with ``value`` added to, or removed from, the values of ``param``."""
        values = self.base_query().getlist(param)
        values = [v for v in values if v != value] if value in values else [*values, value]
        return self.url_with(**{param: values or None})

    def form_fields(self):
        """The fields typed rather than clicked: words, dates (facets are links)."""
        return [self.form[name] for name in self.form.fields if name not in {*self.facets, "sort"}]

    def hidden_facets(self):
        """(param, value) of the facet choices and sort, carried through when the filter form
        is submitted."""
        return [(param, v) for param in (*self.facets, "sort") for v in self.data.getlist(param)]

    def hidden_for_sort(self):
        """Every parameter but the sort and the page, for the sort form."""
        query = self.base_query()
        query.pop("sort", None)
        return [(param, v) for param in query for v in query.getlist(param)]

    # Counting ---------------------------------------------------------------------------------

    def _active(self, skip=None):
        """{filter name: cleaned value} of the filters in use, the sort aside."""
        return {
            name: value
            for name, value in self.form.cleaned_data.items()
            if name not in ("sort", skip)
            and value not in (None, "", [], ())
            and not (hasattr(value, "exists") and not value)
        }

    def _kept_scope(self, skip=None):
        """Where the counts under the filters in use but ``skip`` are kept: ("", "") with no
        filter, (facet, value) with one paired facet at one value; None where they are not."""
        if self.subject is None:
            return None
        active = self._active(skip)
        if not active:
            return ("", "")
        if len(active) == 1:
            ((name, value),) = active.items()
            facet = facets_model.SUBJECTS[self.subject]
            paired = {f.name for f in facet.facets if f.paired}
            values = self.filters[name].chosen_values(value) if name in self.facets else []
            if name in paired and len(values) == 1 and (skip is None or skip in paired):
                return (name, values[0])
        return None

    @cached_property
    def result_count(self):
        """(count, exact): the results' number, read where it is kept, else counted up to
        COUNT_CAP (beyond: (COUNT_CAP, False), "10,000+")."""
        if not self.is_valid():
            return 0, True
        scope = self._kept_scope()
        if scope is not None:
            by_facet, by_value = scope
            return facets_model.FacetCount.objects.total(
                self.subject, facet=by_facet, value=by_value
            ), True
        found = count_up_to(self.qs, COUNT_CAP)
        return min(found, COUNT_CAP), found <= COUNT_CAP

    def _option(self, name, value, url_value, label, count, chosen, at_least=False):
        return FacetOption(
            value=url_value,
            label=label,
            count=count,
            active=value in chosen,
            url=self.toggle_url(name, url_value),
            at_least=at_least,
        )

    def _sample(self, *, skip):
        """(ids, all of them): the results under every filter but ``skip``, all of them while
        they are at most LIVE_LIMIT, else LIVE_LIMIT of them (in no particular order: the
        cheapest to find). One query, shared by every facet counted on the same results."""
        key = tuple(sorted(set(self._active(skip))))
        samples = self.__dict__.setdefault("_samples", {})
        if key not in samples:
            base = self.filter_queryset(self.queryset.all(), skip=skip).order_by()
            ids = list(base.values_list("pk", flat=True)[: LIVE_LIMIT + 1])
            samples[key] = (ids[:LIVE_LIMIT], len(ids) <= LIVE_LIMIT)
        return samples[key]

    def facet_rows(self, name, *, limit, after=None):
        """([(stored value, count)], at_least, note) of facet ``name`` under the other filters,
        most counted first, at most ``limit`` after the ``after`` count-value cursor."""
        facet_filter = self.filters[name]
        scope = self._kept_scope(skip=name)
        if scope is not None:
            rows = facets_model.FacetCount.objects.top(
                self.subject, name, by=scope, limit=limit, after=after
            )
            return rows, False, ""
        ids, few = self._sample(skip=name)
        base = self.queryset.model._base_manager.filter(pk__in=ids)
        path = facet_filter.facet_path
        counted = (
            base.order_by()
            .filter(**{f"{path}__isnull": False})
            .values(path)
            .annotate(n=Count("pk", distinct=facet_filter.lookup_is_many))
            .values_list(path, "n")
        )
        rows = sorted(((str(v), n) for v, n in counted), key=lambda row: (-row[1], row[0]))
        if after is not None:
            rows = [row for row in rows if (-row[1], row[0]) > (-after[0], after[1])]
        note = "" if few else _("Counted among %(n)s of the results.") % {"n": f"{LIVE_LIMIT:,}"}
        return rows[:limit], not few, note

    def facet(self, name, *, limit=TOP_OPTIONS, after=None):
        """Facet ``name``: its options (most counted first), with a link to all of them where
        more exist than shown."""
        self.is_valid()
        facet_filter = self.filters[name]
        if set(self.form.errors) - {name}:
            return Facet(name, str(facet_filter.label), [])
        # A draft value is never offered: read a few more than shown, in case some are.
        rows, at_least, note = self.facet_rows(name, limit=limit + 1 + limit // 2, after=after)
        labels = facet_filter.value_label_pairs([value for value, _count in rows])
        chosen = set(facet_filter.chosen_values(self.form.cleaned_data.get(name)))
        shown = [(value, count) for value, count in rows if value in labels]
        options = [
            self._option(name, value, *labels[value], count, chosen, at_least)
            for value, count in shown[:limit]
        ]
        # The chosen values are always shown, counted or not under the other filters.
        missing = chosen - {value for value, _count in shown[:limit]}
        for value, (url_value, label) in facet_filter.value_label_pairs(sorted(missing)).items():
            count = next((n for v, n in rows if v == value), 0)
            options.append(self._option(name, value, url_value, label, count, chosen, at_least))
        more = len(rows) > limit
        more_url = None
        if more:
            more_url = self.facet_options_url(name)
        return Facet(name, str(facet_filter.label), options, more_url, str(note))

    def facet_options_url(self, name):
        path = reverse(f"negotiations:{self.list_name}-facet", kwargs={"param": name})
        return path + self.url_with()

    @cached_property
    def facet_options(self):
        """Each facet with its top options and their counts under the other valid filters: a
        fixed number of queries per facet, whatever the data size. A facet is empty while
        another filter is invalid, as the results are."""
        return [self.facet(name) for name in self.facets]

    def chips(self):
        """The filters in use, one chip per value, each linking to this list without it."""
        cleaned_data = self.form.cleaned_data if self.is_valid() else {}
        chips = []
        for name, field in self.form.fields.items():
            raw = [v for v in self.data.getlist(name) if v not in (None, "")]
            if name == "sort" or not raw:
                continue
            cleaned = cleaned_data.get(name)
            if name in self.facets and cleaned:
                for url_value, label in self.filters[name].chip_labels(cleaned):
                    chips.append(Chip(name, field.label, label, self.toggle_url(name, url_value)))
                continue
            if name in self.facets:  # invalid: the values as typed
                for value in raw:
                    chips.append(Chip(name, field.label, value, self.toggle_url(name, value)))
                continue
            if cleaned in (None, ""):
                shown = raw[-1]
            elif isinstance(field, forms.ChoiceField):
                shown = dict(field.choices).get(cleaned, cleaned)
            else:
                shown = cleaned
            chips.append(Chip(name, field.label, str(shown), self.url_with(**{name: None})))
        return chips

    # How a filter reads in a title: "Quotes on Rare earths by Scott Bessent".
    TITLE_WORDS = {
        "issue": _("on"),
        "speaker": _("by"),
        "round": _("at"),
        "source": _("cited from"),
        "official": _("with"),
        "outlet": _("from"),
    }

    def description(self, noun):
        """``noun`` (“Quotes”) with the filters in use, in words: “Quotes on Rare earths by
        Scott Bessent (Said on or after: 2025-05-01)”. The filters must be valid."""
        by_param = {}
        for chip in self.chips():
            by_param.setdefault(chip.param, (chip.label, []))[1].append(chip.value)
        words, others = [str(noun)], []
        for param, (label, values) in by_param.items():
            joined = _(" or ").join(values)
            if param in self.TITLE_WORDS:
                words.append(f"{self.TITLE_WORDS[param]} {joined}")
            else:
                others.append(f"{label}: {joined}")
        title = " ".join(words)
        return f"{title} ({'; '.join(others)})" if others else title

    def error_messages(self):
        if self.is_valid():
            return []
        return [
            f"{self.form.fields[name].label}: {message}" if name in self.form.fields else message
            for name, messages in self.form.errors.items()
            for message in messages
        ]


def published(model):
    return model.objects.published()


# Parameters that choose a page, an order or a format of a list, not which records it holds.
NOT_FILTERS = ("page", "after", "before", "format", "sort", "options_after")


def filters_only(query):
    """A copy of a list's query parameters with only its filters: what its feed and its
    canonical address keep."""
    query = query.copy()
    for param in NOT_FILTERS:
        query.pop(param, None)
    return query


class EvidenceFilter(FacetedFilterSet):
    """What quotes and claims are both filtered by: their issues, round and sources."""

    issue = SlugChoiceFilter(
        queryset=published(StickingPoint),
        field_name="sticking_points",
        label=_("Issue"),
        noun=_("issue"),
        lookup="exists",
    )
    round = SlugChoiceFilter(
        queryset=published(Round),
        field_name="round",
        label=_("Round"),
        noun=_("round"),
        label_field="title",
    )
    source = SlugChoiceFilter(
        queryset=published(Source),
        field_name="citations__source",
        label=_("Source"),
        noun=_("source"),
        label_field="title",
        lookup="in",
    )


# A sort is the keyset the list is paged by: (label, columns), "-" for descending; the last
# column is unique, so that every record has one place (``pagination``).

# The records most recently added to the knowledge base first: the order of a list's feed
# (``feeds``), whose "alternate" HTML page is the list in this order. (Claims' "newest" is it.)
ADDED = "added"
ADDED_SORT = (_("Newest added first"), ("-created_at", "-id"))


class QuoteFilter(EvidenceFilter):
    speaker = SlugChoiceFilter(
        queryset=published(Official), field_name="speaker", label=_("Speaker"), noun=_("official")
    )
    verification = ChoiceFacetFilter(choices=Verification.choices, label=_("Verification"))
    said_after = date_filter("said_on", "gte", _("Said on or after"))
    said_before = date_filter("said_on", "lte", _("Said on or before"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), ("-said_key", "-id")),
            "oldest": (_("Oldest first"), ("said_key", "id")),
            ADDED: ADDED_SORT,
        }
    )

    retired_sorts = {
        "speaker": _(
            "Quotes are no longer sorted by speaker (no index could page a million quotes in "
            "that order): choose speakers in the Speaker filter. Showing the newest first."
        )
    }
    facets = ("speaker", "issue", "round", "verification", "source")
    subject = "quote"
    keyset = True
    list_name = "quote"

    class Meta:
        model = Quote
        fields = []
        form = ListForm


class ClaimFilter(EvidenceFilter):
    status = ChoiceFacetFilter(choices=ClaimStatus.choices, label=_("Status"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), ("-created_at", "-id")),
            "oldest": (_("Oldest first"), ("created_at", "id")),
            "as_of": (_("By as-of date"), ("-as_of_key", "-id")),
        }
    )

    facets = ("status", "issue", "round", "source")
    subject = "claim"
    keyset = True
    list_name = "claim"

    class Meta:
        model = Claim
        fields = []
        form = ListForm


class RoundFilter(FacetedFilterSet):
    """Rounds are few (hundreds): counted on the results themselves."""

    issue = SlugChoiceFilter(
        queryset=published(StickingPoint),
        field_name="agenda_items__sticking_point",
        label=_("Issue"),
        noun=_("issue"),
        lookup="in",
    )
    official = SlugChoiceFilter(
        queryset=published(Official),
        field_name="participants__official",
        label=_("Official"),
        noun=_("official"),
        lookup="in",
    )
    year = YearFilter(field_name="start_on__year", label=_("Year"))
    kind = ChoiceFacetFilter(choices=RoundKind.choices, label=_("Kind"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), (F("start_on").desc(nulls_last=True), "title", "id")),
            "oldest": (_("Oldest first"), (F("start_on").asc(nulls_last=True), "title", "id")),
            ADDED: ADDED_SORT,
        }
    )

    facets = ("kind", "issue", "official")
    list_name = "round"

    class Meta:
        model = Round
        fields = []
        form = ListForm


class SourceFilter(FacetedFilterSet):
    outlet = SlugChoiceFilter(
        queryset=Outlet.objects.all(), field_name="outlet", label=_("Outlet"), noun=_("outlet")
    )
    reliability = ChoiceFacetFilter(choices=Reliability.choices, label=_("Reliability"))
    published_after = date_filter("published_on", "gte", _("Published on or after"))
    published_before = date_filter("published_on", "lte", _("Published on or before"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), ("-published_key", "-id")),
            "oldest": (_("Oldest first"), ("published_key", "id")),
            "title": (_("Title"), ("title", "id")),
            ADDED: ADDED_SORT,
        }
    )

    facets = ("outlet", "reliability")
    subject = "source"
    keyset = True
    list_name = "source"

    class Meta:
        model = Source
        fields = []
        form = ListForm


class OfficialFilter(FacetedFilterSet):
    country = ChoiceFacetFilter(choices=Side.choices, label=_("Country or side"))
    q = TextSearchFilter()
    sort = SortFilter({"name": (_("Name"), ("name", "id")), ADDED: ADDED_SORT})

    facets = ("country",)
    list_name = "official"

    class Meta:
        model = Official
        fields = []
        form = ListForm
