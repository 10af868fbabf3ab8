"""The data's rules hold in the database and answer editors with clear messages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from negotiations.models import Citation, Claim, Official, Position, Round, Source

from .factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_official,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)

pytestmark = pytest.mark.django_db


def insert_bypassing_save(**fields):
    """Write a citation straight to the database, to test the database's own constraints."""
    return Citation.objects.bulk_create([Citation(**fields)])


def refused_by_database(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def messages(error):
    return " ".join(error.value.messages)


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


class TestPosition:
    def test_end_before_start_is_refused(self):
        official = make_official()
        position = Position(
            official=official,
            title="Minister",
            start_on=datetime.date(2025, 1, 1),
            start_precision="day",
            end_on=datetime.date(2024, 1, 1),
            end_precision="day",
        )
        with pytest.raises(ValidationError):
            position.full_clean()
        refused_by_database(position.save)


class TestClaim:
    def test_percentage_out_of_range_is_refused(self):
        claim = Claim(text="Tariffs of 14500%", value=14500, unit="percent")
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "between 0 and 1000" in messages(error)
        refused_by_database(claim.save)

    def test_tariffs_above_one_hundred_percent_are_allowed(self):
        claim = Claim(text="Tariffs of 145%", value=145, unit="percent")
        claim.full_clean()

    def test_a_value_needs_a_unit(self):
        claim = Claim(text="Thirty", value=30)
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "needs its unit" in messages(error)
        refused_by_database(claim.save)

    def test_empty_text_is_refused(self):
        refused_by_database(lambda: Claim.objects.create(text=""))


class TestCitation:
    def test_anchors_the_pasted_passage_in_the_source(self):
        source = make_source()
        quote = make_quote(text="somewhat deadlocked right now")
        citation = cite(quote, source, passage='"somewhat   deadlocked right now."')
        assert source.body[citation.start : citation.end] == citation.exact
        assert citation.exact == "“somewhat deadlocked right now.”"
        assert citation.is_anchored

    def test_a_passage_not_in_the_source_is_refused_and_the_closest_is_shown(self):
        source = make_source()
        quote = make_quote()
        citation = Citation(source=source, quote=quote, exact="the talks were totally deadlocked")
        with pytest.raises(ValidationError) as error:
            citation.full_clean()
        assert "does not appear in the source" in messages(error)
        assert "closest passage" in messages(error)
        assert not Citation.objects.exists()

    def test_exact_text_cannot_be_empty(self):
        source, quote = make_source(), make_quote()
        refused_by_database(
            lambda: insert_bypassing_save(source=source, quote=quote, exact="", start=0, end=1)
        )

    def test_exactly_one_target(self):
        source, quote, claim = make_source(), make_quote(), make_claim()
        refused_by_database(
            lambda: insert_bypassing_save(source=source, exact="Geneva", start=21, end=27)
        )
        refused_by_database(
            lambda: insert_bypassing_save(
                source=source, quote=quote, claim=claim, exact="Geneva", start=21, end=27
            )
        )
        both = Citation(source=source, quote=quote, claim=claim, exact="Geneva")
        with pytest.raises(ValidationError) as error:
            both.full_clean()
        assert "exactly one record" in messages(error)

    def test_save_refuses_a_citation_whose_passage_is_not_at_its_offsets(self):
        source, quote = make_source(), make_quote()
        with pytest.raises(ValidationError) as error:
            Citation.objects.create(source=source, quote=quote, exact="Geneva", start=0, end=6)
        assert "only once its passage is found" in messages(error)
        assert not Citation.objects.exists()

    def test_end_after_start(self):
        source, quote = make_source(), make_quote()
        refused_by_database(
            lambda: insert_bypassing_save(source=source, quote=quote, exact="x", start=5, end=5)
        )

    def test_a_cited_source_cannot_be_deleted(self):
        source = make_source()
        cite(make_quote(), source)
        with pytest.raises(ProtectedError):
            source.delete()
        assert Source.objects.filter(pk=source.pk).exists()

    def test_a_quoted_official_cannot_be_deleted(self):
        official = make_official()
        make_quote(speaker=official)
        with pytest.raises(ProtectedError):
            official.delete()
        assert Official.objects.filter(pk=official.pk).exists()

    def test_link_points_at_the_marked_passage(self):
        citation = cite(make_quote())
        assert citation.get_absolute_url() == f"/sources/{citation.source.slug}/#cite-{citation.pk}"


class TestQuote:
    def test_statement_must_share_the_speaker(self):
        from negotiations.models import Statement

        bessent, li = make_official(), make_official(country="CN")
        statement = Statement.objects.create(slug="s", speaker=bessent, summary="Talks stalled")
        quote = make_quote(speaker=li)
        quote.statement = statement
        with pytest.raises(ValidationError) as error:
            quote.full_clean()
        assert "another speaker" in messages(error)


def test_published_querysets_hide_drafts():
    make_round(slug="public")
    make_round(slug="hidden", state="draft")
    assert [r.slug for r in Round.objects.published()] == ["public"]
