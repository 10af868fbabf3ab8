"""The issue × round matrix (pictures.matrix, /charts/issues-by-round/): rounds with an agenda
as columns in date order, each cell the status of that issue there, linking to the citation
behind it (or the round's agenda entry), and every link leading to a record."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings

from negotiations.models import AgendaItem, PublicationState
from negotiations.pictures import matrix
from tests.factories import cite, make_agenda_item, make_round, make_source, make_sticking_point
from tests.pictures.helpers import assert_every_link_leads_to_a_record, links_in

pytestmark = pytest.mark.django_db


def build():
    return matrix.build(AgendaItem.objects.for_matrix())


def test_cells_link_to_their_citation_or_to_the_agenda_entry():
    early = make_round(title="Early", start_on=datetime.date(2025, 5, 1), start_precision="month")
    late = make_round(title="Late", start_on=datetime.date(2025, 7, 1), start_precision="month")
    make_round(title="No agenda", start_on=datetime.date(2025, 6, 1), start_precision="month")
    tariffs = make_sticking_point(name="Tariffs")
    chips = make_sticking_point(name="AI chips")
    one = make_agenda_item(early, tariffs, status="progress")
    citation = cite(one)
    several = make_agenda_item(late, tariffs, status="stalled")
    cite(several)
    cite(several)
    none = make_agenda_item(late, chips, status="resolved")
    hidden = make_source(state=PublicationState.DRAFT)
    cite(none, hidden)  # a draft source's passage: no visitor may follow it
    built = build()
    assert [c.title for c in built.columns] == ["Early", "Late"]  # only rounds with an agenda
    assert [r.title for r in built.rows] == ["AI chips", "Tariffs"]
    chips_row, tariffs_row = built.rows
    assert chips_row.cells[0] is None
    assert tariffs_row.cells[0].url == f"/sources/{citation.source.slug}/#cite-{citation.pk}"
    assert tariffs_row.cells[0].status == "progress"
    assert tariffs_row.cells[1].url == f"{late.get_absolute_url()}#agenda-{several.pk}"
    assert tariffs_row.cells[1].citations == 2
    assert chips_row.cells[1].url == f"{late.get_absolute_url()}#agenda-{none.pk}"
    assert chips_row.cells[1].citations == 0


def test_drafts_are_left_out():
    shown = make_round(title="Shown", start_on=datetime.date(2025, 5, 1), start_precision="day")
    draft_round = make_round(title="Draft round", state=PublicationState.DRAFT)
    draft_issue = make_sticking_point(name="Draft issue", state=PublicationState.DRAFT)
    issue = make_sticking_point(name="Issue")
    make_agenda_item(shown, issue)
    make_agenda_item(shown, draft_issue)
    make_agenda_item(draft_round, issue)
    built = build()
    assert [c.title for c in built.columns] == ["Shown"]
    assert [r.title for r in built.rows] == ["Issue"]
    assert matrix.build([]) is None


def test_status_is_told_by_shape_and_words_not_colour_alone(client):
    round_ = make_round(title="Geneva", start_on=datetime.date(2025, 5, 1), start_precision="day")
    for status in ("raised", "progress", "stalled", "resolved"):
        cite(make_agenda_item(round_, make_sticking_point(name=f"Issue {status}"), status=status))
    html = client.get("/charts/issues-by-round/").content.decode()
    assert len(set(matrix.GLYPHS.values())) == 4
    # The cells' marks (CSS masks) are the legend's shapes.
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text(encoding="utf-8")
    for status, glyph in matrix.GLYPHS.items():
        rule = css[css.index(f".matrix .agenda-{status} ") :].split("\n", 1)[0]
        assert f"d='{glyph}'" in rule, status
    table = html[html.index('<table class="matrix"') :]
    for status in ("raised", "progress", "stalled", "resolved"):
        # Each cell's words, for a screen reader; its shape comes with its class.
        assert f'<td class="agenda-{status}"><a href="' in table
        assert f">{status.title()}</a>" in table


def test_the_seed_matrix_links_lead_to_records(client, seeded):
    html = client.get("/charts/issues-by-round/").content.decode()
    cells = links_in(html, '<table class="matrix"', "</table>")
    items = AgendaItem.objects.for_matrix().count()
    assert len([h for h in cells if "#" in h]) == items
    assert_every_link_leads_to_a_record(cells)
    assert 'href="/charts/issues-by-round/"' in client.get("/issues/").content.decode()
    data = client.get("/charts/issues-by-round/?format=json").json()
    assert data["count"] == items


def test_its_own_prefix_shadows_no_issue(client, seeded):
    issue = make_sticking_point(slug="matrix", name="Matrix")
    assert client.get("/issues/matrix/").context["issue"] == issue
    assert client.get("/charts/issues-by-round/").status_code == 200
