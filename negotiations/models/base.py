"""What every public record shares: a publication state, timestamps, partial dates, and the
word search that every list and /search/ use."""

from django.db import models
from django.db.models.functions import Cast, ExtractDay, ExtractMonth
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..versioning import VersionedModel


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month (stored as the first of the month)")
    YEAR = "year", _("Year (stored as 1 January)")
    UNKNOWN = "unknown", _("Unknown")


def words_match(fields, words):
    """A condition: every word appears (any case) in at least one of the fields."""
    condition = models.Q()
    for word in words:
        any_field = models.Q()
        for field in fields:
            any_field |= models.Q(**{f"{field}__icontains": word})
        condition &= any_field
    return condition


class PublishableQuerySet(models.QuerySet):
    # The fields a reader's words are looked for in, on the list's ``q`` and on /search/.
    search_fields: tuple[str, ...] = ()

    def published(self):
        return self.filter(state=PublicationState.PUBLISHED)

    def visible_to(self, user):
        """What a visitor may open: published records; staff also preview drafts."""
        return self.all() if user.is_staff else self.published()

    def matching(self, text):
        """Records holding every word of ``text`` in one of their search fields."""
        words = (text or "").split()
        if not words:
            return self
        found = self.filter(words_match(self.search_fields, words))
        # A word found through a many-valued relation would repeat the record.
        return found.distinct() if any("__" in f for f in self.search_fields) else found


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


class PublishableModel(VersionedModel):
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
