"""Claims: factual assertions made by sources, whose status follows from their citations."""

from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..paths import record_path
from .base import (
    DatePrecision,
    PublishableModel,
    PublishableQuerySet,
    date_order_key,
    format_partial_date,
    partial_date_constraints,
    published_prefetch,
    seed_key_constraint,
    seed_key_field,
)
from .citations import Citation, Stance
from .issues import StickingPoint
from .people import Official
from .rounds import Round


def plain_number(value):
    """A Decimal as a JSON or CSV number: 30, 295000000000, 30.5 (never “3E+1”)."""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else float(normal)


def readable_number(value):
    """A Decimal for reading: “30”, “30.5”, “300,000”, “295 billion”, “1.5 trillion”."""
    number = plain_number(value)
    for size, word in ((10**12, "trillion"), (10**9, "billion"), (10**6, "million")):
        if abs(number) >= size:
            scaled = number / size
            shown = f"{scaled:,.2f}".rstrip("0").rstrip(".")
            return f"{shown} {word}"
    return f"{number:,}"


class ClaimUnit(models.TextChoices):
    PERCENT = "percent", _("Percent")
    USD = "usd", _("US dollars")
    PEOPLE = "people", _("People")
    COUNT = "count", _("Count")


class ValueQualifier(models.TextChoices):
    """How a source states a number: “30%”, “about 30%”, “over 70%”, “nearly $15 billion”."""

    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    AT_LEAST = "at_least", _("at least (over, more than)")
    AT_MOST = "at_most", _("at most (nearly, under)")


QUALIFIER_WORDS = {
    ValueQualifier.EXACT: "",
    ValueQualifier.ABOUT: _("about"),
    ValueQualifier.AT_LEAST: _("at least"),
    ValueQualifier.AT_MOST: _("at most"),
}


class ClaimMeasure(models.TextChoices):
    """What a claim's number measures, where a chart draws it (``pictures.tariffs``): a
    claim's text says it in words, this says it to the chart. Empty: drawn nowhere."""

    US_TARIFFS_ON_CHINA = "us_tariffs_on_china", _("US tariffs on Chinese goods")
    CHINA_TARIFFS_ON_US = "china_tariffs_on_us", _("China’s tariffs on US goods")
    TARIFFS_BOTH_WAYS = (
        "tariffs_both_ways",
        _("Tariffs both ways (each side’s on the other’s goods)"),
    )


# The series of the tariff-rate chart, and the measures each draws: a claim about the
# tariffs both ways is drawn in both.
TARIFF_SERIES = {
    ClaimMeasure.US_TARIFFS_ON_CHINA: (
        ClaimMeasure.US_TARIFFS_ON_CHINA,
        ClaimMeasure.TARIFFS_BOTH_WAYS,
    ),
    ClaimMeasure.CHINA_TARIFFS_ON_US: (
        ClaimMeasure.CHINA_TARIFFS_ON_US,
        ClaimMeasure.TARIFFS_BOTH_WAYS,
    ),
}


class ClaimStatus(models.TextChoices):
    CORROBORATED = "corroborated", _("Corroborated")
    SINGLE_SOURCE = "single_source", _("Single source")
    DISPUTED = "disputed", _("Disputed")
    UNSUPPORTED = "unsupported", _("Unsupported")


CLAIM_STATUS_EXPLANATIONS = {
    ClaimStatus.CORROBORATED: _(
        "At least two independent origins support this claim and none disputes it: sources "
        "that copy or rewrite the same report count once."
    ),
    ClaimStatus.SINGLE_SOURCE: _(
        "Only one independent origin supports this claim so far; none disputes it. Check that "
        "source’s reliability beside its citation."
    ),
    ClaimStatus.DISPUTED: _("At least one published source disputes this claim."),
    ClaimStatus.UNSUPPORTED: _(
        "No published source supports this claim with a passage that is still in its text; "
        "sources only mention it."
    ),
}


class ClaimQuerySet(PublishableQuerySet):
    facet_subject = "claim"
    counted_fields = ("state", "status", "round")

    def for_list(self):
        """What a list's item shows: the claim's own fields, and how many
        citations a visitor may follow (``public_citation_count``), not the citations."""
        return self.all().annotate(public_citations=Citation.objects.public_count("claim"))

    def for_display(self):
        """Claims with what every public page shows of them: round, published issues and
        officials, and citations a reader can follow."""
        return self.select_related("round").prefetch_related(
            published_prefetch("sticking_points", StickingPoint.objects),
            published_prefetch("officials", Official.objects),
            # Ordered by claim first, as its index is (see ``Citation.public``).
            models.Prefetch(
                "citations",
                queryset=Citation.objects.public().order_by("claim_id", "source", "start", "id"),
            ),
        )

    def charted(self):
        """Claims whose number a chart draws (``measure`` set), through the partial index."""
        return self.exclude(measure="")

    def for_tariff_series(self, series, *, limit):
        """A series of the tariff-rate chart (a ``TARIFF_SERIES`` key): its published claims,
        the latest ``limit`` by as-of date (then id), with only the columns the chart draws,
        oldest first. One query, read from the (state, measure, as_of_key) index."""
        rows = (
            self.published()
            .filter(measure__in=TARIFF_SERIES[series])
            .only(
                "id",
                "text",
                "value",
                "unit",
                "value_qualifier",
                "as_of",
                "as_of_precision",
                "status",
                "measure",
            )
            .order_by("-as_of_key", "-id")[:limit]
        )
        return list(reversed(rows))


class Claim(PublishableModel):
    """A factual assertion made by sources; its standing follows from its citations."""

    # Dates known to a precision (``settle_partial_dates``, ``partial_date_constraints``).
    partial_dates = (("as_of", "as_of_precision"),)

    # State, and the derived status should a restored version bring back an old one.
    watched_fields = ("state", "status", "independent_sources", "round")  # round: facets

    text = models.TextField(
        _("claim"),
        help_text=_(
            "In neutral words, for example “US tariffs on Chinese goods fell from 145% to 30%”."
        ),
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        verbose_name=_("round"),
    )
    sticking_points = models.ManyToManyField(
        StickingPoint, blank=True, related_name="claims", verbose_name=_("sticking points")
    )
    officials = models.ManyToManyField(
        Official,
        blank=True,
        related_name="claims",
        verbose_name=_("officials"),
        help_text=_("The officials the claim is about."),
    )
    value = models.DecimalField(
        _("value"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Where the claim is a number, for example 30 for a 30% tariff."),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=ClaimUnit, blank=True)
    value_qualifier = models.CharField(
        _("as stated"),
        max_length=10,
        choices=ValueQualifier,
        blank=True,
        help_text=_(
            "How the source states the number: exactly “30%”, “about 30%”, “over 70%” (at least), "
            "“nearly $15 billion” (at most). Needed with a value."
        ),
    )
    measure = models.CharField(
        _("what the number measures"),
        max_length=30,
        choices=ClaimMeasure,
        blank=True,
        help_text=_(
            "Where a chart should draw the value: for example “US tariffs on Chinese goods” for "
            "“US tariffs on Chinese goods fell to 30%”. Needs a value in percent and an as-of "
            "date. Leave empty for a number no chart draws."
        ),
    )
    as_of = models.DateField(_("as of"), null=True, blank=True)
    as_of_precision = models.CharField(
        _("as of: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    as_of_key = date_order_key("as_of")

    status = models.CharField(
        _("status"),
        max_length=15,
        choices=ClaimStatus,
        default=ClaimStatus.UNSUPPORTED,
        editable=False,
        db_index=True,
        help_text=_("Derived from the citations, never typed."),
    )
    independent_sources = models.PositiveIntegerField(
        _("independent origins"),
        default=0,
        editable=False,
        help_text=_(
            "Supporting published sources, counting once those that copy or rewrite the same "
            "report. Derived, never typed."
        ),
    )

    seed_key = seed_key_field()
    history = HistoricalRecords(
        m2m_fields=[sticking_points, officials], excluded_fields=["as_of_key"]
    )

    objects = ClaimQuerySet.as_manager()

    class Meta:
        # Newest first: the order lists of claims are paged in, read from the indexes below.
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "created_at", "id"], name="claim_state_created_idx"),
            models.Index(
                fields=["state", "status", "created_at", "id"], name="claim_state_status_idx"
            ),
            models.Index(
                fields=["state", "round", "created_at", "id"], name="claim_state_round_idx"
            ),
            models.Index(fields=["state", "as_of_key", "id"], name="claim_state_as_of_idx"),
            # The tariff-rate chart's series: the few charted claims among a million.
            models.Index(
                fields=["state", "measure", "as_of_key", "id"],
                condition=~models.Q(measure=""),
                name="claim_measure_as_of_idx",
            ),
        ]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        permissions = [("publish_claim", _("Can publish and unpublish claims"))]
        constraints = [
            seed_key_constraint("claim"),
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="claim_text_not_empty",
                violation_error_message=_("A claim needs its text."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True, unit="")
                | (models.Q(value__isnull=False) & ~models.Q(unit="")),
                name="claim_value_has_unit",
                violation_error_message=_("A value needs its unit, and a unit needs a value."),
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True, value_qualifier="")
                | (models.Q(value__isnull=False) & ~models.Q(value_qualifier="")),
                name="claim_value_has_qualifier",
                violation_error_message=_(
                    "Say how the source states the value (exactly, about, at least, at most); "
                    "without a value, leave it empty."
                ),
            ),
            models.CheckConstraint(
                # Tariffs above 100% are real (145% in 2025); above 1000% is a typo.
                condition=~models.Q(unit="percent") | models.Q(value__gte=0, value__lte=1000),
                name="claim_percent_in_range",
                violation_error_message=_("A percentage must be between 0 and 1000."),
            ),
            models.CheckConstraint(
                # Every measure is a tariff rate: a chart places it by its date and percent.
                condition=models.Q(measure="")
                | models.Q(unit="percent", value__isnull=False, as_of__isnull=False),
                name="claim_measure_is_dated_percent",
                violation_error_message=_(
                    "A number a chart draws (what the number measures) needs a value in "
                    "percent and an as-of date."
                ),
            ),
            *partial_date_constraints("claim", "as_of", "as_of_precision"),
        ]

    def __str__(self):
        return Truncator(self.text).chars(100)

    @property
    def public_citation_count(self):
        """How many citations a visitor may follow: counted by the list's query where it was
        (``for_list``), else from the citations loaded with the record."""
        counted = self.__dict__.get("public_citations")
        return counted if counted is not None else len(self.citations.all())

    def get_absolute_url(self):
        return record_path("negotiations:claim-detail", "pk", self.pk)

    @property
    def public_round(self):
        """The round, when the public may see it (a draft is never named)."""
        return self.round if self.round_id and self.round.is_published else None

    @property
    def status_explanation(self):
        return CLAIM_STATUS_EXPLANATIONS[ClaimStatus(self.status)]

    @property
    def value_display(self):
        """The value as a reader writes it: “30%”, “at least 70%”, “$295 billion”, “300,000
        people”, “5”; empty without a value."""
        if self.value is None:
            return ""
        amount = readable_number(self.value)
        shown = {
            ClaimUnit.PERCENT: f"{amount}%",
            ClaimUnit.USD: f"${amount}",
            ClaimUnit.PEOPLE: _("%(n)s people") % {"n": amount},
        }.get(self.unit, amount)
        words = QUALIFIER_WORDS.get(self.value_qualifier, "")
        return f"{words} {shown}" if words else str(shown)

    @property
    def as_of_display(self):
        return format_partial_date(self.as_of, self.as_of_precision) if self.as_of else ""

    def citations_by_stance(self):
        """(stance label, its citations) for each stance, from the prefetched citations."""
        citations = list(self.citations.all())
        return [
            (label, [c for c in citations if c.stance == stance])
            for stance, label in Stance.choices
        ]
