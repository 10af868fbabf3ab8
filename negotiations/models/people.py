"""Officials (the people who negotiate or speak for a side) and the posts they held."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..paths import record_path
from ..versioning import VersionedModel
from .base import (
    DatePrecision,
    PublishableModel,
    PublishableQuerySet,
    format_partial_date,
    partial_date_constraints,
    related_model,
    settle_partial_dates,
)
from .facets import kept_count


class Side(models.TextChoices):
    US = "US", _("United States")
    CN = "CN", _("China")
    OTHER = "other", _("Other")


class OfficialQuerySet(PublishableQuerySet):
    def for_display(self):
        """Officials with their positions and how many published quotes they have (read from
        their kept count, ``models.facets``: not counted from the quotes)."""
        return self.prefetch_related("positions").with_quote_count()

    def with_quote_count(self):
        """With ``quote_count``: their published quotes, read from their kept count."""
        return self.annotate(quote_count=kept_count("quote", "speaker"))

    def named_in(self, words):
        """Officials whose name or native-script name holds one of ``words`` (words of an
        article that may name them): the few an attribution there can refer to."""
        condition = models.Q()
        for word in words:
            condition |= models.Q(name__contains=word) | models.Q(native_name__contains=word)
        return self.filter(condition) if words else self.none()

    def with_record(self):
        """For an official's page: their positions and the published rounds they took part
        in, in date order. Their quotes are too many to prefetch: the page shows the first of
        them (``negotiations.evidence``)."""
        participations = related_model(Official, "participations").objects
        return self.prefetch_related(
            "positions",
            models.Prefetch("participations", queryset=participations.in_published_rounds()),
        )


class Official(PublishableModel):
    """A person who negotiates or speaks for a side."""

    watched_fields = ("state",)  # a published quote needs its speaker published

    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("Part of the public address: /officials/<slug>/. For example “li-chenggang”."),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("As written in English, for example “Li Chenggang”.")
    )
    native_name = models.CharField(
        _("name in native script"),
        max_length=200,
        blank=True,
        help_text=_("For example 李成钢."),
    )
    country = models.CharField(_("country or side"), max_length=10, choices=Side, db_index=True)
    summary = models.TextField(_("summary"), blank=True)

    history = HistoricalRecords()

    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        permissions = [("publish_official", _("Can publish and unpublish officials"))]

    def __str__(self):
        if self.native_name:
            return f"{self.name} ({self.native_name})"
        return self.name

    def get_absolute_url(self):
        return record_path("negotiations:official-detail", "slug", self.slug)


class Position(VersionedModel):
    """A post an official held: the title in which they spoke or negotiated."""

    # Dates known to a precision (``settle_partial_dates``, ``partial_date_constraints``).
    partial_dates = (("start_on", "start_precision"), ("end_on", "end_precision"))

    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="positions", verbose_name=_("official")
    )
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For example “Treasury Secretary”.")
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For example “US Department of the Treasury”."),
    )
    start_on = models.DateField(_("from"), null=True, blank=True)
    start_precision = models.CharField(
        _("from: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    end_on = models.DateField(
        _("to"), null=True, blank=True, help_text=_("Leave empty while the post is held.")
    )
    end_precision = models.CharField(
        _("to: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["official", "-start_on", "title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(start_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="position_end_not_before_start",
                violation_error_message=_("A position cannot end before it starts."),
            ),
            *partial_date_constraints("position", "start_on", "start_precision"),
            *partial_date_constraints("position", "end_on", "end_precision"),
        ]

    def __str__(self):
        if self.organisation:
            return f"{self.title}, {self.organisation}"
        return self.title

    @property
    def period_display(self):
        start = format_partial_date(self.start_on, self.start_precision)
        end = format_partial_date(self.end_on, self.end_precision) if self.end_on else ""
        return f"{start} – {end}".strip(" –") if self.start_on or self.end_on else ""

    def clean(self):
        super().clean()
        if errors := settle_partial_dates(self):
            raise ValidationError(errors)
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("A position cannot end before it starts.")})
