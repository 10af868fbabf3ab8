"""Dates known to a precision, typed in the admin: a date typed while its precision stays
"Unknown" is known to the day; what still does not fit is said on the date's own field, never
as a form-level error naming no field (issue 13, 6b)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from negotiations.models import Claim, DatePrecision, Position, Quote, Round, Source
from tests.factories import cite, make_claim, make_official, make_quote, make_round, make_source
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

TYPED = datetime.date(2025, 6, 10)


def draft_quote():
    return make_quote(state="draft")


def draft_claim():
    return make_claim(state="draft")


# Each partial date: the record it belongs to, its date field, its precision field.
PAIRS = [
    (make_round, Round, "start_on", "start_precision"),
    (make_round, Round, "end_on", "end_precision"),
    (draft_quote, Quote, "said_on", "said_precision"),
    (draft_claim, Claim, "as_of", "as_of_precision"),
    (make_source, Source, "published_on", "published_precision"),
]
IDS = [f"{model.__name__}.{date}" for _make, model, date, _precision in PAIRS]


def post(client, record, **changes):
    url = admin_url(type(record), "change", record.pk)
    data = form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


@pytest.mark.parametrize("make,model,date,precision", PAIRS, ids=IDS)
def test_a_date_typed_with_its_precision_unknown_is_known_to_the_day(
    reviewer_client, make, model, date, precision
):
    record = make()
    response = post(
        reviewer_client, record, **{date: TYPED.isoformat(), precision: DatePrecision.UNKNOWN}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    record.refresh_from_db()
    assert (getattr(record, date), getattr(record, precision)) == (TYPED, DatePrecision.DAY)


@pytest.mark.parametrize("make,model,date,precision", PAIRS, ids=IDS)
def test_what_does_not_fit_is_said_on_the_date_field(reviewer_client, make, model, date, precision):
    record = make()
    label = str(model._meta.get_field(date).verbose_name).capitalize()
    for changes, said in [
        ({date: TYPED.isoformat(), precision: "month"}, "known only to the month"),
        ({date: TYPED.isoformat(), precision: "year"}, "known only to the year"),
        ({date: "", precision: "day"}, "give the date"),
    ]:
        response = post(reviewer_client, record, **changes)
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert not form.non_field_errors(), form.non_field_errors()
        [message] = form.errors[date]
        assert label in message and said in message
    record.refresh_from_db()
    assert getattr(record, date) is None  # nothing saved


def test_a_month_typed_as_its_first_day_is_kept_as_a_month(reviewer_client):
    round_ = make_round()
    response = post(reviewer_client, round_, start_on="2025-06-01", start_precision="month")
    assert response.status_code == 302
    round_.refresh_from_db()
    assert (round_.start_on, round_.start_precision) == (datetime.date(2025, 6, 1), "month")


def test_an_officials_positions_settle_their_dates_too():
    official = make_official()
    position = Position(official=official, title="Vice Premier", start_on=TYPED)
    position.full_clean()
    assert position.start_precision == DatePrecision.DAY
    position.start_on, position.start_precision = None, DatePrecision.YEAR
    with pytest.raises(ValidationError) as refused:
        position.full_clean()
    assert list(refused.value.message_dict) == ["start_on"]


def test_a_published_claims_date_too(reviewer_client):
    claim = make_claim()
    cite(claim)
    response = post(reviewer_client, claim, as_of=TYPED.isoformat(), as_of_precision="unknown")
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.as_of_precision == DatePrecision.DAY
