"""The claim form's number section: what the number measures, with its rule (a dated
percentage) shown as a message, and kept in the claim's history."""

import datetime

import pytest

from negotiations.models import Claim, ClaimMeasure
from tests.factories import cite, make_claim
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db


def test_an_editor_says_what_a_number_measures_and_history_keeps_it(editor_client):
    # a draft: an editor's change to a published claim waits for review (test_reviews.py)
    claim = make_claim(value=30, unit="percent", state="draft")
    cite(claim)
    data = form_data(editor_client.get(admin_url(Claim, "change", claim.pk)))
    assert "measure" in data and "value_qualifier" in data
    data.update(measure=ClaimMeasure.US_TARIFFS_ON_CHINA, as_of="2025-05-14", as_of_precision="day")
    response = editor_client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 302, response.text
    claim.refresh_from_db()
    assert (claim.measure, claim.as_of) == ("us_tariffs_on_china", datetime.date(2025, 5, 14))
    assert claim.history.first().measure == "us_tariffs_on_china"


def test_a_measure_without_a_dated_percentage_is_refused_with_a_message(editor_client):
    claim = make_claim(value=5, unit="count")
    cite(claim)
    data = form_data(editor_client.get(admin_url(Claim, "change", claim.pk)))
    data.update(measure=ClaimMeasure.CHINA_TARIFFS_ON_US)
    response = editor_client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 200
    assert "needs a value in percent and an as-of date" in response.text
    claim.refresh_from_db()
    assert claim.measure == ""
