"""Rounds (negotiating rounds and leader-level contacts), who took part, and their agenda."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..paths import record_path
from ..versioning import VersionedModel
from .base import (
    ChoiceLabels,
    DatePrecision,
    PublicationState,
    PublishableModel,
    PublishableQuerySet,
    format_partial_date,
    in_the_future,
    partial_date_constraints,
    related_model,
)
from .issues import StickingPoint, kept_count
from .people import Official, Side


class RoundKind(models.TextChoices):
    TALKS = "talks", _("Negotiating round")
    CALL = "call", _("Leaders’ call")
    SUMMIT = "summit", _("Summit")
    MEETING = "meeting", _("Meeting")


class RoundQuerySet(PublishableQuerySet):
    def chronological(self):
        return self.order_by(models.F("start_on").asc(nulls_last=True), "title")

    def for_display(self):
        """Rounds with who took part and their agenda, as the public may see them."""
        return self.prefetch_related(
            models.Prefetch("participants", queryset=Participant.objects.of_published_officials()),
            models.Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.on_published_issues().with_public_citations(),
            ),
        )

    def for_list(self):
        """What the list of rounds shows: each round's agenda on published issues (not who
        took part, nor the agenda's citations, which its page shows)."""
        return self.prefetch_related(
            models.Prefetch("agenda_items", queryset=AgendaItem.objects.on_published_issues())
        )

    def for_timeline(self):
        """What the rounds timeline (``pictures.timeline``) draws of each round, and no more:
        its title, kind, place and dates, in date order (undated rounds last). One query."""
        return self.only(
            "id",
            "slug",
            "title",
            "kind",
            "city",
            "country",
            "start_on",
            "start_precision",
            "end_on",
            "end_precision",
        ).chronological()

    def with_evidence_counts(self):
        """For a round's page: its published ``quote_count`` and ``claim_count``, and the
        published sources cited in it, ``source_count`` (``Source.cited_in_round``), read from
        their kept counts (``models.facets``), not counted."""
        return self.annotate(
            quote_count=kept_count("quote", "round"),
            claim_count=kept_count("claim", "round"),
            source_count=kept_count("source", "round"),
        )


class Round(PublishableModel):
    """A negotiation round or leader-level contact."""

    # Dates known to a precision (``settle_partial_dates``, ``partial_date_constraints``).
    partial_dates = (("start_on", "start_precision"), ("end_on", "end_precision"))

    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "Part of the public address: /rounds/<slug>/. For example “stockholm-talks-2025-07”."
        ),
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("For example “Stockholm trade talks”.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=RoundKind, default=RoundKind.TALKS, db_index=True
    )
    city = models.CharField(
        _("city"),
        max_length=100,
        blank=True,
        help_text=_("For example “Geneva”. Empty for a call."),
    )
    country = models.CharField(
        _("country"), max_length=100, blank=True, help_text=_("For example “Switzerland”.")
    )
    start_on = models.DateField(
        _("start"),
        null=True,
        blank=True,
        help_text=_("For a month only, give its first day and set the precision to month."),
    )
    start_precision = models.CharField(
        _("start: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    end_on = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        _("end: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    summary = models.TextField(_("summary"), blank=True)
    outcome = models.TextField(
        _("outcome"), blank=True, help_text=_("What the sources say came of it.")
    )
    officials = models.ManyToManyField(
        Official, through="Participant", related_name="rounds", verbose_name=_("participants")
    )
    sticking_points = models.ManyToManyField(
        StickingPoint, through="AgendaItem", related_name="rounds", verbose_name=_("agenda")
    )

    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = [models.F("start_on").desc(nulls_last=True), "title"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        permissions = [("publish_round", _("Can publish and unpublish rounds"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_on__isnull=True)
                | models.Q(start_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")),
                name="round_end_not_before_start",
                violation_error_message=_("A round cannot end before it starts."),
            ),
            *partial_date_constraints("round", "start_on", "start_precision"),
            *partial_date_constraints("round", "end_on", "end_precision"),
        ]
        indexes = [
            models.Index(fields=["state", "start_on"], name="round_state_start_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return record_path("negotiations:round-detail", "slug", self.slug)

    @property
    def dates_display(self):
        start = format_partial_date(self.start_on, self.start_precision)
        if not self.end_on or self.end_on == self.start_on:
            return start
        return f"{start} – {format_partial_date(self.end_on, self.end_precision)}"

    def clean(self):
        super().clean()
        if self.start_on and self.end_on and self.end_on < self.start_on:
            raise ValidationError({"end_on": _("A round cannot end before it starts.")})
        if self.outcome:
            future = {
                name: _(
                    "This round has an outcome, so it has taken place: its date cannot be in the future."
                )
                for name in ("start_on", "end_on")
                if in_the_future(getattr(self, name))
            }
            if future:
                raise ValidationError(future)


class ParticipantRole(models.TextChoices):
    LEADER = "leader", _("Leader")
    LEAD_NEGOTIATOR = "lead_negotiator", _("Lead negotiator")
    NEGOTIATOR = "negotiator", _("Negotiator")
    SPOKESPERSON = "spokesperson", _("Spokesperson")
    DELEGATE = "delegate", _("Delegate")


class RoundLinkQuerySet(models.QuerySet):
    """What links a round to an official or an issue: seen from the other end."""

    def in_published_rounds(self):
        """The links to published rounds, in the rounds' date order."""
        return (
            self.filter(round__state=PublicationState.PUBLISHED)
            .select_related("round")
            .order_by("round__start_on", "round__title")
        )


class ParticipantQuerySet(RoundLinkQuerySet):
    def of_published_officials(self):
        """Participants a round's page names: their official is published."""
        return self.filter(official__state=PublicationState.PUBLISHED).select_related("official")


class Participant(ChoiceLabels, VersionedModel):
    """An official's part in a round, on one side and in one role."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="participants", verbose_name=_("round")
    )
    official = models.ForeignKey(
        Official,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("official"),
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    role = models.CharField(
        _("role"), max_length=20, choices=ParticipantRole, default=ParticipantRole.NEGOTIATOR
    )
    note = models.CharField(
        _("note"),
        max_length=500,
        blank=True,
        help_text=_("For example “took part from Beijing, according to one source”."),
    )

    history = HistoricalRecords()

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["round", "side", "role", "official__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "official"],
                name="participant_once_per_round",
                violation_error_message=_("This official is already listed for this round."),
            ),
        ]

    def __str__(self):
        return f"{self.official.name}: {self.get_role_display()} ({self.get_side_display()})"


class AgendaStatus(models.TextChoices):
    RAISED = "raised", _("Raised")
    PROGRESS = "progress", _("Progress")
    STALLED = "stalled", _("Stalled")
    RESOLVED = "resolved", _("Resolved")


class AgendaItemQuerySet(RoundLinkQuerySet):
    def on_published_issues(self):
        """A round's agenda as its page shows it: items on published issues."""
        return self.filter(sticking_point__state=PublicationState.PUBLISHED).select_related(
            "sticking_point", "round"
        )

    def in_published_rounds(self):
        """An issue's history as its page shows it, each item with its issue."""
        return super().in_published_rounds().select_related("sticking_point")

    def for_matrix(self):
        """The issue × round matrix's cells (``pictures.matrix``): every agenda item of a
        published round on a published issue, with its round's and issue's names and dates,
        its status, how many citations a visitor may follow (``public_citations``) and the
        first of them with its source's slug (``first_citation``, ``first_citation_source``),
        which the cell links to. One query, whatever the data's size: no citation is loaded."""
        citations = related_model(AgendaItem, "citations").objects.filter(
            agenda_item=models.OuterRef("pk"), source__state=PublicationState.PUBLISHED
        )
        first = citations.order_by("source", "start", "id")[:1]
        return (
            self.filter(
                round__state=PublicationState.PUBLISHED,
                sticking_point__state=PublicationState.PUBLISHED,
            )
            .annotate(
                public_citations=Coalesce(
                    models.Subquery(
                        citations.order_by()
                        .values("agenda_item")
                        .annotate(n=models.Count("pk"))
                        .values("n")
                    ),
                    0,
                ),
                first_citation=models.Subquery(first.values("pk")),
                first_citation_source=models.Subquery(first.values("source__slug")),
            )
            .values(
                "id",
                "status",
                "public_citations",
                "first_citation",
                "first_citation_source",
                "round_id",
                "round__slug",
                "round__title",
                "round__kind",
                "round__start_on",
                "round__start_precision",
                "sticking_point_id",
                "sticking_point__slug",
                "sticking_point__name",
            )
            .order_by()
        )

    def with_public_citations(self):
        citations = related_model(AgendaItem, "citations").objects.public()
        # Ordered first by agenda item, as its index is: SQLite would otherwise read every
        # citation in (source, start) order to find those few.
        citations = citations.order_by("agenda_item_id", "source", "start", "id")
        return self.prefetch_related(models.Prefetch("citations", queryset=citations))


class AgendaItem(ChoiceLabels, VersionedModel):
    """A sticking point discussed at a round, with where it stood there."""

    watched_fields = ("round",)  # the rounds its citations' sources are cited in: facets

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("round")
    )
    sticking_point = models.ForeignKey(
        StickingPoint,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("sticking point"),
    )
    status = models.CharField(
        _("status at this round"), max_length=10, choices=AgendaStatus, db_index=True
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("What the sources say happened on this issue here.")
    )

    history = HistoricalRecords()

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["round", "sticking_point__name"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "sticking_point"],
                name="agenda_item_once_per_round",
                violation_error_message=_("This sticking point is already on this round's agenda."),
            ),
        ]

    def __str__(self):
        return f"{self.sticking_point.name} at {self.round.title}: {self.get_status_display()}"

    def get_absolute_url(self):
        return f"{self.round.get_absolute_url()}#agenda-{self.pk}"
