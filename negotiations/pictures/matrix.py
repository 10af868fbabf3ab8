"""The issue × round matrix: one row per issue, one column per round with an agenda (in date
order), each cell the status of that issue at that round, marked by a shape as well as a colour,
linking to the passage behind it: the citation where there is one, the round's agenda entry
where there are several (or none a visitor may follow).

``build(items)`` takes ``AgendaItem.objects.for_matrix()`` (plain rows) and returns a ``Matrix``
that ``templates/negotiations/issues_by_round.html`` draws as a table: the picture and its
table alternative are one, with sticky headers, scrolling sideways inside its own box."""

import datetime
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join

from ..models import AgendaStatus, format_partial_date
from ..paths import record_path

# Each status's mark (an SVG path in a 16-unit box): a ring, an upward triangle, a bar, a tick.
GLYPHS = {
    AgendaStatus.RAISED: "M8,2.5a5.5,5.5 0 1,0 0.01,0Z M8,5.5a2.5,2.5 0 1,1 -0.01,0Z",
    AgendaStatus.PROGRESS: "M8,2L14,13H2Z",
    AgendaStatus.STALLED: "M2,6H14V10H2Z",
    AgendaStatus.RESOLVED: "M2,8.5L4.5,6L7,8.5L12,3.5L14.5,6L7,13.5Z",
}


@dataclass
class Column:
    title: str
    url: str
    dates: str


@dataclass
class Cell:
    status: str
    status_label: str
    url: str
    citations: int
    span = 0  # one column (a ``Gap`` spans several)

    @property
    def label(self):
        """The link's words (its row and column headers say which issue and round): the
        status, and how many passages stand behind it where there are several."""
        if self.citations < 2:
            return self.status_label
        return f"{self.status_label} ({self.citations} passages)"


@dataclass
class Gap:
    """Columns in a row where the issue was on no agenda: one empty cell spanning them all, so
    that a 300-round row costs a few cells, not 300."""

    span: int


@dataclass
class Row:
    title: str
    url: str
    cells: list  # one per column: a Cell, or None where the issue was not on that agenda

    @property
    def segments(self):
        """The cells as drawn: each Cell, and a ``Gap`` for each run of empty columns."""
        drawn, empty = [], 0
        for cell in self.cells:
            if cell is None:
                empty += 1
                continue
            if empty:
                drawn.append(Gap(empty))
                empty = 0
            drawn.append(cell)
        if empty:
            drawn.append(Gap(empty))
        return drawn

    @property
    def cells_html(self):
        """The row's cells: each status as a link (its class draws its mark), each run of
        empty columns as one spanning cell. Written here, not in the template: thousands of
        cells through the template engine took several times as long."""
        return format_html_join(
            "",
            "{}",
            (
                (
                    format_html('<td colspan="{}"></td>', cell.span)
                    if cell.span
                    else format_html(
                        '<td class="agenda-{}"><a href="{}">{}</a></td>',
                        cell.status,
                        cell.url,
                        cell.label,
                    ),
                )
                for cell in self.segments
            ),
        )


@dataclass
class Matrix:
    columns: list
    rows: list
    legend: list  # (status, label, glyph)
    cell_count: int


def build(items):
    """The matrix of ``items`` (agenda rows, any order), or None when no round has an agenda."""
    items = list(items)
    if not items:
        return None
    rounds, issues = {}, {}
    for item in items:
        rounds[item["round_id"]] = (
            item["round__start_on"] or datetime.date.max,
            item["round__title"],
            item["round_id"],
            item["round__slug"],
            format_partial_date(item["round__start_on"], item["round__start_precision"]),
        )
        issues[item["sticking_point_id"]] = (
            item["sticking_point__name"],
            item["sticking_point__slug"],
        )
    round_order = sorted(rounds.values())
    column_of = {r[2]: n for n, r in enumerate(round_order)}
    columns = [
        Column(title, record_path("negotiations:round-detail", "slug", slug), dates)
        for _day, title, _pk, slug, dates in round_order
    ]
    issue_order = sorted(issues.items(), key=lambda pair: pair[1][0].casefold())
    row_of = {pk: n for n, (pk, _v) in enumerate(issue_order)}
    rows = [
        Row(name, record_path("negotiations:issue-detail", "slug", slug), [None] * len(columns))
        for _pk, (name, slug) in issue_order
    ]
    labels = {value: str(label) for value, label in AgendaStatus.choices}  # translated once
    for item in items:
        column = column_of[item["round_id"]]
        round_url = columns[column].url
        if item["public_citations"] == 1:
            source = record_path(
                "negotiations:source-detail", "slug", item["first_citation_source"]
            )
            url = f"{source}#cite-{item['first_citation']}"
        else:
            url = f"{round_url}#agenda-{item['id']}"
        rows[row_of[item["sticking_point_id"]]].cells[column] = Cell(
            status=item["status"],
            status_label=labels.get(item["status"], item["status"]),
            url=url,
            citations=item["public_citations"],
        )
    legend = [(status.value, status.label, GLYPHS[status]) for status in AgendaStatus]
    return Matrix(columns, rows, legend, len(items))
