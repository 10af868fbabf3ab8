"""Facet counts kept on write: every write path leaves them equal to a recount."""

import pytest

from negotiations.models import (
    AgendaItem,
    Citation,
    Claim,
    FacetCount,
    FacetSignature,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)
from negotiations.services import bulk_load, facets, integrity
from tests.factories import (
    cite,
    make_agenda_item,
    make_claim,
    make_official,
    make_outlet,
    make_quote,
    make_round,
    make_source,
    make_sticking_point,
)

pytestmark = pytest.mark.django_db


def cell(subject, facet, value, by_facet="", by_value=""):
    row = FacetCount.objects.filter(
        subject=subject, facet=facet, value=str(value), by_facet=by_facet, by_value=str(by_value)
    ).first()
    return row.count if row else 0


def published_quote(speaker=None, issues=(), round_=None, source=None):
    quote = make_quote(speaker=speaker, round=round_)
    quote.sticking_points.set(issues)
    cite(quote, source=source)
    return Quote.objects.get(pk=quote.pk)


@pytest.fixture
def world():
    speaker, other = make_official(), make_official()
    rare, chips = make_sticking_point(), make_sticking_point()
    round_ = make_round()
    quotes = [
        published_quote(speaker, [rare], round_),
        published_quote(speaker, [rare, chips]),
        published_quote(other, [chips], round_),
    ]
    return speaker, other, rare, chips, round_, quotes


def assert_in_step():
    assert facets.discrepancies() == []


def test_published_quotes_are_counted_alone_and_in_pairs(world):
    speaker, other, rare, chips, round_, _quotes = world
    assert cell("quote", "", "") == 3
    assert cell("quote", "speaker", speaker.pk) == 2
    assert cell("quote", "issue", chips.pk) == 2
    assert cell("quote", "issue", rare.pk, "speaker", speaker.pk) == 2
    assert cell("quote", "speaker", other.pk, "issue", chips.pk) == 1
    assert cell("quote", "round", round_.pk, "speaker", speaker.pk) == 1
    assert_in_step()


def test_a_draft_is_counted_nowhere():
    make_quote(state=PublicationState.DRAFT)
    assert cell("quote", "", "") == 0
    assert_in_step()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda w: setattr_save(w[5][0], speaker=w[1]), id="save-speaker"),
        pytest.param(lambda w: setattr_save(w[5][1], round=w[4]), id="save-round"),
        pytest.param(lambda w: setattr_save(w[5][0], state="draft"), id="save-unpublish"),
        pytest.param(lambda w: w[5][0].sticking_points.add(w[3]), id="m2m-add"),
        pytest.param(lambda w: w[5][1].sticking_points.remove(w[2]), id="m2m-remove"),
        pytest.param(lambda w: w[5][1].sticking_points.clear(), id="m2m-clear"),
        pytest.param(lambda w: w[3].quotes.clear(), id="m2m-clear-from-the-issue"),
        pytest.param(lambda w: w[2].quotes.add(w[5][2]), id="m2m-add-from-the-issue"),
        pytest.param(lambda w: w[5][0].delete(), id="delete-one"),
        pytest.param(lambda w: Quote.objects.filter(speaker=w[0]).delete(), id="queryset-delete"),
        pytest.param(
            lambda w: Quote.objects.filter(speaker=w[0]).update(state="draft"),
            id="queryset-update",
        ),
        pytest.param(
            lambda w: Quote.objects.filter(speaker=w[0]).update(round=None), id="update-round"
        ),
        pytest.param(lambda w: StickingPoint.objects.filter(pk=w[3].pk).delete(), id="issue-gone"),
        pytest.param(lambda w: second_citation_then_delete_first(w[5][2]), id="citation-delete"),
        pytest.param(lambda w: cite(w[5][2], source=make_source()), id="citation-added"),
    ],
)
def test_every_write_path_leaves_the_counts_equal_to_a_recount(world, write):
    write(world)
    assert_in_step()


def second_citation_then_delete_first(quote):
    first = quote.citations.get()
    cite(quote, source=make_source())
    first.delete()


def setattr_save(record, **fields):
    for name, value in fields.items():
        setattr(record, name, value)
    record.save()


def test_a_history_revert_moves_the_counts_back(world):
    _speaker, other, *_rest, quotes = world
    quote = quotes[0]
    before = quote.history.first()
    setattr_save(quote, speaker=other)
    before.instance.save()
    assert Quote.objects.get(pk=quote.pk).speaker_id == before.speaker_id
    assert_in_step()


def test_sources_are_counted_by_outlet_and_follow_a_move_in_bulk():
    outlet, other = make_outlet(), make_outlet()
    make_source(outlet=outlet)
    assert cell("source", "outlet", outlet.pk) == 1
    Source.objects.filter(outlet=outlet).update(outlet=other)
    assert cell("source", "outlet", outlet.pk) == 0
    assert cell("source", "outlet", other.pk) == 1
    assert_in_step()


def test_claims_are_counted_by_status_and_issue():
    issue = make_sticking_point()
    claim = make_claim()
    claim.sticking_points.add(issue)
    cite(claim)
    claim = Claim.objects.get(pk=claim.pk)
    assert cell("claim", "status", claim.status) == 1
    assert cell("claim", "issue", issue.pk, "status", claim.status) == 1
    assert_in_step()


def test_rows_written_in_bulk_are_counted_by_finish(world):
    speaker = world[0]
    FacetCount.objects.all().delete()
    FacetSignature.objects.all().delete()
    assert facets.discrepancies() != []
    bulk_load.finish()
    assert cell("quote", "speaker", speaker.pk) == 2
    assert_in_step()


def test_the_integrity_check_names_a_wrong_count_and_repair_mends_it(world):
    speaker = world[0]
    FacetCount.objects.filter(subject="quote", facet="speaker", value=str(speaker.pk)).update(
        count=7
    )
    problems = [v for v in integrity.violations(crawl=False) if v.rule == "facets"]
    assert problems and "kept 7, counted 2" in problems[0].message
    integrity.repair()
    assert_in_step()


# Sources by round: the rounds a published source is cited in ----------------------------------


@pytest.fixture
def cited():
    """Two rounds; in the first, sources cited by a published quote, a claim, an agenda item
    and a draft quote; one source cited in both rounds."""
    first, second = make_round(), make_round()
    quote = published_quote(round_=first)
    claim = make_claim(round=first)
    cite(claim)
    item = make_agenda_item(first, make_sticking_point())
    cite(item)
    draft = make_quote(round=first, state=PublicationState.DRAFT)
    cite(draft)
    both = make_source(body=quote.citations.get().source.body)
    cite(quote, source=both)
    cite(published_quote(round_=second), source=both)
    return {
        "rounds": (first, second),
        "quote": Quote.objects.get(pk=quote.pk),
        "claim": Claim.objects.get(pk=claim.pk),
        "item": item,
        "draft": draft,
        "both": both,
    }


def assert_rounds_counted_as_cited_in_round():
    for round_ in Round.objects.all():
        cited_in = Source.objects.published().cited_in_round(round_).count()
        assert FacetCount.objects.total("source", facet="round", value=str(round_.pk)) == cited_in
    assert_in_step()


def test_a_sources_rounds_are_those_it_is_cited_in_by_published_records(cited):
    first, second = cited["rounds"]
    # the quote's source, the claim's, the agenda item's, the shared one; not the draft's
    assert cell("source", "round", first.pk) == 4
    assert cell("source", "round", second.pk) == 2  # its quote's own source, the shared one
    assert_rounds_counted_as_cited_in_round()


def move_citation(citation, **fields):
    setattr_save(Citation.objects.get(pk=citation.pk), **fields)


def second_source_then_delete_first(record):
    first = record.citations.get()
    cite(record, source=make_source(body=first.source.body))
    first.delete()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda c: cite(c["quote"], source=make_source()), id="citation-added"),
        pytest.param(
            lambda c: cite(c["draft"], source=make_source()), id="citation-added-to-a-draft"
        ),
        pytest.param(
            lambda c: move_citation(
                c["quote"].citations.exclude(source=c["both"]).get(),
                source=make_source(body=c["both"].body),
            ),
            id="citation-moved-to-another-source",
        ),
        pytest.param(
            lambda c: move_citation(
                c["quote"].citations.get(source=c["both"]),
                quote=published_quote(round_=make_round()),
            ),
            id="citation-moved-to-a-quote-of-another-round",
        ),
        pytest.param(
            lambda c: move_citation(
                c["item"].citations.get(),
                agenda_item=make_agenda_item(c["rounds"][1], make_sticking_point()),
            ),
            id="citation-moved-to-another-agenda",
        ),
        pytest.param(
            lambda c: c["quote"].citations.get(source=c["both"]).delete(), id="citation-deleted"
        ),
        pytest.param(
            lambda c: second_source_then_delete_first(c["claim"]), id="claim-citation-replaced"
        ),
        pytest.param(lambda c: setattr_save(c["quote"], round=c["rounds"][1]), id="quote-round"),
        pytest.param(lambda c: setattr_save(c["quote"], round=None), id="quote-no-round"),
        pytest.param(lambda c: setattr_save(c["quote"], state="draft"), id="quote-unpublished"),
        pytest.param(lambda c: setattr_save(c["draft"], state="published"), id="quote-published"),
        pytest.param(lambda c: setattr_save(c["claim"], round=c["rounds"][1]), id="claim-round"),
        pytest.param(lambda c: setattr_save(c["claim"], state="draft"), id="claim-unpublished"),
        pytest.param(
            lambda c: Quote.objects.filter(pk=c["quote"].pk).update(round=c["rounds"][1]),
            id="quotes-update-round",
        ),
        pytest.param(
            lambda c: Quote.objects.filter(pk=c["quote"].pk).update(state="draft"),
            id="quotes-update-state",
        ),
        pytest.param(
            lambda c: Claim.objects.filter(pk=c["claim"].pk).update(round=None),
            id="claims-update-round",
        ),
        pytest.param(lambda c: c["quote"].delete(), id="quote-deleted"),
        pytest.param(lambda c: Quote.objects.all().delete(), id="quotes-deleted"),
        pytest.param(lambda c: c["claim"].delete(), id="claim-deleted"),
        pytest.param(
            lambda c: setattr_save(c["item"], round=c["rounds"][1]), id="agenda-item-round"
        ),
        pytest.param(lambda c: c["item"].delete(), id="agenda-item-deleted"),
        pytest.param(
            lambda c: AgendaItem.objects.filter(pk=c["item"].pk).delete(),
            id="agenda-items-deleted",
        ),
        pytest.param(lambda c: delete_round_with_its_agenda(c), id="round-deleted"),
        pytest.param(lambda c: setattr_save(c["both"], state="draft"), id="source-unpublished"),
    ],
)
def test_every_write_path_keeps_a_sources_rounds_equal_to_cited_in_round(cited, write):
    write(cited)
    assert_rounds_counted_as_cited_in_round()


def delete_round_with_its_agenda(cited):
    """A round with no quotes or claims (they protect it) goes with its agenda."""
    round_ = make_round()
    item = make_agenda_item(round_, make_sticking_point())
    cite(item, source=cited["both"])
    assert_rounds_counted_as_cited_in_round()
    round_.delete()
