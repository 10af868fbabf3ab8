"""Rounds, participants and agenda items: dates, precision, uniqueness, protection."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from negotiations.models import Round
from tests.factories import (
    make_agenda_item,
    make_quote,
    make_round,
    make_sticking_point,
)
from tests.helpers import messages, refused_by_database

pytestmark = pytest.mark.django_db


class TestRound:
    def test_end_before_start_is_refused_with_a_message(self):
        round_ = Round(
            slug="r",
            title="R",
            kind="talks",
            start_on=datetime.date(2025, 5, 12),
            start_precision="day",
            end_on=datetime.date(2025, 5, 10),
            end_precision="day",
        )
        with pytest.raises(ValidationError) as error:
            round_.full_clean()
        assert "cannot end before it starts" in messages(error)
        refused_by_database(round_.save)

    def test_month_precision_needs_the_first_of_the_month(self):
        round_ = Round(
            slug="r",
            title="R",
            kind="talks",
            start_on=datetime.date(2025, 5, 12),
            start_precision="month",
        )
        with pytest.raises(ValidationError) as error:
            round_.full_clean()
        assert "first day of that month" in messages(error)
        refused_by_database(round_.save)

    def test_constraints_are_checked_without_database_errors_when_dates_are_unknown(self, caplog):
        # PostgreSQL cannot type EXTRACT(DAY FROM NULL); Django would log and skip the check.
        Round(slug="r", title="R", kind="talks").full_clean()
        assert not [r for r in caplog.records if "database error" in r.getMessage()]

    def test_a_date_needs_a_known_precision(self):
        round_ = Round(slug="r", title="R", start_on=datetime.date(2025, 5, 1))
        with pytest.raises(ValidationError):
            round_.full_clean()
        refused_by_database(round_.save)

    def test_duplicate_slug_is_refused_with_a_message(self):
        make_round(slug="geneva")
        with pytest.raises(ValidationError) as error:
            Round(slug="geneva", title="Another").full_clean()
        assert "Slug already exists" in messages(error)
        refused_by_database(lambda: Round.objects.create(slug="geneva", title="Another"))

    def test_dates_display_follows_precision(self):
        round_ = make_round(
            start_on=datetime.date(2025, 7, 1),
            start_precision="month",
        )
        assert round_.dates_display == "July 2025"

    def test_agenda_item_once_per_round(self):
        round_, issue = make_round(), make_sticking_point()
        make_agenda_item(round_, issue)
        refused_by_database(lambda: make_agenda_item(round_, issue))

    def test_a_round_with_quotes_cannot_be_deleted(self):
        round_ = make_round()
        make_quote(round=round_)
        with pytest.raises(ProtectedError):
            round_.delete()
