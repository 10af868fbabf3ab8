"""What the pictures share: a date's extent as precisely as it is known (a month-precision date
covers its month), a time axis with its ticks, a number axis, and marker shapes, so that a kind
or a series is told by its shape as well as its colour."""

import datetime
import math
from dataclasses import dataclass

from ..models import DatePrecision


def next_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def extent(value, precision):
    """The days a partial date covers, as (first day, day after the last), or None when
    unknown: 14 May 2025 → 14–15 May; May 2025 → 1 May – 1 June; 2025 → the year."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.MONTH:
        first = value.replace(day=1)
        return first, next_month(first)
    if precision == DatePrecision.YEAR:
        first = value.replace(month=1, day=1)
        return first, first.replace(year=first.year + 1)
    return value, value + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    year: str = ""  # a month tick's year, on January and at the start


@dataclass(frozen=True)
class TimeAxis:
    """Days from ``start`` to ``end`` (whole months) drawn from ``left`` over ``width`` units."""

    start: datetime.date
    end: datetime.date
    left: float
    width: float

    @classmethod
    def around(cls, extents, *, left, width=None, per_day=None, min_width=0.0):
        """An axis covering ``extents`` with a month's margin either side, ``width`` units wide
        or ``per_day`` units a day (at least ``min_width``)."""
        start = min(first for first, _last in extents).replace(day=1)
        end = next_month(max(last for _first, last in extents) - datetime.timedelta(days=1))
        start = (start - datetime.timedelta(days=1)).replace(day=1)
        end = next_month(end)
        if width is None:
            width = max(min_width, (end - start).days * per_day)
        return cls(start, end, left, width)

    @property
    def days(self):
        return max((self.end - self.start).days, 1)

    @property
    def right(self):
        return self.left + self.width

    def x(self, day):
        return round(self.left + (day - self.start).days / self.days * self.width, 1)

    def ticks(self):
        """Month ticks where months are wide enough to be labelled (every 1, 2, 3 or 6 months,
        with the year under January and the first), else, or over more than three years, one
        tick a year."""
        month_width = self.width / (self.days / 30.44)
        step = next((s for s in (1, 2, 3, 6) if month_width * s >= 44), None)
        if self.days > 3 * 366:
            step = None  # years of rounds: a tick a year keeps the picture light
        ticks = []
        if step is None:
            for year in range(self.start.year + (self.start.month > 1), self.end.year + 1):
                day = datetime.date(year, 1, 1)
                if day <= self.end:
                    ticks.append(Tick(self.x(day), str(year)))
            return ticks
        day, first = self.start, True
        while day <= self.end:
            if (day.month - 1) % step == 0:
                # The year on a second line: under each January, and under the first tick
                # unless a January follows too closely for both to be read.
                named = day.month == 1 or (first and day.month <= 12 - 2 * step)
                ticks.append(Tick(self.x(day), f"{day:%b}", f"{day:%Y}" if named else ""))
                first = False
            day = next_month(day)
        return ticks


def nice_step(top, most=6):
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving at most ``most`` ticks
    up to ``top``."""
    raw = max(top, 1) / most
    power = 10 ** math.floor(math.log10(raw))
    return next(f * power for f in (1, 2, 2.5, 5, 10) if f * power >= raw)


@dataclass(frozen=True)
class NumberAxis:
    """Values from 0 to ``top`` drawn from ``bottom`` up to ``bottom - height``."""

    top: float
    bottom: float
    height: float

    @classmethod
    def up_to(cls, largest, *, bottom, height, headroom=1.15):
        step = nice_step(largest * headroom)
        return cls(math.ceil(largest * headroom / step) * step, bottom, height)

    def y(self, value):
        return round(self.bottom - float(value) / self.top * self.height, 1)

    def ticks(self, suffix=""):
        step = nice_step(self.top)
        count = int(round(self.top / step))
        return [Tick(self.y(step * n), f"{step * n:g}{suffix}") for n in range(count + 1)]


def shape_path(shape, cx, cy, r):
    """An SVG path for a marker centred on (cx, cy) about ``2r`` across: circle, square,
    diamond or triangle."""
    if shape == "circle":
        return f"M{cx - r:g},{cy:g}a{r:g},{r:g} 0 1,0 {2 * r:g},0a{r:g},{r:g} 0 1,0 {-2 * r:g},0Z"
    if shape == "square":
        s = r * 0.9
        return f"M{cx - s:g},{cy - s:g}h{2 * s:g}v{2 * s:g}h{-2 * s:g}Z"
    if shape == "diamond":
        s = r * 1.25
        return f"M{cx:g},{cy - s:g}l{s:g},{s:g}l{-s:g},{s:g}l{-s:g},{-s:g}Z"
    if shape == "triangle":
        s = r * 1.2
        return f"M{cx:g},{cy - s:g}L{cx + s:g},{cy + s * 0.8:g}L{cx - s:g},{cy + s * 0.8:g}Z"
    raise ValueError(f"no marker shape {shape!r}")
