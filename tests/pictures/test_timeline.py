"""The rounds timeline (pictures.timeline) on home and /rounds/: every public round placed by
its dates as precisely as they are known, its kind told by lane, colour and shape, its table,
and every link leading to a round."""

import datetime

import pytest

from negotiations.models import PublicationState, Round
from negotiations.pictures import timeline
from negotiations.pictures.scale import extent
from tests.factories import make_round
from tests.pictures.helpers import assert_every_link_leads_to_a_record, links_in

pytestmark = pytest.mark.django_db


def build():
    return timeline.build(Round.objects.published().for_timeline())


def marks_by_title(built):
    return {mark.title: mark for mark in built.marks}


def test_a_month_precision_round_is_drawn_as_its_month_and_a_day_as_its_days():
    make_round(title="May talks", start_on=datetime.date(2025, 5, 1), start_precision="month")
    make_round(
        title="Three days",
        start_on=datetime.date(2025, 7, 28),
        start_precision="day",
        end_on=datetime.date(2025, 7, 30),
        end_precision="day",
    )
    marks = marks_by_title(build())
    may, three = marks["May talks"], marks["Three days"]
    per_day = may.width / 31
    assert three.width == pytest.approx(3 * per_day, abs=0.3)
    assert three.x - may.x == pytest.approx(
        (datetime.date(2025, 7, 28) - datetime.date(2025, 5, 1)).days * per_day, abs=0.3
    )
    assert may.dates == "May 2025"


def test_kinds_have_their_lane_colour_and_shape_and_overlaps_stack():
    day = datetime.date(2025, 5, 12)
    make_round(title="Talks A", start_on=day, start_precision="day")
    make_round(title="Talks B", start_on=day, start_precision="day")
    make_round(title="Call", kind="call", start_on=day, start_precision="day")
    built = build()
    lanes = {lane.kind: lane for lane in built.lanes}
    assert set(lanes) == {"talks", "call"}
    assert lanes["talks"].shape == "square" and lanes["call"].shape == "circle"
    assert lanes["talks"].colour != lanes["call"].colour
    a, b = (m for m in lanes["talks"].marks)
    assert a.cy != b.cy  # the same days: one above the other, not on top of each other
    assert lanes["call"].marks[0].cy > max(a.cy, b.cy)


def test_drafts_are_left_out_and_undated_rounds_listed_not_placed(client):
    make_round(title="Dated", start_on=datetime.date(2025, 5, 12), start_precision="day")
    make_round(title="Undated")
    make_round(
        title="Secret",
        start_on=datetime.date(2025, 5, 1),
        start_precision="day",
        state=PublicationState.DRAFT,
    )
    built = build()
    assert [m.title for m in built.marks] == ["Dated"]
    assert [r.title for r in built.undated] == ["Undated"]
    html = client.get("/").content.decode()
    assert "Secret" not in html
    assert "Not on the timeline, their dates unknown" in html


def test_extent_follows_precision():
    assert extent(datetime.date(2025, 5, 1), "month") == (
        datetime.date(2025, 5, 1),
        datetime.date(2025, 6, 1),
    )
    assert extent(datetime.date(2025, 12, 1), "month")[1] == datetime.date(2026, 1, 1)
    assert extent(datetime.date(2025, 1, 1), "year")[1] == datetime.date(2026, 1, 1)
    assert extent(datetime.date(2025, 5, 14), "day")[1] == datetime.date(2025, 5, 15)
    assert extent(None, "unknown") is None


def test_years_of_rounds_widen_the_picture_which_scrolls_in_its_box():
    make_round(title="First", start_on=datetime.date(2018, 1, 8), start_precision="day")
    make_round(title="Last", start_on=datetime.date(2026, 10, 30), start_precision="day")
    built = build()
    assert built.width > 4000
    # A tick a year over so many years.
    assert [t.label for t in built.ticks] == [str(y) for y in range(2018, 2027)]


@pytest.mark.parametrize("path", ["/", "/rounds/"])
def test_the_seed_timeline_and_its_table_hold_every_round_and_lead_to_them(client, seeded, path):
    html = client.get(path).content.decode()
    drawn = links_in(html, '<svg class="picture-svg', "</svg>")
    table = links_in(html, '<details class="picture-table"', "</details>")
    expected = {r.get_absolute_url() for r in Round.objects.published()}
    assert set(drawn) == set(table) == expected
    assert 'role="group"' in html and '<title id="timeline-svg-title">' in html
    assert_every_link_leads_to_a_record(drawn)


def test_the_rounds_list_draws_every_round_whatever_its_filters(client, seeded):
    html = client.get("/rounds/?kind=call").content.decode()
    drawn = links_in(html, '<svg class="picture-svg', "</svg>")
    assert len(drawn) == Round.objects.published().count()
    assert client.get("/rounds/?format=json").status_code == 200
