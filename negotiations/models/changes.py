"""The knowledge base's change stamp: one row that says how many times, and when last, the
public data changed.

It is the version of everything the public sees, kept in the database so that every app server
reads the same one: the HTTP validators (ETag, Last-Modified) and the keys of the page cache are
made from it (``negotiations.caching``). ``services.changes.note_change`` moves it on, once per
transaction, at its commit; ``receivers`` calls that on every save, delete and many-to-many
change of the app's models, and the bulk services call it themselves.

Its time is the database's clock (``Now()``), for the writes and for the reads alike: app
servers whose clocks disagree still agree on what is newer.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

STAMP_ROW = 1


@dataclass(frozen=True)
class Stamp:
    """The stamp as read: ``counter`` and ``changed_at`` (None when the row is missing, as
    after a ``flush``), and ``now``, the database's time when it was read."""

    counter: int
    changed_at: datetime | None
    now: datetime

    @property
    def version(self):
        """A string that changes with every change: the counter and the time, so that a counter
        started again (a flushed database) never repeats an earlier version."""
        moment = self.changed_at.timestamp() if self.changed_at else 0
        return f"{self.counter}.{moment:.6f}"


class ChangeStampQuerySet(models.QuerySet):
    def current(self):
        """The stamp, in one query."""
        row = (
            self.filter(pk=STAMP_ROW)
            .annotate(now=Now())
            .values_list("counter", "changed_at", "now")
            .first()
        )
        if row is None:  # a flushed database: no change counted yet, and no time to compare
            return Stamp(0, None, timezone.now())
        return Stamp(*row)

    def advance(self):
        """Count one change, now: a single UPDATE (no read, so no lost increment between app
        servers); the row is made again if it is missing."""
        moved = self.filter(pk=STAMP_ROW).update(counter=models.F("counter") + 1, changed_at=Now())
        if moved:
            return
        try:
            with transaction.atomic():
                self.create(pk=STAMP_ROW, counter=1, changed_at=Now())
        except IntegrityError:  # another server made it meanwhile: count this change too
            self.filter(pk=STAMP_ROW).update(counter=models.F("counter") + 1, changed_at=Now())


class ChangeStamp(models.Model):
    """How many times, and when last, the public knowledge base changed (one row).

    Not a record of the knowledge base: backups leave it out and the admin does not show it.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=STAMP_ROW, editable=False)
    counter = models.BigIntegerField(
        _("changes"),
        default=0,
        help_text=_("How many committed transactions changed the knowledge base, for example 42."),
    )
    changed_at = models.DateTimeField(
        _("last changed"),
        help_text=_("When the last of them was committed, by the database's clock."),
    )

    objects = ChangeStampQuerySet.as_manager()

    class Meta:
        verbose_name = _("change stamp")
        verbose_name_plural = _("change stamp")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=STAMP_ROW), name="change_stamp_one_row"),
        ]

    def __str__(self):
        return f"change {self.counter} at {self.changed_at:%Y-%m-%d %H:%M:%S}"
