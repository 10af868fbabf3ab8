"""Statements, quotes, claims and the citations that tie them to passages of sources."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import anchoring
from .base import (
    DatePrecision,
    PublishableModel,
    PublishableQuerySet,
    VersionedModel,
    format_partial_date,
    in_the_future,
    partial_date_constraints,
)
from .people import Official
from .rounds import AgendaItem, Round, StickingPoint
from .sources import Source


class Statement(PublishableModel):
    """One utterance that sources report in different wordings (each wording is a Quote)."""

    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("For example “bessent-talks-stalled”."),
    )
    speaker = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="statements", verbose_name=_("speaker")
    )
    summary = models.CharField(
        _("summary"),
        max_length=500,
        help_text=_("What was said, in neutral words: “Bessent says the talks have stalled”."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["speaker__name", "summary"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        permissions = [("publish_statement", _("Can publish and unpublish statements"))]

    def __str__(self):
        return self.summary


class QuoteKind(models.TextChoices):
    DIRECT = "direct", _("Direct quote")
    PARTIAL = "partial", _("Partial quote")
    PARAPHRASE = "paraphrase", _("Paraphrase")


class Verification(models.TextChoices):
    VERBATIM = "verbatim", _("Verbatim")
    VARIANT = "variant", _("Variant wording")
    UNVERIFIED = "unverified", _("Unverified")


VERIFICATION_EXPLANATIONS = {
    Verification.VERBATIM: _("These exact words appear in a cited source."),
    Verification.VARIANT: _(
        "These words appear in a cited source, and other sources report the same statement in "
        "other words: compare the wordings."
    ),
    Verification.UNVERIFIED: _(
        "No cited source prints these words. Treat them as a paraphrase, not a quotation."
    ),
}


def _public_citations():
    return models.Prefetch("citations", queryset=Citation.objects.public())


def _published(lookup, model):
    return models.Prefetch(lookup, queryset=model.objects.published())


class QuoteQuerySet(PublishableQuerySet):
    def for_display(self):
        """Quotes with what every public page shows of them: speaker, round, statement,
        published issues and citations a reader can follow."""
        return self.select_related("speaker", "round", "statement").prefetch_related(
            _published("sticking_points", StickingPoint), _public_citations()
        )

    def by_speaker(self, official):
        return self.filter(speaker=official)

    def for_issue(self, sticking_point):
        return self.filter(sticking_points=sticking_point)

    def in_round(self, round_):
        return self.filter(round=round_)

    def citing(self, source):
        return self.filter(citations__source=source).distinct()


class Quote(PublishableModel):
    """Words attributed to an official, as one source printed them."""

    text = models.TextField(
        _("text as printed"),
        help_text=_("The words exactly as the source prints them, without the quotation marks."),
    )
    speaker = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("speaker")
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("statement"),
        help_text=_("Group wordings of one remark reported by different sources."),
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=QuoteKind, default=QuoteKind.DIRECT, db_index=True
    )
    said_on = models.DateField(_("said on"), null=True, blank=True, db_index=True)
    said_precision = models.CharField(
        _("said on: precision"), max_length=10, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    setting = models.CharField(
        _("setting"), max_length=300, blank=True, help_text=_("For example “Fox News interview”.")
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
        verbose_name=_("round"),
    )
    sticking_points = models.ManyToManyField(
        StickingPoint, blank=True, related_name="quotes", verbose_name=_("sticking points")
    )
    verification = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification,
        default=Verification.UNVERIFIED,
        editable=False,
        db_index=True,
        help_text=_("Derived from the citations and the statement's other wordings, never typed."),
    )

    history = HistoricalRecords(m2m_fields=[sticking_points])

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = [models.F("said_on").desc(nulls_last=True), "id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        permissions = [("publish_quote", _("Can publish and unpublish quotes"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="quote_text_not_empty",
                violation_error_message=_("A quote needs its words."),
            ),
            *partial_date_constraints("quote", "said_on", "said_precision"),
        ]
        indexes = [
            models.Index(fields=["state", "speaker", "said_on"], name="quote_state_speaker_idx"),
        ]

    def __str__(self):
        return f"{self.speaker.name}: “{Truncator(self.text).chars(80)}”"

    def get_absolute_url(self):
        return reverse("negotiations:quote-detail", kwargs={"pk": self.pk})

    @property
    def said_display(self):
        return format_partial_date(self.said_on, self.said_precision)

    @property
    def verification_explanation(self):
        return VERIFICATION_EXPLANATIONS[Verification(self.verification)]

    def clean(self):
        super().clean()
        if in_the_future(self.said_on):
            raise ValidationError({"said_on": _("A quote cannot have been said in the future.")})
        if self.statement_id and self.speaker_id and self.statement.speaker_id != self.speaker_id:
            raise ValidationError({"statement": _("This statement belongs to another speaker.")})


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
    def for_display(self):
        """Claims with their status and what every public page shows of them."""
        return (
            self.with_status()
            .select_related("round")
            .prefetch_related(
                _published("sticking_points", StickingPoint),
                _published("officials", Official),
                _public_citations(),
            )
        )

    def with_status(self):
        """Annotate each claim with its independent supporting sources, disputes and status.

        Only published sources count, and a source that copies or rewrites another supporting
        source (``derived_from``) adds nothing: two copies of one report are one source.
        """
        supports = models.Q(stance=Stance.SUPPORTS, source__state="published")
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
                claim=models.OuterRef("pk"), stance=Stance.DISPUTES, source__state="published"
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

    def with_status_of(self, status):
        return self.with_status().filter(status=status)

    def for_issue(self, sticking_point):
        return self.filter(sticking_points=sticking_point)

    def in_round(self, round_):
        return self.filter(round=round_)

    def citing(self, source):
        return self.filter(citations__source=source).distinct()


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

    def get_status_display(self):
        return ClaimStatus(self.status).label

    @property
    def status_explanation(self):
        return CLAIM_STATUS_EXPLANATIONS[ClaimStatus(self.status)]


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    DISPUTES = "disputes", _("Disputes")
    MENTIONS = "mentions", _("Mentions")


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", _("Anchored")
    BROKEN = "broken", _("Broken: passage no longer found")


class CitationQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(anchor_status=AnchorStatus.BROKEN)

    def supporting(self):
        return self.filter(stance=Stance.SUPPORTS)

    def disputing(self):
        return self.filter(stance=Stance.DISPUTES)

    def with_source(self):
        return self.select_related("source", "source__outlet")

    def public(self):
        """Citations a visitor may follow: their source is published."""
        return self.filter(source__state="published").with_source()

    def with_published_target(self):
        """Citations of published quotes and claims and of the agenda of published rounds."""
        return self.filter(
            models.Q(quote__state="published")
            | models.Q(claim__state="published")
            | models.Q(agenda_item__round__state="published")
        ).select_related(
            "quote__speaker", "claim", "agenda_item__round", "agenda_item__sticking_point"
        )


class Citation(VersionedModel):
    """An exact passage of a source, anchored the W3C Web Annotation way, that backs a record.

    A citation belongs to exactly one quote, claim or agenda item.
    """

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    quote = models.ForeignKey(
        Quote,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("quote"),
    )
    claim = models.ForeignKey(
        Claim,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("claim"),
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("agenda item"),
    )
    stance = models.CharField(
        _("stance"), max_length=10, choices=Stance, default=Stance.SUPPORTS, db_index=True
    )
    exact = models.TextField(
        _("passage"),
        help_text=_(
            "Paste the words from the source's stored text. They are found there and anchored; "
            "a passage that is not in the source is refused."
        ),
    )
    prefix = models.CharField(
        _("text before"),
        max_length=200,
        blank=True,
        help_text=_("A few words just before the passage, to choose between repeats of it."),
    )
    suffix = models.CharField(
        _("text after"),
        max_length=200,
        blank=True,
        help_text=_("A few words just after the passage, to choose between repeats of it."),
    )
    start = models.PositiveIntegerField(_("start offset"), editable=False)
    end = models.PositiveIntegerField(_("end offset"), editable=False)
    anchor_status = models.CharField(
        _("anchor"),
        max_length=10,
        choices=AnchorStatus,
        default=AnchorStatus.ANCHORED,
        editable=False,
        db_index=True,
        help_text=_(
            "Broken when the source's text was changed and the passage could not be found again. "
            "A broken citation is kept, for an editor to repair."
        ),
    )
    anchor_checked_at = models.DateTimeField(_("anchor last checked"), null=True, editable=False)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Why this passage supports or disputes the record, where it is not obvious."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "start", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(exact=""),
                name="citation_exact_not_empty",
                violation_error_message=_("A citation needs the passage it cites."),
            ),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="citation_end_after_start",
                violation_error_message=_("A citation's passage must end after it starts."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(quote__isnull=False, claim__isnull=True, agenda_item__isnull=True)
                    | models.Q(quote__isnull=True, claim__isnull=False, agenda_item__isnull=True)
                    | models.Q(quote__isnull=True, claim__isnull=True, agenda_item__isnull=False)
                ),
                name="citation_exactly_one_target",
                violation_error_message=_(
                    "A citation backs exactly one record: a quote, a claim or an agenda item."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["source", "start"], name="citation_source_start_idx"),
            models.Index(fields=["stance", "claim"], name="citation_stance_claim_idx"),
        ]

    def __str__(self):
        return f"{self.source.title}: “{Truncator(self.exact).chars(60)}”"

    def save(self, *args, **kwargs):
        # The one rule no path may skip: a citation is created only on a verified anchor.
        if self._state.adding and not self.is_anchored:
            raise ValidationError(
                _("A citation can be saved only once its passage is found in the source.")
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#cite-{self.pk}"

    TARGET_FIELDS = ("quote", "claim", "agenda_item")

    def targets(self):
        return [name for name in self.TARGET_FIELDS if getattr(self, f"{name}_id")]

    @property
    def target(self):
        return self.quote or self.claim or self.agenda_item

    @property
    def anchor(self):
        return anchoring.Anchor(
            exact=self.exact, prefix=self.prefix, suffix=self.suffix, start=self.start, end=self.end
        )

    @property
    def is_anchored(self):
        """Whether the stored passage is still at its offsets in the source's text."""
        return (
            self.anchor_status == AnchorStatus.ANCHORED
            and self.source.body[self.start : self.end] == self.exact
        )

    def anchor_in_source(self):
        """Find the pasted passage in the source and store the anchor (exact, context, offsets).

        Raises ValidationError, in an editor's words, when the passage is not there.
        """
        try:
            found = anchoring.find_passage(
                self.source.body, self.exact, prefix=self.prefix, suffix=self.suffix
            )
        except anchoring.AnchorError as error:
            raise ValidationError({"exact": str(error)}) from error
        self.set_anchor(found)

    def set_anchor(self, anchor):
        self.exact = anchor.exact
        self.prefix = anchor.prefix
        self.suffix = anchor.suffix
        self.start = anchor.start
        self.end = anchor.end
        self.anchor_status = AnchorStatus.ANCHORED

    def clean(self):
        super().clean()
        # An inline citation of a record being created has no target id yet, so "none" is
        # left to the form and the database; "more than one" is always wrong.
        if len(self.targets()) > 1:
            raise ValidationError(
                _("A citation backs exactly one record: a quote, a claim or an agenda item.")
            )
        if self.source_id and self.exact:
            self.anchor_in_source()
