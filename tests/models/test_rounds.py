"""Rounds, participants and agenda items: dates, precision, uniqueness, protection."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from negotiations.models import Round, Source
from tests.factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_quote,
    make_round,
    make_source,
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
        assert list(error.value.message_dict) == ["start_on"]
        assert "known only to the month: type the first of the month" in messages(error)
        refused_by_database(round_.save)

    def test_constraints_are_checked_without_database_errors_when_dates_are_unknown(self, caplog):
        # PostgreSQL cannot type EXTRACT(DAY FROM NULL); Django would log and skip the check.
        Round(slug="r", title="R", kind="talks").full_clean()
        assert not [r for r in caplog.records if "database error" in r.getMessage()]

    def test_a_date_needs_a_known_precision(self):
        round_ = Round(slug="r", title="R", start_on=datetime.date(2025, 5, 1))
        refused_by_database(round_.save)  # saved as it stands: the database refuses it
        round_.full_clean()  # checked first: a date typed is known to the day
        assert round_.start_precision == "day"

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


class TestSourcesCitedInRound:
    def test_through_its_agenda_its_claims_and_its_quotes_published_only(self):
        round_ = make_round()
        by_agenda, by_claim, by_quote = make_source(), make_source(), make_source()
        draft = make_source(state="draft")
        by_draft_quote, by_draft_claim, elsewhere = make_source(), make_source(), make_source()
        cite(make_agenda_item(round_, make_sticking_point()), by_agenda)
        cite(make_claim(round=round_), by_claim)
        quote = make_quote(round=round_)
        cite(quote, by_quote)
        cite(quote, draft)
        cite(make_quote(round=round_, state="draft"), by_draft_quote)
        cite(make_claim(round=round_, state="draft"), by_draft_claim)
        cite(make_quote(round=make_round()), elsewhere)
        cite(make_quote(round=round_), by_quote)  # cited twice: listed once

        cited = Source.objects.published().cited_in_round(round_)
        assert sorted(s.pk for s in cited) == sorted([by_agenda.pk, by_claim.pk, by_quote.pk])
        assert cited.count() == 3
        assert "DISTINCT" not in str(cited.query) and " OR " not in str(cited.query)
