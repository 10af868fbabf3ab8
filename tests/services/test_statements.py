"""Putting close wordings in one statement (``services.statements.group_wordings``), whatever
path calls it: the recorded quote's statement, or a new draft one grouping both; an editor's
change to a published recorded quote is proposed for review, a reviewer's made at once."""

import pytest
from django.core.exceptions import ValidationError

from negotiations.models import PendingChange, PublicationState, Quote, Statement, Verification
from negotiations.roles import REVIEWERS
from negotiations.services.statements import group_wordings
from tests.factories import cite, make_official, make_quote
from tests.helpers import user_in

pytestmark = pytest.mark.django_db

RECORDED = "We are not going to lower tariffs until we see verifiable progress on purchases"
TYPED = "We won't lower tariffs until we see verifiable progress on purchases."


def test_a_new_quote_joins_the_recorded_quotes_statement(editor):
    speaker = make_official()
    statement = Statement.objects.create(slug="s", speaker=speaker, summary="On tariffs")
    recorded = make_quote(speaker, text=RECORDED, statement=statement)
    new = Quote(speaker=speaker, text=TYPED, kind="direct")
    grouping = group_wordings(quote=new, other=recorded, user=editor)
    new.refresh_from_db()
    assert new.pk and new.statement == statement == grouping.statement
    assert not grouping.created and grouping.proposed is None
    assert Statement.objects.count() == 1


def test_without_a_statement_a_new_draft_one_groups_both(editor):
    speaker = make_official(name="Scott Bessent")
    recorded = make_quote(speaker, text=RECORDED)
    new = make_quote(speaker, text=TYPED)
    grouping = group_wordings(quote=new, other=recorded, user=editor)
    recorded.refresh_from_db()
    new.refresh_from_db()
    statement = grouping.statement
    assert grouping.created and grouping.proposed is None
    assert new.statement == recorded.statement == statement
    assert (statement.summary, statement.state) == (RECORDED, PublicationState.DRAFT)
    assert statement.slug == f"scott-bessent-we-are-not-going-to-lower-tariffs-until-{recorded.pk}"


def test_a_long_earlier_wording_is_cut_to_fit_the_summary(editor):
    speaker = make_official()
    recorded = make_quote(speaker, text="word " * 200)
    grouping = group_wordings(
        quote=make_quote(speaker, text="word " * 199), other=recorded, user=editor
    )
    assert len(grouping.statement.summary) <= 500
    assert grouping.statement.summary.endswith("…")


def test_a_taken_slug_gets_a_number(editor):
    speaker = make_official(name="Scott Bessent")
    recorded = make_quote(speaker, text="a bit stalled")
    Statement.objects.create(
        slug=f"scott-bessent-a-bit-stalled-{recorded.pk}", speaker=speaker, summary="Taken"
    )
    grouping = group_wordings(
        quote=make_quote(speaker, text="stalled"), other=recorded, user=editor
    )
    assert grouping.statement.slug == f"scott-bessent-a-bit-stalled-{recorded.pk}-2"


def published(quote):
    cite(quote)
    quote.refresh_from_db()
    assert quote.is_published
    return quote


def test_an_editors_change_to_a_published_recorded_quote_is_proposed_for_review(editor):
    speaker = make_official()
    recorded = published(make_quote(speaker, text=RECORDED))
    before = (recorded.version, recorded.verification)
    new = make_quote(speaker, text=TYPED)
    grouping = group_wordings(quote=new, other=recorded, user=editor)
    recorded.refresh_from_db()
    new.refresh_from_db()
    assert grouping.created and new.statement == grouping.statement
    assert recorded.statement is None  # the public keeps seeing it as it is
    assert (recorded.version, recorded.verification) == before
    assert before[1] == Verification.VERBATIM
    change = PendingChange.objects.get()
    assert change == grouping.proposed
    assert (change.model_name, change.object_id, change.status) == ("quote", recorded.pk, "pending")
    assert change.data == {"statement": [str(grouping.statement.pk)]}
    assert change.proposed_by == editor
    assert [entry["label"] for entry in change.diff] == ["Statement"]


def test_a_reviewer_puts_a_published_recorded_quote_in_the_statement_at_once(editor):
    speaker = make_official()
    recorded = published(make_quote(speaker, text=RECORDED))
    reviewer = user_in(REVIEWERS, "rita")
    grouping = group_wordings(quote=make_quote(speaker, text=TYPED), other=recorded, user=reviewer)
    recorded.refresh_from_db()
    assert grouping.proposed is None and recorded.statement == grouping.statement
    assert not PendingChange.objects.exists()


@pytest.mark.parametrize("case", ["itself", "another speaker"])
def test_what_cannot_share_a_statement_is_refused_and_nothing_written(case, editor):
    speaker = make_official()
    recorded = make_quote(speaker, text=RECORDED)
    new = recorded if case == "itself" else make_quote(make_official(), text=TYPED)
    with pytest.raises(ValidationError):
        group_wordings(quote=new, other=recorded, user=editor)
    assert not Statement.objects.exists()
    recorded.refresh_from_db()
    assert recorded.statement is None
