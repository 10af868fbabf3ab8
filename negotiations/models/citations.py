"""Citations: exact passages of sources, anchored the W3C Web Annotation way, that back a quote,
a claim or an agenda item."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Coalesce, Substr
from django.db.models.lookups import Exact
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import anchoring
from ..versioning import VersionedModel
from .base import ChoiceLabels, PublicationState, seed_key_constraint, seed_key_field
from .rounds import AgendaItem
from .sources import Source


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    DISPUTES = "disputes", _("Disputes")
    MENTIONS = "mentions", _("Mentions")


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", _("Anchored")
    REVIEW = "review", _("Needs review: found only approximately")
    BROKEN = "broken", _("Broken: passage no longer found")


class CitationQuerySet(models.QuerySet):
    def broken(self):
        return self.filter(anchor_status=AnchorStatus.BROKEN)

    def not_anchored(self):
        """Found only approximately, or lost: what the integrity report lists (a partial index
        holds just these, however many citations there are)."""
        return self.filter(~models.Q(anchor_status=AnchorStatus.ANCHORED))

    def with_source(self):
        """With their source and its outlet, but not the source's stored text: a page of
        citations names its sources, and one article's text may be hundreds of KB. Whether each
        passage is still in place, which needs that text, is computed by the database
        (``passage_in_place``, which ``is_anchored`` reads)."""
        return (
            self.select_related("source", "source__outlet")
            .defer("source__body")
            .with_passage_check()
        )

    def with_passage_check(self):
        """Annotated with ``passage_in_place``: whether the source's text still holds the
        passage at its offsets (``body[start:end] == exact``, in characters on SQLite and
        PostgreSQL as in Python), without reading the text out of the database."""
        at_offsets = Substr(
            "source__body", models.F("start") + 1, models.F("end") - models.F("start")
        )
        return self.annotate(passage_in_place=Exact(at_offsets, models.F("exact")))

    def in_text_order(self):
        """In the order their passages appear (within one source)."""
        return self.order_by("start", "pk")

    def public_count(self, target):
        """An expression: how many citations a visitor may follow back the ``target`` record
        (``"quote"`` or ``"claim"``) of each row, counted through the (target, source) index;
        for lists, which show the number and not the citations."""
        per_target = (
            self.model.objects.filter(
                **{target: models.OuterRef("pk")}, source__state=PublicationState.PUBLISHED
            )
            .order_by()
            .values(target)
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return Coalesce(models.Subquery(per_target), 0)

    def public(self):
        """Citations a visitor may follow: their source is published."""
        return self.filter(source__state=PublicationState.PUBLISHED).with_source()

    def with_published_target(self):
        """Citations of published quotes and claims and of the agenda of published rounds,
        with what their ``label`` needs."""
        published = PublicationState.PUBLISHED
        return self.filter(
            models.Q(quote__state=published)
            | models.Q(claim__state=published)
            | models.Q(
                agenda_item__round__state=published, agenda_item__sticking_point__state=published
            )
        ).select_related(
            "quote__speaker", "claim", "agenda_item__round", "agenda_item__sticking_point"
        )


class Citation(ChoiceLabels, VersionedModel):
    """An exact passage of a source, anchored the W3C Web Annotation way, that backs a record.

    A citation belongs to exactly one quote, claim or agenda item.
    """

    # What it backs, and how, decide the verdict and status of the records on both ends.
    watched_fields = ("source", "quote", "claim", "agenda_item", "stance", "anchor_status")

    @property
    def claims_anchor_wrongly(self):
        """Marked anchored, yet its words are not at its offsets (a version restored from
        History brings back old offsets): it must be found again."""
        return self.anchor_status == AnchorStatus.ANCHORED and not self.is_anchored

    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="citations", verbose_name=_("source")
    )
    quote = models.ForeignKey(
        "Quote",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("quote"),
    )
    claim = models.ForeignKey(
        "Claim",
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
            "After the source's text changed: “needs review” when the passage was found only "
            "approximately (start and end then point at the words found, for an editor to "
            "accept), “broken” when it was not found. Neither counts as support until repaired."
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

    seed_key = seed_key_field()

    history = HistoricalRecords()

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["source", "start", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            seed_key_constraint("citation"),
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
            models.Index(
                fields=["anchor_status", "id"],
                condition=~models.Q(anchor_status=AnchorStatus.ANCHORED),
                name="citation_not_anchored_idx",
            ),
            # A record's citations, and the sources they cite read from the index alone; partial,
            # so that each holds only the citations of its kind of record.
            *(
                models.Index(
                    fields=[target, "source"],
                    condition=models.Q(**{f"{target}__isnull": False}),
                    name=f"citation_{short}_source_idx",
                )
                for target, short in (
                    ("quote", "quote"),
                    ("claim", "claim"),
                    ("agenda_item", "agenda"),
                )
            ),
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
    def label(self):
        """What cites this passage, in a reader's words: “quote by Scott Bessent”."""
        if self.quote_id:
            return _("quote by %(speaker)s") % {"speaker": self.quote.speaker.name}
        if self.claim_id:
            return _("claim")
        item = self.agenda_item
        return _("%(issue)s at %(round)s") % {
            "issue": item.sticking_point.name,
            "round": item.round.title,
        }

    @property
    def original_link(self):
        """The passage in the original article (a URL text fragment), where its URL is known."""
        if not self.source.url:
            return ""
        return self.source.url + anchoring.text_fragment(self.exact)

    @property
    def anchor(self):
        return anchoring.Anchor(
            exact=self.exact, prefix=self.prefix, suffix=self.suffix, start=self.start, end=self.end
        )

    @property
    def is_anchored(self):
        """Whether the stored passage is still at its offsets in the source's text.

        A citation read ``with_source()`` (or ``with_passage_check()``) answers from the
        database's ``passage_in_place``, computed as it was read, without its source's text;
        any other reads the text. (Display QuerySets only: a citation whose passage or offsets
        are then changed in memory is not one of those.)"""
        if self.anchor_status != AnchorStatus.ANCHORED:
            return False
        in_place = self.__dict__.get("passage_in_place")
        if in_place is not None:
            return bool(in_place)
        return self.source.body[self.start : self.end] == self.exact

    # Where the passage was selected in the source's text (start, end), when it was: set by
    # the citation form from a selection, never stored.
    selected_span = None

    def anchor_in_source(self):
        """Find the pasted passage in the source and store the anchor (exact, context, offsets).

        A passage selected in the text is anchored at its selected offsets where it is still
        there. Raises ValidationError, in an editor's words, when the passage is not there.
        """
        found = None
        if self.selected_span:
            # Selected in the text (the offsets came with the passage): anchored there, without
            # a search, unless the text or the passage has changed since.
            found = anchoring.at_offsets(
                self.source.body,
                self.exact,
                *self.selected_span,
                prefix=self.prefix,
                suffix=self.suffix,
            )
        try:
            found = found or anchoring.find_passage(
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
        if self.source_id and self.exact and self.passage_edited():
            self.anchor_in_source()

    def passage_edited(self):
        """Whether the passage (its words, context or source) differs from the stored one.

        An unchanged citation is not searched for again: one that is broken or under review
        must not stop an editor from saving anything else of the record it backs.
        """
        if self._state.adding:
            return True
        stored = (
            type(self)
            ._default_manager.filter(pk=self.pk)
            .values_list("exact", "prefix", "suffix", "source")
            .first()
        )
        return stored != (self.exact, self.prefix, self.suffix, self.source_id)
