"""The rounds timeline: every public round and leader contact on a time axis, one lane per kind,
each drawn over the days its dates cover as precisely as they are known (a month-precision round
spans its month), marked by its kind's colour and shape, and linking to its page.

``build(rounds)`` takes ``Round.objects.published().for_timeline()`` and returns a ``Timeline``
that ``templates/includes/rounds_timeline.html`` draws, with a table of the same rounds."""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

from ..models import DatePrecision, RoundKind
from .scale import TimeAxis, extent, shape_path

# Each kind's colour (at least 4.5:1 on white), shape and lane title: the shape tells the kinds
# apart where the colour cannot.
KINDS = {
    RoundKind.TALKS: ("#0a55a3", "square", "Talks"),
    RoundKind.MEETING: ("#1e6b34", "triangle", "Meetings"),
    RoundKind.SUMMIT: ("#8a4b00", "diamond", "Summits"),
    RoundKind.CALL: ("#7b2d8e", "circle", "Calls"),
}
LANE_LABELS = 80  # units left of the axis for the lanes' titles
PER_DAY = 1.5  # units a day: the picture grows with the years it covers, and scrolls
MIN_PLOT = 480  # a few months of rounds still read at a glance (a phone scrolls)
ROW = 26  # a row of marks; a lane has as many rows as its overlapping rounds need
RADIUS = 7
GAP = 4
TOP = 6
AXIS = 44  # below the lanes: ticks, months and years


@dataclass
class Mark:
    """A round on the timeline: its link's words (the lane, a group, names its kind), the bar
    over its days and its marker, drawn from its lane's shape (``<use>``) at (cx, cy)."""

    title: str
    url: str
    dates: str
    x: float
    width: float
    cx: float
    cy: float = 0
    row: int = 0

    @property
    def span_y(self):
        return self.cy - 4

    @property
    def has_span(self):
        """Whether its days show beside its marker (a day or two hide under it)."""
        return self.width > 2 * RADIUS

    @property
    def label(self):
        return f"{self.title}, {self.dates}"


@dataclass
class Lane:
    kind: str
    title: str
    colour: str
    shape: str
    shape_d: str  # its marker, centred on (0, 0): each mark places it
    y: float = 0
    height: float = 0
    rows: list = field(default_factory=list)  # each row: the right edge of its last mark
    marks: list = field(default_factory=list)

    @property
    def label_y(self):
        return self.y + self.height / 2

    @property
    def marks_html(self):
        """Each mark as a link: its words (``<title>``), the bar over its days where they show
        beside the marker, and the lane's marker. Written here, not in the template: 300
        rounds' markup through the template engine took five times as long."""
        return format_html_join(
            "",
            '<a href="{}"><title>{}</title>{}<use href="#timeline-shape-{}" x="{}" y="{}"/></a>',
            (
                (
                    mark.url,
                    mark.label,
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="8"/>',
                        mark.x,
                        mark.span_y,
                        mark.width,
                    )
                    if mark.has_span
                    else "",
                    self.kind,
                    mark.cx,
                    mark.cy,
                )
                for mark in self.marks
            ),
        )


@dataclass
class Timeline:
    width: float
    height: float
    lanes: list
    ticks: list
    axis_y: float
    legend: list  # (label, colour, path of its shape)
    rows: list  # every round, dated or not, in date order: the table alternative
    undated: list

    @property
    def grid_bottom(self):
        return self.axis_y + 6

    @property
    def tick_label_y(self):
        return self.axis_y + 20

    @property
    def year_label_y(self):
        return self.axis_y + 35

    @property
    def marks(self):
        return [mark for lane in self.lanes for mark in lane.marks]

    @property
    def rows_html(self):
        """The table alternative's rows (written here for the same reason as the marks)."""
        return format_html_join(
            "\n",
            '<tr><td><a href="{}">{}</a><td>{}<td>{}<td>{}',  # end tags implied
            (
                (row["url"], row["title"], row["kind"], row["dates"], row["place"] or "—")
                for row in self.rows
            ),
        )


def _dates(round_):
    """A round's dates, a range within one month or year said once: “23–24 January 2018”."""
    start, end = round_.start_on, round_.end_on
    both_days = round_.start_precision == round_.end_precision == DatePrecision.DAY
    if not (start and end and both_days and end > start and start.year == end.year):
        return round_.dates_display
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%B %Y}"
    return f"{start.day} {start:%B} – {end.day} {end:%B %Y}"


def _place(round_):
    return ", ".join(part for part in (round_.city, round_.country) if part)


def build(rounds):
    """The timeline of ``rounds`` (in date order), or None when there is none."""
    rounds = list(rounds)
    if not rounds:
        return None
    dated, undated = [], []
    for round_ in rounds:
        start = extent(round_.start_on, round_.start_precision)
        if start is None:
            undated.append(round_)
            continue
        end = extent(round_.end_on, round_.end_precision) if round_.end_on else None
        dated.append((round_, start[0], max(start[1], end[1]) if end else start[1]))
    kinds = dict(RoundKind.choices)
    rows = [
        {
            "title": r.title,
            "url": r.get_absolute_url(),
            "kind": kinds.get(r.kind, r.kind),
            "dates": _dates(r),
            "place": _place(r),
        }
        for r in rounds
    ]
    row_of = {r.pk: row for r, row in zip(rounds, rows, strict=True)}
    legend = [
        (RoundKind(kind).label, colour, shape_path(shape, 8, 8, 6))
        for kind, (colour, shape, _title) in KINDS.items()
    ]
    if not dated:
        return Timeline(0, 0, [], [], 0, legend, rows, undated)
    axis = TimeAxis.around(
        [(first, last) for _r, first, last in dated],
        left=LANE_LABELS,
        per_day=PER_DAY,
        min_width=MIN_PLOT,
    )
    lanes = {
        kind: Lane(kind, title, colour, shape, shape_path(shape, 0, 0, RADIUS))
        for kind, (colour, shape, title) in KINDS.items()
    }
    for round_, first, last in dated:
        lane = lanes.get(round_.kind) or lanes[RoundKind.TALKS]
        x0, x1 = axis.x(first), axis.x(last)
        cx = round((x0 + x1) / 2, 1)
        left, right = min(x0, cx - RADIUS - 2), max(x1, cx + RADIUS + 2)
        row = next((n for n, edge in enumerate(lane.rows) if edge + GAP <= left), None)
        if row is None:
            lane.rows.append(right)
            row = len(lane.rows) - 1
        else:
            lane.rows[row] = right
        row_data = row_of[round_.pk]
        lane.marks.append(
            Mark(
                title=round_.title,
                url=row_data["url"],
                dates=row_data["dates"],
                x=x0,
                width=max(round(x1 - x0, 1), 2),
                cx=cx,
                row=row,
            )
        )
    y = TOP
    drawn = [lane for lane in lanes.values() if lane.marks]
    for lane in drawn:
        lane.y, lane.height = y, max(len(lane.rows), 1) * ROW
        for mark in lane.marks:
            mark.cy = lane.y + mark.row * ROW + ROW / 2
        y += lane.height
    return Timeline(
        width=round(axis.right + 12),
        height=y + AXIS,
        lanes=drawn,
        ticks=axis.ticks(),
        axis_y=y,
        legend=legend,
        rows=rows,
        undated=undated,
    )
