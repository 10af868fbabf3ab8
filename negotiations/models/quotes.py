"""Quotes (words attributed to an official, as one source printed them) and the statements
that group several wordings of one remark."""

from django.core.exceptions import ValidationError
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
    in_the_future,
    partial_date_constraints,
    published_prefetch,
    seed_key_constraint,
    seed_key_field,
)
from .citations import Citation
from .issues import StickingPoint
from .people import Official
from .rounds import Round


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
    REPORTED = "reported", _("Reporter’s words")
    UNVERIFIED = "unverified", _("Unverified")


VERIFICATION_EXPLANATIONS = {
    Verification.VERBATIM: _(
        "These exact words stand inside quotation marks in the passage of a published source "
        "that this quote cites."
    ),
    Verification.VARIANT: _(
        "These words stand inside quotation marks in a cited source, and other sources quote the "
        "same statement in other words: compare the wordings."
    ),
    Verification.REPORTED: _(
        "A paraphrase: these are the reporter’s words, found in a cited source, not the "
        "speaker’s own words."
    ),
    Verification.UNVERIFIED: _(
        "No published source it cites prints these words as a quotation of the speaker. Treat "
        "them as a paraphrase, not a quotation."
    ),
}


class QuoteQuerySet(PublishableQuerySet):
    facet_subject = "quote"
    counted_fields = ("state", "speaker", "round", "verification")

    def for_list(self):
        """What a list's item shows: the quote's own fields, its speaker, and how many
        citations a visitor may follow (``public_citation_count``), not the citations."""
        return self.select_related("speaker").annotate(
            public_citations=Citation.objects.public_count("quote")
        )

    def for_display(self):
        """Quotes with what every public page shows of them: speaker, round, statement,
        published issues and citations a reader can follow."""
        return self.select_related("speaker", "round", "statement").prefetch_related(
            published_prefetch("sticking_points", StickingPoint.objects),
            # Ordered by quote first, as its index is (see ``Citation.public``).
            models.Prefetch(
                "citations",
                queryset=Citation.objects.public().order_by("quote_id", "source", "start", "id"),
            ),
        )

    def variants_of(self, quote):
        """The other wordings of ``quote``'s statement (none when it has no statement)."""
        if not quote.statement_id:
            return self.none()
        return self.filter(statement=quote.statement_id).exclude(pk=quote.pk)


class Quote(PublishableModel):
    """Words attributed to an official, as one source printed them."""

    # Dates known to a precision (``settle_partial_dates``, ``partial_date_constraints``).
    partial_dates = (("said_on", "said_precision"),)

    # Its words, kind and statement decide its verdict and its statement's other wordings'.
    # (A version restored from History brings back an old verdict: derived again at once.)
    # Its speaker, round, state and verdict place it in the facet counts.
    watched_fields = ("text", "kind", "statement", "state", "speaker", "verification", "round")

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
    said_key = date_order_key("said_on")
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

    seed_key = seed_key_field()
    # The order key is computed by the database from said_on: no version to keep of it.
    history = HistoricalRecords(m2m_fields=[sticking_points], excluded_fields=["said_key"])

    objects = QuoteQuerySet.as_manager()

    class Meta:
        # Newest first, unknown dates last: the order every list of quotes is paged in, read
        # from the indexes below (a state, a filter's column, then the key).
        ordering = ["-said_key", "-id"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        permissions = [("publish_quote", _("Can publish and unpublish quotes"))]
        constraints = [
            seed_key_constraint("quote"),
            models.CheckConstraint(
                condition=~models.Q(text=""),
                name="quote_text_not_empty",
                violation_error_message=_("A quote needs its words."),
            ),
            *partial_date_constraints("quote", "said_on", "said_precision"),
        ]
        indexes = [
            models.Index(fields=["state", "created_at", "id"], name="quote_state_created_idx"),
            models.Index(fields=["state", "said_key", "id"], name="quote_state_key_idx"),
            models.Index(
                fields=["state", "speaker", "said_key", "id"], name="quote_state_speaker_idx"
            ),
            models.Index(fields=["state", "round", "said_key", "id"], name="quote_state_round_idx"),
            models.Index(
                fields=["state", "verification", "said_key", "id"],
                name="quote_state_verified_idx",
            ),
        ]

    def __str__(self):
        return f"{self.speaker.name}: “{Truncator(self.text).chars(80)}”"

    @property
    def public_citation_count(self):
        """How many citations a visitor may follow: counted by the list's query where it was
        (``for_list``), else from the citations loaded with the record."""
        counted = self.__dict__.get("public_citations")
        return counted if counted is not None else len(self.citations.all())

    def get_absolute_url(self):
        return record_path("negotiations:quote-detail", "pk", self.pk)

    @property
    def said_display(self):
        return format_partial_date(self.said_on, self.said_precision)

    @property
    def public_round(self):
        """The round, when the public may see it (a draft is never named)."""
        return self.round if self.round_id and self.round.is_published else None

    @property
    def public_statement(self):
        """The statement grouping its wordings, when the public may see it."""
        return self.statement if self.statement_id and self.statement.is_published else None

    @property
    def verification_explanation(self):
        return VERIFICATION_EXPLANATIONS[Verification(self.verification)]

    def clean(self):
        super().clean()
        if in_the_future(self.said_on):
            raise ValidationError({"said_on": _("A quote cannot have been said in the future.")})
        if self.statement_id and self.speaker_id and self.statement.speaker_id != self.speaker_id:
            raise ValidationError({"statement": _("This statement belongs to another speaker.")})
