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
from django.db.models import Count, F
from django.http import QueryDict
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .models import (
    Claim,
    ClaimStatus,
    Official,
    Outlet,
    PublicationState,
    Quote,
    Reliability,
    Round,
    RoundKind,
    Side,
    Source,
    StickingPoint,
    Verification,
)
from .models.base import PublishableModel


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool
    url: str  # this page with the option chosen (or, when active, removed)


@dataclass(frozen=True)
class Facet:
    param: str
    label: str
    options: list[FacetOption]


@dataclass(frozen=True)
class Chip:
    param: str
    label: str
    value: str
    remove_url: str


def _counted(queryset, value_path, label_path):
    """(value, label, count) rows of ``queryset`` grouped by ``value_path``."""
    paths = dict.fromkeys([value_path, label_path])
    rows = (
        queryset.order_by()
        .exclude(**{f"{value_path}__isnull": True})
        .values(*paths)
        .annotate(count=Count("pk", distinct=True))
        .order_by(label_path)
    )
    return [(row[value_path], row[label_path], row["count"]) for row in rows]


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its slug; an unknown slug is an error the reader sees.

    As a facet, its options are the records the results point at, named by ``label_field``;
    draft records are never offered.
    """

    def __init__(self, *args, noun, label_field="name", **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)
        self.label_field = label_field
        self.extra["error_messages"] = {
            "invalid_choice": _("There is no published %(noun)s “%%(value)s”.") % {"noun": noun}
        }

    def facet_rows(self, queryset):
        if issubclass(self.queryset.model, PublishableModel):
            queryset = queryset.filter(**{f"{self.field_name}__state": PublicationState.PUBLISHED})
        return [
            (str(value), str(label), count)
            for value, label, count in _counted(
                queryset, f"{self.field_name}__slug", f"{self.field_name}__{self.label_field}"
            )
        ]


class ChoiceFacetFilter(django_filters.ChoiceFilter):
    """One of a field's choices; as a facet, each choice found in the results, by its label."""

    def facet_rows(self, queryset):
        labels = dict(self.extra["choices"])
        return [
            (str(value), str(labels.get(value, value)), count)
            for value, _label, count in _counted(queryset, self.field_name, self.field_name)
        ]


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


class FacetedFilterSet(django_filters.FilterSet):
    """A list's filters: validated once, then used for the results, the facet counts and the
    chips alike. Every FilterSet here declares ``sort`` and names its ``facets``."""

    facets: tuple[str, ...] = ()

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that the default sort applies to a page without parameters too.
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)

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

    def url_with(self, **changes):
        """This list's query string with some parameters set (None removes one); page reset."""
        query = self.data.copy()
        query.pop("page", None)
        query.pop("format", None)
        for param, value in changes.items():
            if value is None:
                query.pop(param, None)
            else:
                query[param] = value
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"

    def form_fields(self):
        """The fields typed rather than clicked: words, dates (facets are links)."""
        return [self.form[name] for name in self.form.fields if name not in {*self.facets, "sort"}]

    def hidden_facets(self):
        """Active facet choices and sort, carried through when the search form is submitted."""
        return [
            (param, self.data[param]) for param in (*self.facets, "sort") if self.data.get(param)
        ]

    @cached_property
    def facet_options(self):
        """Each facet with its options and their counts under the other valid filters.

        One query per facet, whatever the data size. A facet is empty while another filter
        is invalid, as the results are.
        """
        self.is_valid()
        invalid = set(self.form.errors)
        facets = []
        for name in self.facets:
            facet_filter = self.filters[name]
            rows = []
            if not invalid - {name}:
                base = self.filter_queryset(self.queryset.all(), skip=name)
                rows = facet_filter.facet_rows(base)
            chosen = self.data.get(name)
            options = [
                FacetOption(
                    value=value,
                    label=label,
                    count=count,
                    active=chosen == value,
                    url=self.url_with(**{name: None if chosen == value else value}),
                )
                for value, label, count in rows
            ]
            facets.append(Facet(name, str(facet_filter.label), options))
        return facets

    def chips(self):
        """The filters in use, as chips that each link to this list without them."""
        cleaned_data = self.form.cleaned_data if self.is_valid() else {}
        chips = []
        for name, field in self.form.fields.items():
            value = self.data.get(name)
            if name == "sort" or value in (None, ""):
                continue
            cleaned = cleaned_data.get(name)
            if cleaned in (None, "") or hasattr(cleaned, "pk"):
                shown = cleaned or value
            elif isinstance(field, forms.ChoiceField):
                shown = dict(field.choices).get(cleaned, cleaned)
            else:
                shown = cleaned
            chips.append(Chip(name, field.label, str(shown), self.url_with(**{name: None})))
        return chips

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


class EvidenceFilter(FacetedFilterSet):
    """What quotes and claims are both filtered by: their issues, round and sources."""

    issue = SlugChoiceFilter(
        queryset=published(StickingPoint),
        field_name="sticking_points",
        label=_("Issue"),
        noun=_("issue"),
        distinct=True,
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
        distinct=True,
    )


class QuoteFilter(EvidenceFilter):
    speaker = SlugChoiceFilter(
        queryset=published(Official), field_name="speaker", label=_("Speaker"), noun=_("official")
    )
    verification = django_filters.ChoiceFilter(
        choices=Verification.choices, label=_("Verification")
    )
    said_after = date_filter("said_on", "gte", _("Said on or after"))
    said_before = date_filter("said_on", "lte", _("Said on or before"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), (F("said_on").desc(nulls_last=True), "id")),
            "oldest": (_("Oldest first"), (F("said_on").asc(nulls_last=True), "id")),
            "speaker": (_("Speaker"), ("speaker__name", F("said_on").desc(nulls_last=True), "id")),
        }
    )

    facets = ("speaker", "issue", "round", "source")

    class Meta:
        model = Quote
        fields = []


class ClaimFilter(EvidenceFilter):
    status = ChoiceFacetFilter(choices=ClaimStatus.choices, label=_("Status"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), ("-created_at", "-id")),
            "oldest": (_("Oldest first"), ("created_at", "id")),
            "as_of": (_("By as-of date"), (F("as_of").desc(nulls_last=True), "-id")),
        }
    )

    facets = ("status", "issue", "round", "source")

    class Meta:
        model = Claim
        fields = []


class RoundFilter(FacetedFilterSet):
    issue = SlugChoiceFilter(
        queryset=published(StickingPoint),
        field_name="agenda_items__sticking_point",
        label=_("Issue"),
        noun=_("issue"),
        distinct=True,
    )
    official = SlugChoiceFilter(
        queryset=published(Official),
        field_name="participants__official",
        label=_("Official"),
        noun=_("official"),
        distinct=True,
    )
    year = YearFilter(field_name="start_on__year", label=_("Year"))
    kind = ChoiceFacetFilter(choices=RoundKind.choices, label=_("Kind"))
    q = TextSearchFilter()
    sort = SortFilter(
        {
            "newest": (_("Newest first"), (F("start_on").desc(nulls_last=True), "title")),
            "oldest": (_("Oldest first"), (F("start_on").asc(nulls_last=True), "title")),
        }
    )

    facets = ("kind", "issue", "official")

    class Meta:
        model = Round
        fields = []


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
            "newest": (_("Newest first"), (F("published_on").desc(nulls_last=True), "title")),
            "oldest": (_("Oldest first"), (F("published_on").asc(nulls_last=True), "title")),
            "title": (_("Title"), ("title",)),
        }
    )

    facets = ("outlet", "reliability")

    class Meta:
        model = Source
        fields = []


class OfficialFilter(FacetedFilterSet):
    country = ChoiceFacetFilter(choices=Side.choices, label=_("Country or side"))
    q = TextSearchFilter()
    sort = SortFilter({"name": (_("Name"), ("name",))})

    facets = ("country",)

    class Meta:
        model = Official
        fields = []
