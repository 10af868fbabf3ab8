"""Sources (the articles, statements and transcripts cited, with their stored text) and the
outlets that publish them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..paths import record_path
from ..versioning import VersionedModel
from .base import (
    DatePrecision,
    PublicationState,
    PublishableModel,
    PublishableQuerySet,
    date_order_key,
    format_partial_date,
    in_the_future,
    partial_date_constraints,
    published_prefetch,
)


class Outlet(VersionedModel):
    name = models.CharField(
        _("name"), max_length=200, unique=True, help_text=_("For example “British Wire”.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    website = models.URLField(
        _("website"), blank=True, help_text=_("For example https://britishwire.com")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self):
        return self.name


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("News article")
    STATEMENT = "statement", _("Official statement")
    TRANSCRIPT = "transcript", _("Transcript")
    POST = "post", _("Social media post")


class Reliability(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")
    UNRATED = "unrated", _("Not rated")


class SourceQuerySet(PublishableQuerySet):
    facet_subject = "source"
    counted_fields = ("state", "outlet", "reliability")

    def for_display(self):
        """Sources with what their list and page show: outlet, published copies and originals,
        and how many citations point into them."""
        return (
            self.select_related("outlet")
            .prefetch_related(
                published_prefetch("derived_from", Source.objects),
                published_prefetch("derivatives", Source.objects),
            )
            .annotate(citation_count=self._citation_count())
        )

    def for_list(self):
        """As ``for_display``, without the stored texts, which no list shows."""
        return self.for_display().defer("body")

    def _citation_count(self):
        # Counted per source through the citations' (source, start) index: a JOIN and GROUP BY
        # over every source would read the whole table for a page of 50.
        citations = self.model._meta.get_field("citations").related_model.objects
        per_source = (
            citations.filter(source=models.OuterRef("pk"))
            .order_by()
            .values("source")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return Coalesce(models.Subquery(per_source), 0)

    def cited_in_round(self, round_):
        """Sources cited by the round's published quotes and claims or by its agenda.

        One ``pk IN (… UNION …)`` of the three ways in, each an indexed path from the round to
        its citations' sources: no OR of LEFT JOINs, no DISTINCT over whole rows, the order
        and the rest of the QuerySet left to the caller."""
        published = PublicationState.PUBLISHED
        citations = self.model._meta.get_field("citations").related_model.objects.order_by()
        by_quotes = citations.filter(quote__round=round_, quote__state=published)
        by_claims = citations.filter(claim__round=round_, claim__state=published)
        by_agenda = citations.filter(agenda_item__round=round_)
        cited = by_quotes.values("source_id").union(
            by_claims.values("source_id"), by_agenda.values("source_id")
        )
        return self.filter(pk__in=cited).select_related("outlet")


class Source(PublishableModel):
    """An article, statement or transcript that the knowledge base cites, with its text as stored."""

    # Dates known to a precision (``settle_partial_dates``, ``partial_date_constraints``).
    partial_dates = (("published_on", "published_precision"),)

    # A new text re-anchors its citations; publishing or not changes what they support.
    watched_fields = ("body", "state", "origin", "outlet", "reliability")  # the last two: facets

    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "Part of the public address: /sources/<slug>/. For example “stockholm-talks-end”."
        ),
    )
    title = models.CharField(
        _("title"),
        max_length=500,
        help_text=_("The headline as printed, for example “US and China Conclude Trade Talks”."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=20,
        blank=True,
        help_text=_(
            "A short name by which notes refer to this source, for example “001”. Shown "
            "wherever the source is named, so a note saying “per 001” can be followed."
        ),
    )
    title_is_descriptive = models.BooleanField(
        _("title written by us"),
        default=False,
        help_text=_("Tick when the source prints no headline and the title above describes it."),
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=SourceKind, default=SourceKind.ARTICLE
    )
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        verbose_name=_("outlet"),
        help_text=_("Leave empty when the outlet is unknown; never guess."),
    )
    url = models.URLField(
        _("original URL"),
        max_length=1000,
        blank=True,
        help_text=_("Where the source was published. Leave empty when unknown."),
    )
    author = models.CharField(
        _("author"), max_length=300, blank=True, help_text=_("Leave empty when unknown.")
    )
    language = models.CharField(
        _("language"),
        max_length=20,
        default="en",
        help_text=_("An IETF language tag, for example “en” or “zh-Hans”."),
    )
    published_on = models.DateField(
        _("published on"),
        null=True,
        blank=True,
        help_text=_("For a month only, give its first day and set the precision to month."),
    )
    published_precision = models.CharField(
        _("publication date precision"),
        max_length=10,
        choices=DatePrecision,
        default=DatePrecision.UNKNOWN,
    )
    published_key = date_order_key("published_on")
    published_as_printed = models.CharField(
        _("date line as printed"),
        max_length=200,
        blank=True,
        help_text=_(
            "The date line exactly as the source prints it, for example “2025-07-29 20:30:13”."
        ),
    )
    body = models.TextField(
        _("stored text"),
        help_text=_(
            "The full text as published. Citations point into it, so readers still see the "
            "passage when the original link is dead."
        ),
    )
    retrieved_on = models.DateField(
        _("retrieved on"), null=True, blank=True, help_text=_("When this copy was taken.")
    )
    archive_url = models.URLField(
        _("archive URL"),
        max_length=1000,
        blank=True,
        help_text=_("A copy in a web archive, for example https://web.archive.org/web/…"),
    )
    reliability = models.CharField(
        _("reliability"),
        max_length=10,
        choices=Reliability,
        default=Reliability.UNRATED,
        db_index=True,
    )
    reliability_note = models.TextField(
        _("reliability note"),
        blank=True,
        help_text=_(
            "Known errors, quoting the words that show them, for example: calls the sitting "
            "president “former President Donald Trump”."
        ),
    )
    derived_from = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="derivatives",
        verbose_name=_("derived from"),
        help_text=_(
            "Sources this one copies or rewrites: a copy never counts as an independent source."
        ),
    )

    same_report_as = models.ManyToManyField(
        "self",
        symmetrical=True,
        blank=True,
        verbose_name=_("same report as"),
        help_text=_(
            "Sources that rewrite the same report as this one, where that report is not in the "
            "knowledge base (two rewrites of one wire story). They count as one origin."
        ),
    )
    origin = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("origin"),
        help_text=_(
            "The source standing for this one's origin: sources linked by “derived from” or "
            "“same report as” share one, and count once. Derived, never typed."
        ),
    )

    history = HistoricalRecords(
        m2m_fields=[derived_from, same_report_as], excluded_fields=["published_key"]
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        # Newest first, unknown dates last, read from the indexes below.
        ordering = ["-published_key", "-id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("publish_source", _("Can publish and unpublish sources"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(body=""),
                name="source_body_not_empty",
                violation_error_message=_("A source needs its stored text."),
            ),
            *partial_date_constraints("source", "published_on", "published_precision"),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="source_reference_unique",
                violation_error_message=_("Another source already has this reference."),
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at", "id"], name="source_state_created_idx"),
            models.Index(fields=["state", "published_key", "id"], name="source_state_key_idx"),
            models.Index(
                fields=["state", "outlet", "published_key", "id"], name="source_state_outlet_idx"
            ),
            models.Index(
                fields=["state", "reliability", "published_key", "id"],
                name="source_state_reliable_idx",
            ),
            models.Index(fields=["state", "title", "id"], name="source_state_title_idx"),
        ]

    def __str__(self):
        outlet = self.outlet.name if self.outlet_id else _("unknown outlet")
        return f"{self.title} ({outlet})"

    def get_absolute_url(self):
        return record_path("negotiations:source-detail", "slug", self.slug)

    @property
    def published_display(self):
        return format_partial_date(self.published_on, self.published_precision)

    def clean(self):
        super().clean()
        # Citations count characters: one line break is one character, whatever sent it.
        self.body = self.body.replace("\r\n", "\n").replace("\r", "\n")
        future = {
            name: _("This date is in the future: check the year.")
            for name in ("published_on", "retrieved_on")
            if in_the_future(getattr(self, name))
        }
        if future:
            raise ValidationError(future)
