"""generate_synthetic: a synthetic knowledge base written around the model layer that still
keeps every rule (check_integrity --strict, honest anchors), gives the same rows for the same
seed, skews speakers by Zipf's law, and has the shape and counts asked for."""

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from negotiations import anchoring
from negotiations.models import (
    Citation,
    Claim,
    Official,
    Outlet,
    Quote,
    Round,
    Source,
    Statement,
    StickingPoint,
)
from negotiations.services.backup import export_kb

# The generator sets the id sequences (see conftest.sequences_past_what_the_rollback_brings_back).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("sequences_past_what_the_rollback_brings_back"),
]

QUOTES = 300


def generate(**options):
    call_command("generate_synthetic", quotes=QUOTES, verbosity=0, **options)


def snapshot():
    """The whole knowledge base as export_kb writes it: the same rows give the same text."""
    stream = io.StringIO()
    export_kb(stream=stream)
    return stream.getvalue()


def test_every_rule_holds_strictly(capsys):
    call_command("generate_synthetic", quotes=QUOTES)
    assert f"Generated {QUOTES} quotes in" in capsys.readouterr().out
    connection.check_constraints()  # foreign keys are checked at a commit the test never makes
    call_command("check_integrity", strict=True)
    assert "Integrity holds: no violation found." in capsys.readouterr().out


def test_every_citation_is_anchored_where_an_editor_pasting_it_would_be():
    generate()
    citations = Citation.objects.select_related("source")
    assert citations.count() > QUOTES
    for citation in citations:
        body = citation.source.body
        anchor = anchoring.make_anchor(body, citation.start, citation.end)
        assert citation.anchor == anchor  # exact at its offsets, real text around it
        assert citation.anchor_status == "anchored"
        assert anchoring.find_passage(
            body, citation.exact, prefix=citation.prefix, suffix=citation.suffix
        ) == (anchor)


def test_verdicts_and_statuses_of_every_kind_are_derived_as_the_rules_would():
    generate()
    verdicts = Counter(Quote.objects.values_list("verification", flat=True))
    assert set(verdicts) == {"verbatim", "variant", "reported", "unverified"}
    assert verdicts["verbatim"] > QUOTES / 2
    assert set(Quote.objects.filter(kind="paraphrase").values_list("verification", flat=True)) == {
        "reported"
    }
    statuses = Counter(Claim.objects.values_list("status", flat=True))
    assert {"corroborated", "single_source", "disputed"} <= set(statuses)
    assert Statement.objects.exists()
    # Stored as the derivation stores them: check_integrity compares every one (above).


def test_the_same_seed_gives_the_same_rows_and_another_seed_others():
    generate(seed=7)
    first = snapshot()
    generate(seed=7, replace=True)
    assert snapshot() == first
    generate(seed=8, replace=True)
    assert snapshot() != first


def test_a_database_holding_a_knowledge_base_is_refused_unless_replace():
    Outlet.objects.create(name="Kept Outlet", slug="kept-outlet")
    with pytest.raises(CommandError, match=r"already holds a knowledge base.*--replace"):
        generate()
    assert list(Outlet.objects.values_list("slug", flat=True)) == ["kept-outlet"]
    generate(replace=True)
    assert not Outlet.objects.filter(slug="kept-outlet").exists()
    assert Quote.objects.count() == QUOTES


def test_speakers_follow_zipf():
    generate()
    counts = sorted(Counter(Quote.objects.values_list("speaker", flat=True)).values())[::-1]
    # s = 1 over 200 officials: the first has 1/H(200) ≈ 17%, the second about half of that.
    assert 0.15 <= counts[0] / QUOTES <= 0.19
    assert 1.6 <= counts[0] / counts[1] <= 2.4
    assert counts[0] / counts[9] > 6


def test_the_counts_and_shape_asked_for():
    generate()
    expected = {Quote: QUOTES, Source: QUOTES, Claim: QUOTES // 10, Official: 200}
    expected |= {StickingPoint: 50, Round: 300, Outlet: 40}
    assert {model: model.objects.count() for model in expected} == expected
    chinese = Official.objects.filter(country="CN")
    assert chinese.count() == 100
    assert not chinese.filter(native_name="").exists()
    assert all(
        "\u4e00" <= name[0] <= "\u9fff" for name in chinese.values_list("native_name", flat=True)
    )

    quotes = Quote.objects.annotate(
        issues=Count("sticking_points", distinct=True), cited=Count("citations", distinct=True)
    )
    assert {q.issues for q in quotes} == {1, 2, 3}
    assert {q.cited for q in quotes} == {1, 2}
    assert quotes.exclude(round=None).count() > QUOTES * 0.7
    assert Counter(Quote.objects.values_list("said_precision", flat=True))["day"] > QUOTES * 0.7
    claims = Claim.objects.annotate(
        issues=Count("sticking_points", distinct=True),
        people=Count("officials", distinct=True),
        cited=Count("citations", distinct=True),
    )
    for claim in claims:
        assert 1 <= claim.issues <= 3 and 1 <= claim.people <= 3 and 1 <= claim.cited <= 3
        assert claim.round_id
    assert Round.objects.filter(participants__isnull=False, agenda_items__isnull=False).exists()

    for model in (Source, Official, StickingPoint, Round, Statement, Quote, Claim):
        assert not model.objects.exclude(state="published").exists(), model
    for model in (Source, Official, StickingPoint, Round, Statement, Outlet):
        assert not model.objects.exclude(slug__startswith="syn-").exists(), model
    assert max(len(body) for body in Source.objects.values_list("body", flat=True)) < 1500
    assert 0.12 < Quote.objects.filter(text__icontains="tariffs").count() / QUOTES < 0.3
    assert Quote.objects.filter(text__contains="U.S.").exists()
    assert Quote.objects.filter(text__contains=" US ").exists()


def test_the_indexes_dropped_for_the_load_are_all_there_again():
    def indexes():
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
            return {
                (table, name, tuple(info["columns"]), info["unique"])
                for table in tables
                if table.startswith("negotiations_")
                for name, info in connection.introspection.get_constraints(cursor, table).items()
                if info["index"]
            }

    before = indexes()
    generate()
    assert indexes() == before
    assert Quote.objects.filter(speaker__slug__startswith="syn-").count() == QUOTES  # used
