"""The FilterSets of the public lists. Parameter names are fixed by PRODUCT.md.

Every FilterSet here is strict: an invalid value (a malformed date, an unknown slug) gives an
empty result and a message naming the problem, never a silently ignored filter.
"""

from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Count, F, Q
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


@dataclass(frozen=True)
class Facet:
    """A filter whose options are shown with the count of results each would give."""

    param: str
    label: str
    value_path: str  # the value as it appears in the URL, e.g. "speaker__slug"
    label_path: str  # what a reader sees, e.g. "speaker__name"
    choices: dict | None = None  # labels for a choice field's stored values
    state_path: str | None = None  # the option's publication state: drafts are never offered


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    active: bool
    url: str  # this page with the option chosen (or, when active, removed)


@dataclass(frozen=True)
class Chip:
    param: str
    label: str
    value: str
    remove_url: str


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its slug; an unknown slug is an error the reader sees."""

    def __init__(self, *args, noun, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)
        self.extra["error_messages"] = {
            "invalid_choice": _("There is no published %(noun)s “%%(value)s”.") % {"noun": noun}
        }


def words_match(fields, words):
    """A condition: every word appears (any case) in at least one of the fields."""
    condition = Q()
    for word in words:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


class TextSearchFilter(django_filters.CharFilter):
    """Every word must appear in one of the given fields (case-insensitive)."""

    def __init__(self, *args, search_fields, **kwargs):
        self.search_fields = search_fields
        kwargs.setdefault("label", _("Words"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        words = (value or "").split()
        if not words:
            return qs
        qs = qs.filter(words_match(self.search_fields, words))
        return qs.distinct() if any("__" in f for f in self.search_fields) else qs


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
    facets: tuple[Facet, ...] = ()
    sort_options: dict[str, tuple[str, ...]] = {}

    sort = django_filters.CharFilter(method="apply_sort", label=_("Sort"))

    def apply_sort(self, queryset, name, value):
        return queryset.order_by(*self.sort_options[value][1])

    def sort_choices(self):
        return [(key, label) for key, (label, _ordering) in self.sort_options.items()]

    def is_valid(self):
        valid = super().is_valid()
        sort = self.form.cleaned_data.get("sort") if valid else None
        if sort and sort not in self.sort_options:
            self.form.add_error("sort", _("There is no sort order “%(sort)s”.") % {"sort": sort})
            return False
        return valid

    @property
    def qs(self):
        """Strict: invalid input filters out everything rather than being ignored.

        Without a ``sort`` the first sort option applies, so every page is in a stable order.
        """
        if not hasattr(self, "_strict_qs"):
            if not self.is_valid():
                self._strict_qs = self.queryset.none()
            else:
                queryset = super().qs
                if not self.form.cleaned_data.get("sort"):
                    default = next(iter(self.sort_options.values()))[1]
                    queryset = queryset.order_by(*default)
                self._strict_qs = queryset
        return self._strict_qs

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
        facet_params = {facet.param for facet in self.facets}
        return [self.form[name] for name in self.form.fields if name not in facet_params | {"sort"}]

    def hidden_facets(self):
        """Active facet choices, carried through when the search form is submitted."""
        return [
            (facet.param, self.data[facet.param])
            for facet in self.facets
            if self.data.get(facet.param)
        ] + ([("sort", self.data["sort"])] if self.data.get("sort") else [])

    def without(self, param):
        """The same FilterSet with one parameter removed: the base for that facet's counts."""
        data = self.data.copy()
        data.pop(param, None)
        return type(self)(data, queryset=self.queryset, request=self.request)

    def facet_options(self):
        """For each facet, its options with counts under the other active filters.

        One query per facet, whatever the data size.
        """
        options = []
        active_values = {facet.param: self.data.get(facet.param) for facet in self.facets}
        for facet in self.facets:
            base = self.without(facet.param).qs
            paths = dict.fromkeys([facet.value_path, facet.label_path])
            published_options = {facet.state_path: "published"} if facet.state_path else {}
            rows = (
                base.order_by()
                .filter(**published_options)
                .exclude(**{f"{facet.value_path}__isnull": True})
                .values(*paths)
                .annotate(count=Count("pk", distinct=True))
                .order_by(facet.label_path)
            )
            found = []
            for row in rows:
                value = str(row[facet.value_path])
                label = row[facet.label_path]
                if facet.choices:
                    label = facet.choices.get(label, label)
                active = active_values[facet.param] == value
                found.append(
                    FacetOption(
                        value=value,
                        label=str(label),
                        count=row["count"],
                        active=active,
                        url=self.url_with(**{facet.param: None if active else value}),
                    )
                )
            options.append((facet, found))
        return options

    def active_filters(self):
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


# Quotes and claims are both faceted by the issues they concern, their round and their sources.
EVIDENCE_FACETS = (
    Facet(
        "issue",
        _("Issue"),
        "sticking_points__slug",
        "sticking_points__name",
        state_path="sticking_points__state",
    ),
    Facet("round", _("Round"), "round__slug", "round__title", state_path="round__state"),
    Facet(
        "source",
        _("Source"),
        "citations__source__slug",
        "citations__source__title",
        state_path="citations__source__state",
    ),
)


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
        queryset=published(Round), field_name="round", label=_("Round"), noun=_("round")
    )
    source = SlugChoiceFilter(
        queryset=published(Source),
        field_name="citations__source",
        label=_("Source"),
        noun=_("source"),
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
    q = TextSearchFilter(search_fields=["text", "setting", "speaker__name", "speaker__native_name"])

    facets = (
        Facet(
            "speaker", _("Speaker"), "speaker__slug", "speaker__name", state_path="speaker__state"
        ),
        *EVIDENCE_FACETS,
    )
    sort_options = {
        "newest": (_("Newest first"), (F("said_on").desc(nulls_last=True), "id")),
        "oldest": (_("Oldest first"), (F("said_on").asc(nulls_last=True), "id")),
        "speaker": (_("Speaker"), ("speaker__name", F("said_on").desc(nulls_last=True), "id")),
    }

    class Meta:
        model = Quote
        fields = []


class ClaimFilter(EvidenceFilter):
    status = django_filters.ChoiceFilter(
        choices=ClaimStatus.choices, label=_("Status"), field_name="status"
    )
    q = TextSearchFilter(search_fields=["text"])

    facets = (
        Facet("status", _("Status"), "status", "status", dict(ClaimStatus.choices)),
        *EVIDENCE_FACETS,
    )
    sort_options = {
        "newest": (_("Newest first"), ("-created_at", "-id")),
        "oldest": (_("Oldest first"), ("created_at", "id")),
        "as_of": (_("By as-of date"), (F("as_of").desc(nulls_last=True), "-id")),
    }

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
    year = django_filters.NumberFilter(
        field_name="start_on__year",
        label=_("Year"),
        error_messages={"invalid": _("Give a year as four digits, for example 2025.")},
    )
    kind = django_filters.ChoiceFilter(choices=RoundKind.choices, label=_("Kind"))
    q = TextSearchFilter(search_fields=["title", "city", "country", "summary", "outcome"])

    facets = (
        Facet("kind", _("Kind"), "kind", "kind", dict(RoundKind.choices)),
        Facet(
            "issue",
            _("Issue"),
            "agenda_items__sticking_point__slug",
            "agenda_items__sticking_point__name",
            state_path="agenda_items__sticking_point__state",
        ),
        Facet(
            "official",
            _("Official"),
            "participants__official__slug",
            "participants__official__name",
            state_path="participants__official__state",
        ),
    )
    sort_options = {
        "newest": (_("Newest first"), (F("start_on").desc(nulls_last=True), "title")),
        "oldest": (_("Oldest first"), (F("start_on").asc(nulls_last=True), "title")),
    }

    class Meta:
        model = Round
        fields = []


class SourceFilter(FacetedFilterSet):
    outlet = SlugChoiceFilter(
        queryset=Outlet.objects.all(), field_name="outlet", label=_("Outlet"), noun=_("outlet")
    )
    reliability = django_filters.ChoiceFilter(choices=Reliability.choices, label=_("Reliability"))
    published_after = date_filter("published_on", "gte", _("Published on or after"))
    published_before = date_filter("published_on", "lte", _("Published on or before"))
    q = TextSearchFilter(search_fields=["title", "body", "author", "outlet__name"])

    facets = (
        Facet("outlet", _("Outlet"), "outlet__slug", "outlet__name"),
        Facet(
            "reliability", _("Reliability"), "reliability", "reliability", dict(Reliability.choices)
        ),
    )
    sort_options = {
        "newest": (_("Newest first"), (F("published_on").desc(nulls_last=True), "title")),
        "oldest": (_("Oldest first"), (F("published_on").asc(nulls_last=True), "title")),
        "title": (_("Title"), ("title",)),
    }

    class Meta:
        model = Source
        fields = []


class OfficialFilter(FacetedFilterSet):
    country = django_filters.ChoiceFilter(choices=Side.choices, label=_("Country or side"))
    q = TextSearchFilter(search_fields=["name", "native_name", "positions__title"])

    facets = (Facet("country", _("Country or side"), "country", "country", dict(Side.choices)),)
    sort_options = {"name": (_("Name"), ("name",))}

    class Meta:
        model = Official
        fields = []
