"""The tariff-rate chart: US tariffs on Chinese goods and China's tariffs on US goods over time,
drawn from the numeric claims that say what a rate was (``Claim.measure``), and nothing else.

Each claim is a point at its as-of date (with a whisker over the month or year when that is all
that is known) and its value, linking to the claim. A series' exact and approximate values, where
no source disputes them, are joined as steps: a rate holds until the next claim gives another,
and nothing is drawn after the last one. A bound ("over 100%", "nearly 15%") is an arrow from its
value, never a point on the line; a disputed value is a hollow, dashed marker labelled as such. A
claim on both sides' tariffs is one diamond, in both series' table rows.

``build(series)`` takes ``{series: Claim.objects.for_tariff_series(series, limit=LIMIT + 1)}``
and returns a ``Chart`` that ``templates/negotiations/tariff_chart.html`` draws."""

from dataclasses import dataclass

from ..models import ClaimMeasure, ClaimStatus, ValueQualifier, format_partial_date
from .scale import NumberAxis, TimeAxis, extent, shape_path

LIMIT = 100  # the latest claims drawn per series; the page says when there are more
WIDTH, HEIGHT = 440, 300
LEFT, RIGHT, TOP, BOTTOM = 46, 14, 24, 46
RADIUS = 6
ARROW = 18  # a bound's arrow
LABELLED = 16  # points labelled on the picture, at most (beyond that: the table, the tooltips)

SERIES = {
    # series: (title, colour, shape)
    ClaimMeasure.US_TARIFFS_ON_CHINA: ("US tariffs on Chinese goods", "#0a55a3", "circle"),
    ClaimMeasure.CHINA_TARIFFS_ON_US: ("China’s tariffs on US goods", "#a1241b", "square"),
}
BOTH = ("Both sides’ tariffs (one claim on each other’s goods)", "#4f5b67", "diamond")


@dataclass
class Point:
    claim_id: int
    url: str
    text: str
    series: str  # its series' title, or both
    colour: str
    value_display: str
    as_of: str
    status: str
    status_label: str
    qualifier: str
    x: float
    y: float
    x_end: float  # the whisker's end: the last day its as-of date may be
    shape_d: str
    show_label: bool = False

    @property
    def disputed(self):
        return self.status == ClaimStatus.DISPUTED

    @property
    def bound(self):
        return self.qualifier in (ValueQualifier.AT_LEAST, ValueQualifier.AT_MOST)

    @property
    def span(self):
        """A band over the days its as-of date may be (a month, a year), where that is not
        the day: (x, y, width), or None."""
        if self.x_end == self.x:
            return None
        return (self.x, round(self.y - 5, 1), round(self.x_end - self.x, 1))

    @property
    def label_x(self):
        return round(self.x + 8, 1)

    @property
    def label_y(self):
        """Above and to the right of the marker: clear of the step leaving it to the right."""
        return round(self.y - 9, 1)

    @property
    def arrow_tip(self):
        """Where a bound's arrow points: up from “at least”, down from “at most”."""
        return self.y - ARROW if self.qualifier == ValueQualifier.AT_LEAST else self.y + ARROW

    @property
    def arrow_head(self):
        tip, sign = self.arrow_tip, (1 if self.qualifier == ValueQualifier.AT_LEAST else -1)
        return f"M{self.x - 5:g},{tip + 7 * sign:g}L{self.x:g},{tip:g}L{self.x + 5:g},{tip + 7 * sign:g}"

    @property
    def label(self):
        disputed = ", disputed" if self.disputed else ""
        return f"{self.value_display}{disputed}"

    @property
    def description(self):
        return (
            f"{self.series}: {self.value_display} as of {self.as_of} ({self.status_label}). "
            f"Claim: {self.text}"
        )


@dataclass
class Series:
    key: str
    title: str
    colour: str
    shape_d: str  # the legend's marker
    points: list
    more: bool  # more claims than drawn
    steps: str = ""  # the step line's path


@dataclass
class Chart:
    width: int
    height: int
    series: list
    both: list  # points of claims on both sides' tariffs
    x_ticks: list
    y_ticks: list
    left: int
    right: int
    top: int
    bottom: int
    legend: list

    @property
    def tick_x(self):
        return self.left - 6

    @property
    def tick_label_y(self):
        return self.bottom + 20

    @property
    def year_label_y(self):
        return self.bottom + 35

    @property
    def points(self):
        return [p for s in self.series for p in s.points] + self.both

    @property
    def rows(self):
        """The table alternative: each series' claims, then those on both sides', by date."""
        return self.points


def build(claims_by_series):
    """The chart of ``{series: claims}`` (each oldest first, at most ``LIMIT + 1``), or None
    where no claim gives a rate."""
    series_claims = {key: list(claims) for key, claims in claims_by_series.items()}
    more = {key: len(claims) > LIMIT for key, claims in series_claims.items()}
    series_claims = {key: claims[-LIMIT:] for key, claims in series_claims.items()}
    both = {}
    for claims in series_claims.values():
        for claim in claims:
            if claim.measure == ClaimMeasure.TARIFFS_BOTH_WAYS:
                both[claim.pk] = claim
    everything = [c for claims in series_claims.values() for c in claims]
    if not everything:
        return None
    extents = [extent(c.as_of, c.as_of_precision) for c in everything]
    x_axis = TimeAxis.around(extents, left=LEFT, width=WIDTH - LEFT - RIGHT)
    y_axis = NumberAxis.up_to(
        max(float(c.value) for c in everything),
        bottom=HEIGHT - BOTTOM,
        height=HEIGHT - BOTTOM - TOP,
    )
    label_all = len({c.pk for c in everything}) <= LABELLED

    def point(claim, title, colour, shape):
        first, last = extent(claim.as_of, claim.as_of_precision)
        x, y = x_axis.x(first), y_axis.y(claim.value)
        return Point(
            claim_id=claim.pk,
            url=claim.get_absolute_url(),
            text=claim.text,
            series=title,
            colour=colour,
            value_display=claim.value_display,
            as_of=format_partial_date(claim.as_of, claim.as_of_precision),
            status=claim.status,
            status_label=claim.get_status_display(),
            qualifier=claim.value_qualifier,
            x=x,
            y=y,
            x_end=x_axis.x(last) if (last - first).days > 1 else x,
            shape_d=shape_path(shape, x, y, RADIUS),
            show_label=label_all,
        )

    drawn = []
    for key, (title, colour, shape) in SERIES.items():
        points = [
            point(c, title, colour, shape)
            for c in series_claims.get(key, [])
            if c.measure != ClaimMeasure.TARIFFS_BOTH_WAYS
        ]
        series = Series(key, title, colour, shape_path(shape, 8, 8, 6), points, more.get(key))
        on_line = [p for p in points if not p.bound and not p.disputed]
        if on_line:
            path = [f"M{on_line[0].x:g},{on_line[0].y:g}"]
            for p in on_line[1:]:
                path.append(f"H{p.x:g}V{p.y:g}")
            series.steps = "".join(path)
        drawn.append(series)
    both_points = [point(c, BOTH[0], BOTH[1], BOTH[2]) for c in both.values()]
    legend = [(s.title, s.colour, s.shape_d) for s in drawn]
    if both_points:
        legend.append((BOTH[0], BOTH[1], shape_path(BOTH[2], 8, 8, 6)))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        series=drawn,
        both=both_points,
        x_ticks=x_axis.ticks(),
        y_ticks=y_axis.ticks("%"),
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        legend=legend,
    )
