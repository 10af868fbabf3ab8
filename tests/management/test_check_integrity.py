"""check_integrity: passes on the seed, and fails, naming the problem, after each kind of
corruption that a write behind the model layer (QuerySet.update, raw SQL) can leave."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from negotiations.models import Citation, Claim, Official, Quote, Source

pytestmark = pytest.mark.django_db


def violations(capsys, **options):
    with pytest.raises(CommandError, match="integrity violation"):
        call_command("check_integrity", **options)
    return capsys.readouterr().err


def test_passes_on_the_seed_strictly(seeded, capsys):
    call_command("check_integrity", strict=True)
    assert "Integrity holds" in capsys.readouterr().out


def test_a_text_changed_behind_the_model_layer_is_found_and_repaired(seeded, capsys):
    source = Source.objects.get(slug="bessent-fox-yahoo")
    edited = "UPDATED. " + source.body  # every passage moves
    Source.objects.filter(pk=source.pk).update(body=edited)
    err = violations(capsys)
    assert "anchor: citation" in err and "is marked anchored but" in err
    call_command("check_integrity", repair=True, strict=True)
    assert "Integrity holds" in capsys.readouterr().out
    for citation in Citation.objects.filter(source=source):
        assert edited[citation.start : citation.end] == citation.exact


def test_a_destroyed_passage_leaves_a_published_quote_without_support(seeded, capsys):
    source = Source.objects.get(slug="bessent-fox-yahoo")
    Source.objects.filter(pk=source.pk).update(body="Nothing left of the article.")
    err = violations(capsys, repair=True)
    quote = Quote.objects.get(seed_key="quote:bessent-a-bit-stalled")
    assert f"published quote “a bit stalled” ({quote.pk}) rests on no anchored passage" in err
    assert Citation.objects.broken().filter(source=source).exists()  # repaired: marked broken
    assert quote.__class__.objects.get(pk=quote.pk).verification == "unverified"


def test_a_stale_verdict_and_a_stale_status_are_found(seeded, capsys):
    quote = Quote.objects.filter(kind="paraphrase").first()
    Quote.objects.filter(pk=quote.pk).update(verification="verbatim")
    claim = Claim.objects.filter(status="single_source").first()
    Claim.objects.filter(pk=claim.pk).update(status="corroborated")
    err = violations(capsys)
    assert f"quote {quote.pk} is stored as verbatim but derives as reported" in err
    assert f"claim {claim.pk} is stored as corroborated" in err


def test_a_published_quote_whose_citations_were_deleted_behind_the_model_layer(seeded, capsys):
    quote = Quote.objects.published().first()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM negotiations_citation WHERE quote_id = %s", [quote.pk])
    err = violations(capsys, repair=True)
    assert f"({quote.pk}) rests on no anchored passage of a published source" in err


def test_a_draft_speaker_of_a_published_quote_is_found_on_the_public_pages(seeded, capsys):
    Official.objects.filter(slug="mao-ning").update(state="draft")
    err = violations(capsys)
    assert "who is not published" in err
    assert "public: /quotes/" in err and "shows draft official" in err


def test_a_source_deriving_from_itself_is_found(seeded, capsys):
    source = Source.objects.get(slug="britishwire-talks-lose-momentum")
    through = Source.derived_from.through
    through.objects.create(from_source=source, to_source=source)  # bypasses the model rules
    err = violations(capsys)
    assert f"source {source.pk} derives from itself" in err


def test_the_command_exits_non_zero_from_the_shell(seeded):
    Source.objects.filter(slug="bessent-fox-yahoo").update(body="Nothing left.")
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "check_integrity", "-v0"])
    assert exit_info.value.code != 0
