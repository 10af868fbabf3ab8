"""Claims: factual assertions made by sources, whose status follows from their citations."""

from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import (
    DatePrecision,
    PublicationState,
    PublishableModel,
    PublishableQuerySet,
    partial_date_constraints,
    published_prefetch,
)
from .citations import Citation, Stance
from .issues import StickingPoint
from .people import Official
from .rounds import Round


class ClaimUnit(models.TextChoices):
    PERCENT = "percent", _("Percent")
    USD = "usd", _("US dollars")
    PEOPLE = "people", _("People")
    COUNT = "count", _("Count")


class ClaimStatus(models.TextChoices):
    CORROBORATED = "corroborated", _("Corroborated")
    SINGLE_SOURCE = "single_source", _("Single source")
    DISPUTED = "disputed", _("Disputed")


CLAIM_STATUS_EXPLANATIONS = {
    ClaimStatus.CORROBORATED: _(
        "At least two independent sources support this claim and none disputes it."
    ),
    ClaimStatus.SINGLE_SOURCE: _(
        "Only one independent source supports this claim so far; none disputes it."
    ),
    ClaimStatus.DISPUTED: _("At least one source disputes this claim."),
}


class ClaimQuerySet(PublishableQuerySet):
    search_fields = ("text",)

    def for_display(self):
        """Claims with their status and what every public page shows of them."""
        return (
            self.with_status()
            .select_related("round")
            .prefetch_related(
                published_prefetch("sticking_points", StickingPoint.objects),
                published_prefetch("officials", Official.objects),
                models.Prefetch("citations", queryset=Citation.objects.public()),
            )
        )

    def with_status(self):
        """Annotate each claim with its independent supporting sources, disputes and status.

        Only published sources count, and a source that copies or rewrites another supporting
        source (``derived_from``) adds nothing: two copies of one report are one source.
        """
        published = PublicationState.PUBLISHED
        supports = models.Q(stance=Stance.SUPPORTS, source__state=published)
        copy_of_another_supporter = Citation.objects.filter(
            supports,
            claim=models.OuterRef("claim"),
            source__derivatives=models.OuterRef("source"),
        )
        independent = (
            Citation.objects.filter(supports, claim=models.OuterRef("pk"))
            .exclude(models.Exists(copy_of_another_supporter))
            .order_by()
            .values("claim")
            .annotate(n=models.Count("source", distinct=True))
            .values("n")
        )
        disputing = (
            Citation.objects.filter(
                claim=models.OuterRef("pk"), stance=Stance.DISPUTES, source__state=published
            )
            .order_by()
            .values("claim")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            independent_sources=Coalesce(models.Subquery(independent), 0),
            disputing_citations=Coalesce(models.Subquery(disputing), 0),
        ).annotate(
            status=models.Case(
                models.When(disputing_citations__gt=0, then=models.Value(ClaimStatus.DISPUTED)),
                models.When(
                    independent_sources__gte=2, then=models.Value(ClaimStatus.CORROBORATED)
                ),
                default=models.Value(ClaimStatus.SINGLE_SOURCE),
                output_field=models.CharField(),
            )
        )


class Claim(PublishableModel):
    """A factual assertion made by sources; its standing follows from its citations."""

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
    as_of = models.DateField(_("as of"), null=True, blank=True)
    as_of_precision = models.CharField(
        _("as of: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )

    history = HistoricalRecords(m2m_fields=[sticking_points, officials])

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        permissions = [("publish_claim", _("Can publish and unpublish claims"))]
        constraints = [
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
                # Tariffs above 100% are real (145% in 2025); above 1000% is a typo.
                condition=~models.Q(unit="percent") | models.Q(value__gte=0, value__lte=1000),
                name="claim_percent_in_range",
                violation_error_message=_("A percentage must be between 0 and 1000."),
            ),
            *partial_date_constraints("claim", "as_of", "as_of_precision"),
        ]

    def __str__(self):
        return Truncator(self.text).chars(100)

    def get_absolute_url(self):
        return reverse("negotiations:claim-detail", kwargs={"pk": self.pk})

    def current_status(self):
        """The status, from the ``with_status()`` annotation where the claim was fetched with
        it, otherwise derived now from its stored citations."""
        if not hasattr(self, "status"):
            derived = type(self).objects.with_status().filter(pk=self.pk)
            self.status = derived.values_list("status", flat=True).first() or (
                ClaimStatus.SINGLE_SOURCE
            )
        return ClaimStatus(self.status)

    def get_status_display(self):
        return self.current_status().label

    @property
    def status_explanation(self):
        return CLAIM_STATUS_EXPLANATIONS[self.current_status()]

    def citations_by_stance(self):
        """(stance label, its citations) for each stance, from the prefetched citations."""
        citations = list(self.citations.all())
        return [
            (label, [c for c in citations if c.stance == stance])
            for stance, label in Stance.choices
        ]
