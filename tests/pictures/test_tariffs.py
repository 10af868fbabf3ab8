"""The tariff-rate chart (pictures.tariffs, /charts/tariff-rates/): which claims are drawn where,
steps, bounds, disputed values, its table and links, and the measure's rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from negotiations.models import TARIFF_SERIES, Claim, ClaimMeasure
from negotiations.pictures import tariffs
from tests.factories import cite, make_claim, make_source
from tests.pictures.helpers import assert_every_link_leads_to_a_record, links_in

pytestmark = pytest.mark.django_db
US, CN, BOTH = (
    ClaimMeasure.US_TARIFFS_ON_CHINA,
    ClaimMeasure.CHINA_TARIFFS_ON_US,
    ClaimMeasure.TARIFFS_BOTH_WAYS,
)


def rate(measure, value, day, *, qualifier="exact", precision="day", **fields):
    claim = make_claim(
        value=value,
        unit="percent",
        value_qualifier=qualifier,
        measure=measure,
        as_of=day,
        as_of_precision=precision,
        **fields,
    )
    cite(claim)
    return claim


def chart():
    return tariffs.build(
        {s: Claim.objects.for_tariff_series(s, limit=tariffs.LIMIT + 1) for s in TARIFF_SERIES}
    )


def series(built, measure):
    return next(s for s in built.series if s.key == measure)


def test_each_claim_is_drawn_in_its_series_and_only_charted_published_claims_are():
    us = rate(US, 145, datetime.date(2025, 5, 1), precision="month")
    cn = rate(CN, 10, datetime.date(2025, 5, 14))
    both = rate(BOTH, 100, datetime.date(2025, 5, 1), qualifier="at_least", precision="month")
    cite(
        make_claim(
            value=30, unit="percent", as_of=datetime.date(2025, 5, 14), as_of_precision="day"
        )
    )
    make_claim(
        value=20, unit="percent", measure=US, as_of=datetime.date(2025, 6, 1), as_of_precision="day"
    )  # draft
    built = chart()
    assert [p.claim_id for p in series(built, US).points] == [us.pk]
    assert [p.claim_id for p in series(built, CN).points] == [cn.pk]
    # A claim on both sides' tariffs: drawn once, as its own mark, in the table once.
    assert [p.claim_id for p in built.both] == [both.pk]
    assert sorted(p.claim_id for p in built.rows) == sorted([us.pk, cn.pk, both.pk])


def test_no_claim_no_chart(client):
    rate_less = make_claim(
        value=30, unit="percent", as_of=datetime.date(2025, 5, 14), as_of_precision="day"
    )
    cite(rate_less)
    assert chart() is None
    response = client.get("/charts/tariff-rates/")
    assert response.status_code == 200
    assert "No claim gives a tariff rate yet." in response.content.decode()
    assert '<svg class="picture-svg' not in response.content.decode()


def test_steps_join_values_in_date_order_and_skip_bounds_and_disputed_values():
    first = rate(US, 145, datetime.date(2025, 4, 10))
    bound = rate(US, 100, datetime.date(2025, 4, 20), qualifier="at_least")
    disputed = rate(US, 50, datetime.date(2025, 5, 1))
    cite(disputed, make_source(), stance="disputes")
    last = rate(US, 30, datetime.date(2025, 5, 14))
    built = chart()
    points = {p.claim_id: p for p in series(built, US).points}
    assert points[disputed.pk].disputed
    # Steps: from 145% across to the date of 30%, then down; nothing after the last claim.
    a, b = points[first.pk], points[last.pk]
    assert series(built, US).steps == f"M{a.x:g},{a.y:g}H{b.x:g}V{b.y:g}"
    assert points[bound.pk].bound and not points[first.pk].bound


def test_bounds_are_arrows_the_right_way():
    over = rate(US, 100, datetime.date(2025, 5, 1), qualifier="at_least")
    under = rate(CN, 15, datetime.date(2025, 5, 2), qualifier="at_most")
    built = chart()
    up = series(built, US).points[0]
    down = series(built, CN).points[0]
    assert (up.claim_id, down.claim_id) == (over.pk, under.pk)
    assert up.arrow_tip < up.y  # at least: the arrow points up (SVG's y grows downward)
    assert down.arrow_tip > down.y
    assert up.label == "at least 100%"


def test_page_marks_disputed_values_in_words_and_shape(client):
    claim = rate(CN, 125, datetime.date(2025, 5, 1), precision="month")
    cite(claim, make_source(), stance="disputes")
    html = client.get("/charts/tariff-rates/").content.decode()
    assert "125%, disputed" in html  # the label on the picture
    start = html.index('<svg class="picture-svg')
    svg = html[start : html.index("</svg>", start)]
    assert 'class="picture-link is-disputed"' in svg
    assert 'fill="#fff"' in svg and 'stroke-dasharray="3 2"' in svg  # hollow and dashed
    assert "Disputed" in html[html.index("<table") :]


def test_a_month_precision_date_spans_its_month():
    month = rate(US, 145, datetime.date(2025, 5, 1), precision="month")
    day = rate(US, 30, datetime.date(2025, 6, 14))
    points = {p.claim_id: p for p in series(chart(), US).points}
    x, _y, width = points[month.pk].span
    per_day = (points[day.pk].x - x) / 44  # 1 May to 14 June
    assert x == points[month.pk].x
    assert width == pytest.approx(31 * per_day, abs=0.3)  # the whole of May
    assert points[day.pk].span is None  # a known day is a point


def test_table_holds_the_same_claims_and_every_link_leads_to_a_record(client):
    rate(US, 145, datetime.date(2025, 5, 1), precision="month")
    rate(BOTH, 100, datetime.date(2025, 5, 1), qualifier="at_least", precision="month")
    rate(CN, 10, datetime.date(2025, 5, 14))
    html = client.get("/charts/tariff-rates/").content.decode()
    drawn = links_in(html, '<svg class="picture-svg', "</svg>")
    table = links_in(html, "<table", "</table>")
    assert sorted(drawn) == sorted(table)
    assert len(drawn) == 3
    assert_every_link_leads_to_a_record(drawn)


def test_only_the_latest_claims_are_drawn_and_the_page_says_so(client, monkeypatch):
    monkeypatch.setattr(tariffs, "LIMIT", 2)
    claims = [rate(US, 10 + n, datetime.date(2025, 1, 1 + n)) for n in range(4)]
    built = chart()
    assert [p.claim_id for p in series(built, US).points] == [c.pk for c in claims[-2:]]
    assert series(built, US).more
    assert (
        "only the latest 2 claims are drawn" in client.get("/charts/tariff-rates/").content.decode()
    )


def test_json_and_csv_give_what_is_drawn(client):
    claim = rate(US, 30, datetime.date(2025, 5, 14))
    data = client.get("/charts/tariff-rates/?format=json").json()
    assert data["count"] == 1
    assert data["results"][0]["url"] == claim.get_absolute_url()
    assert data["results"][0]["value"] == "30%"
    assert client.get("/charts/tariff-rates/?format=csv").status_code == 200
    assert client.get("/charts/tariff-rates/?format=xml").status_code == 400


def test_a_measured_number_must_be_a_dated_percentage():
    claim = Claim(
        text="US tariffs at 30", value=30, unit="count", value_qualifier="exact", measure=US
    )
    with pytest.raises(ValidationError, match="percent and an as-of date"):
        claim.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(
            text="US tariffs at 30%", value=30, unit="percent", value_qualifier="exact", measure=US
        )


def test_the_seed_charts_its_five_tariff_rates_and_nothing_else(client, seeded):
    html = client.get("/charts/tariff-rates/").content.decode()
    drawn = set(links_in(html, '<svg class="picture-svg', "</svg>"))
    charted = {c.get_absolute_url() for c in Claim.objects.published().charted()}
    assert drawn == charted and len(drawn) == 5
    assert_every_link_leads_to_a_record(drawn)


def test_linked_from_the_claims_list_and_the_tariffs_issue_page(client, seeded):
    assert 'href="/charts/tariff-rates/"' in client.get("/claims/").content.decode()
    assert 'href="/charts/tariff-rates/"' in client.get("/issues/tariffs/").content.decode()
    assert 'href="/charts/tariff-rates/"' not in client.get("/issues/rare-earths/").content.decode()


def test_a_charted_claims_page_says_what_its_number_measures_and_links_the_chart(client):
    claim = rate(CN, 10, datetime.date(2025, 5, 14))
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "China’s tariffs on US goods, drawn on the" in html
    assert 'href="/charts/tariff-rates/"' in html
