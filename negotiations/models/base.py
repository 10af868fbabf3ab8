"""What every public record shares: a publication state, timestamps, partial dates, and the
full-text search that every list and /search/ use (``negotiations.search``)."""

import datetime
import functools

from django.core.exceptions import ValidationError
from django.db import connections, models, transaction
from django.db.models.functions import Cast, Coalesce, ExtractDay, ExtractMonth
from django.db.models.lookups import Exact
from django.dispatch import Signal
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .. import search
from ..versioning import VersionedModel

# Words a list's own pages use after its prefix (/quotes/feed/): no record's slug may take
# one, or its page would hide behind that page (the URLs try those first).
RESERVED_SLUGS = frozenset({"feed"})


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month (stored as the first of the month)")
    YEAR = "year", _("Year (stored as 1 January)")
    UNKNOWN = "unknown", _("Unknown")


# Sent after ``QuerySet.update()`` changed a field that places records in the facet counts
# (``models.facets``): ``subject`` and the ``ids`` of the records it wrote. No model signal
# says so otherwise; ``receivers`` has the facet counts follow.
counted_rows_updated = Signal()


class PublishableQuerySet(models.QuerySet):
    # The facet subject of these records, and the fields that place one in its counts.
    facet_subject: str | None = None
    counted_fields: tuple[str, ...] = ()

    def update(self, **kwargs):
        counted = {name.removesuffix("_id") for name in kwargs} & set(self.counted_fields)
        if not (self.facet_subject and counted):
            return super().update(**kwargs)
        ids = list(self.values_list("pk", flat=True))
        rows = super().update(**kwargs)
        counted_rows_updated.send(sender=self.model, subject=self.facet_subject, ids=ids)
        return rows

    def published(self):
        return self.filter(state=PublicationState.PUBLISHED)

    def streamed(self, chunk_size=500):
        """Every record, read ``chunk_size`` at a time while they are used (an export of a
        million rows). On PostgreSQL inside a transaction: outside one, Django declares its
        server-side cursor WITH HOLD, and PostgreSQL then computes the whole result before it
        hands over the first row (a million-row CSV sent nothing for 30 s, until the worker was
        killed). SQLite reads step by step either way, and a transaction would only hold its
        lock longer."""
        if connections[self.db].vendor != "postgresql":
            yield from self.iterator(chunk_size=chunk_size)
            return
        with transaction.atomic(using=self.db):
            yield from self.iterator(chunk_size=chunk_size)

    def visible_to(self, user):
        """What a visitor may open: published records; staff also preview drafts."""
        return self.all() if user.is_staff else self.published()

    # Full-text search (``negotiations.search``): each searchable model's document, what it
    # holds and its weights, is in ``search/documents.py``.

    def _search_query(self, text):
        return search.parse(text), search.document_for(self.model)

    def matching(self, text):
        """Records matching the reader's words: every word, as a word or by its stem
        ("tariff" finds "tariffs"; "US" neither "thus" nor "us"), in the record's document;
        "quoted phrases"; ``or`` between alternatives; ``-word`` excluded. US, U.S. and USA
        are one word; 李成钢 is found as a name. A filter like any other: composable, no
        DISTINCT, the order unchanged. No words: no filter; nothing that could match (only
        punctuation, only excluded words): no records."""
        if not (text or "").split():
            return self
        query, document = self._search_query(text)
        if query is None:
            return self.none()
        return self.filter(search.SearchMatch(document, query, models.F("pk")))

    def ranked(self, text, *, among=None):
        """The records matching ``text`` (as ``matching``), best first: annotated with
        ``search_rank`` (higher is better; a title's words weigh more than a body's, more
        occurrences more than fewer) and ordered by it, then by primary key.

        Only the first ``among`` matches found (``search.ranked_among()``, 1,000, by default;
        in no particular order) are ranked and returned: ranking all the matches of a common
        word among a million records would take seconds. Where more match
        (``search.count_up_to``), say so: "ranked among the first 1,000 matches". Without
        words: the records unchanged, each with a rank of 0."""
        if not (text or "").split():
            return self.annotate(search_rank=models.Value(0.0))
        query, document = self._search_query(text)
        if query is None:
            return self.none().annotate(search_rank=models.Value(0.0))
        among = search.ranked_among() if among is None else among
        first = self.matching(text).order_by().values("pk")[:among]
        rank = search.SearchRank(document, query, models.F("pk"), first)
        return self.filter(pk__in=first).annotate(search_rank=rank).order_by("-search_rank", "pk")

    def with_snippet(self, text):
        """Annotated with ``search_snippet``: a few words of the record's main text around
        the matches of ``text``, as the index holds it with highlight marks; show it with
        ``search.render_snippet`` (the template filter ``snippet_html`` of
        ``search_snippets``), which escapes it and marks each match. Cutting a snippet reads
        the whole text: annotate a page of records, not a whole list. None where there is no
        query, or on a model without a main text (officials)."""
        query, document = self._search_query(text)
        if query is None or document.snippet is None:
            return self.annotate(search_snippet=models.Value(None, models.TextField()))
        return self.annotate(
            search_snippet=search.SearchSnippet(
                document, query, models.F("pk"), models.F(document.snippet)
            )
        )


def date_order_key(date_field):
    """A stored copy of ``date_field`` with an unknown date as the earliest possible one: the
    key a list is sorted and paged by (newest first puts unknown dates last), under a plain
    index on both databases (SQLite has no ``NULLS LAST`` in an index)."""
    return models.GeneratedField(
        expression=Coalesce(date_field, models.Value(datetime.date.min)),
        output_field=models.DateField(),
        db_persist=True,
        editable=False,
    )


def seed_key_field():
    return models.CharField(
        _("seed key"),
        max_length=200,
        blank=True,
        editable=False,
        help_text=_(
            "The record's key in the seed file (empty for records editors made), so that "
            "loading a corrected seed updates it in place."
        ),
    )


def seed_key_constraint(prefix):
    return models.UniqueConstraint(
        fields=["seed_key"],
        condition=~models.Q(seed_key=""),
        name=f"{prefix}_seed_key_unique",
    )


def published_prefetch(lookup, queryset):
    """Prefetch ``lookup`` through ``queryset`` (a manager or QuerySet), published records only:
    a page never names a draft."""
    return models.Prefetch(lookup, queryset=queryset.published())


def related_model(model, name):
    """The model on the other end of ``model.name``: lets a module reach the records that point
    at its own (a round's quotes) without importing their module, which imports this one."""
    return model._meta.get_field(name).related_model


class ChoiceLabels:
    """``get_<field>_display()`` from a table of labels made once per field.

    Django's own rebuilds the whole table for each call, hashing every lazily translated label
    (which translates it): two badges on each of a list's 50 items cost more than the rest of
    an item's markup. The labels stay lazy, so each answer is still in the active language."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            label = _labels_of(field).get(value, value)
        except TypeError:  # an unhashable value: Django's way, which makes it hashable
            return super()._get_FIELD_display(field)
        return force_str(label, strings_only=True)


@functools.cache
def _labels_of(field):
    return dict(field.flatchoices)


class PublishableModel(ChoiceLabels, VersionedModel):
    """A record the public sees once a reviewer publishes it."""

    state = models.CharField(
        _("publication state"),
        max_length=10,
        choices=PublicationState,
        default=PublicationState.DRAFT,
        db_index=True,
        help_text=_("Only published records appear on public pages. Reviewers publish."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_published(self):
        return self.state == PublicationState.PUBLISHED

    def clean(self):
        super().clean()
        errors = settle_partial_dates(self)
        slug = getattr(self, "slug", None)
        if slug in RESERVED_SLUGS:
            errors["slug"] = _("“%(slug)s” names a page of the list; choose another.") % {
                "slug": slug
            }
        if errors:
            raise ValidationError(errors)


def in_the_future(value):
    return value is not None and value > timezone.localdate()


def format_partial_date(value, precision):
    """A date as precisely as it is known: '29 July 2025', 'July 2025', '2025' or 'date unknown'."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return _("date unknown")
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"


def settle_partial_dates(record):
    """Before a record's partial dates (its ``partial_dates``: pairs of a date field and its
    precision field) meet ``partial_date_constraints``: a date typed while its precision was
    left unknown is known to the day (what a form's date field takes); what still does not fit
    is an error on the date field, by name, instead of the constraint's message naming no field.
    Returns those errors, by field."""
    errors = {}
    for date_field, precision_field in getattr(record, "partial_dates", ()):
        value = getattr(record, date_field)
        precision = getattr(record, precision_field)
        label = capfirst(record._meta.get_field(date_field).verbose_name)
        if value is not None and precision == DatePrecision.UNKNOWN:
            setattr(record, precision_field, DatePrecision.DAY)
        elif value is None and precision != DatePrecision.UNKNOWN:
            errors[date_field] = _(
                "%(field)s: give the date, or set its precision to “Unknown”."
            ) % {"field": label}
        elif precision == DatePrecision.MONTH and value.day != 1:
            errors[date_field] = _(
                "%(field)s is known only to the month: type the first of the month "
                "(%(first)s), or set its precision to “Day”."
            ) % {"field": label, "first": value.replace(day=1).isoformat()}
        elif precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
            errors[date_field] = _(
                "%(field)s is known only to the year: type 1 January (%(first)s), or set its "
                "precision to “Day”."
            ) % {"field": label, "first": value.replace(month=1, day=1).isoformat()}
    return errors


def partial_date_constraints(prefix, date_field, precision_field):
    """A known precision needs a date; a month or year is stored as its first day."""
    # The cast types the date for PostgreSQL when full_clean() checks a row whose date is None.
    as_date = Cast(date_field, models.DateField())
    first_day = Exact(ExtractDay(as_date), 1)
    first_month = Exact(ExtractMonth(as_date), 1)
    return [
        models.CheckConstraint(
            condition=models.Q(
                **{precision_field: DatePrecision.UNKNOWN, f"{date_field}__isnull": True}
            )
            | (
                ~models.Q(**{precision_field: DatePrecision.UNKNOWN})
                & models.Q(**{f"{date_field}__isnull": False})
            ),
            name=f"{prefix}_{date_field}_matches_precision",
            violation_error_message=_(
                "A date needs a precision of day, month or year; with no date the precision "
                "is unknown."
            ),
        ),
        models.CheckConstraint(
            condition=~models.Q(**{precision_field: DatePrecision.MONTH}) | models.Q(first_day),
            name=f"{prefix}_{date_field}_month_is_first_day",
            violation_error_message=_(
                "A date known only to the month is stored as the first day of that month."
            ),
        ),
        models.CheckConstraint(
            condition=~models.Q(**{precision_field: DatePrecision.YEAR})
            | (models.Q(first_day) & models.Q(first_month)),
            name=f"{prefix}_{date_field}_year_is_first_january",
            violation_error_message=_(
                "A date known only to the year is stored as 1 January of that year."
            ),
        ),
    ]
