"""The seed knowledge base: complete, honest about its sources, and idempotent to load."""

import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q

from negotiations.models import (
    AgendaItem,
    Citation,
    Claim,
    Official,
    PublicationState,
    Quote,
    Round,
    Source,
    Statement,
    StickingPoint,
)
from negotiations.seed.loader import SEED_DIR

pytestmark = pytest.mark.django_db


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


MODELS = [Source, Official, StickingPoint, Round, AgendaItem, Statement, Quote, Claim, Citation]


def test_load_seed_refuses_a_passage_not_in_its_source(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text("The talks stalled in May.", encoding="utf-8")
    (tmp_path / "kb.toml").write_text(
        """
[[sources]]
slug = "a"
file = "a.txt"
title = "A"

[[officials]]
slug = "bessent"
name = "Scott Bessent"
country = "US"

[[quotes]]
key = "bessent-collapsed"
text = "the talks collapsed"
speaker = "bessent"
citations = [{ source = "a", exact = "the talks collapsed" }]
""",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="does not appear in the source"):
        call_command("load_seed", path=str(tmp_path / "kb.toml"))
    from negotiations.models import Source

    assert not Source.objects.exists()  # all or nothing


def test_load_seed_refuses_what_the_database_refuses_and_names_the_record(tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text("Tariffs rose to 1450%, a typo.", encoding="utf-8")
    (tmp_path / "kb.toml").write_text(
        """
[[sources]]
slug = "a"
file = "a.txt"
title = "A"

[[claims]]
key = "tariffs-1450"
text = "Tariffs rose to 1450%"
value = 1450
unit = "percent"
citations = [{ source = "a", exact = "Tariffs rose to 1450%" }]
""",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Claim .*claim_percent_in_range"):
        call_command("load_seed", path=str(tmp_path / "kb.toml"))
    from negotiations.models import Source

    assert not Source.objects.exists()  # all or nothing


def test_loading_twice_changes_nothing(seeded, capsys):
    first = counts()
    stamps = list(Citation.objects.order_by("pk").values_list("pk", "updated_at"))
    call_command("load_seed")
    assert counts() == first
    assert list(Citation.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_if_empty_leaves_an_existing_base_alone(seeded, capsys):
    Quote.objects.filter(pk=Quote.objects.first().pk).update(setting="corrected by an editor")
    call_command("load_seed", if_empty=True)
    assert Quote.objects.filter(setting="corrected by an editor").count() == 1
    assert "not loaded again" in capsys.readouterr().out


def test_dry_run_writes_nothing(db):
    call_command("load_seed", dry_run=True, verbosity=0)
    assert all(n == 0 for n in counts().values())


def test_the_seed_meets_its_minimums(seeded):
    assert Source.objects.count() == 5
    assert StickingPoint.objects.count() >= 8
    assert Quote.objects.count() >= 25
    assert Claim.objects.count() >= 30
    assert Round.objects.filter(slug__contains="geneva").exists()
    assert Round.objects.filter(slug__contains="stockholm").exists()


def test_every_record_is_published_and_cited(seeded):
    for model in (Quote, Claim):
        uncited = model.objects.annotate(n=Count("citations")).filter(n=0)
        assert not uncited.exists(), f"{model.__name__} without a citation: {list(uncited)}"
        assert not model.objects.exclude(state=PublicationState.PUBLISHED).exists()
    assert not AgendaItem.objects.annotate(n=Count("citations")).filter(n=0).exists()


def test_every_citation_is_in_its_source_at_its_offsets(seeded):
    citations = Citation.objects.select_related("source")
    assert citations.count() > 100
    for citation in citations:
        body = citation.source.body
        assert body[citation.start : citation.end] == citation.exact, citation
        assert body[: citation.start].endswith(citation.prefix)
        assert body[citation.end :].startswith(citation.suffix)


def test_stored_text_is_the_article_byte_for_byte(seeded):
    for source in Source.objects.all():
        files = sorted((SEED_DIR / "sources").glob("*.txt"))
        assert any(path.read_text(encoding="utf-8") == source.body for path in files)


def test_unknown_metadata_stays_unknown(seeded):
    with_url = Source.objects.exclude(url="")
    assert [s.outlet.name for s in with_url] == ["British Wire"]
    dated = Source.objects.exclude(published_precision="unknown")
    assert [(s.published_on.isoformat(), s.published_as_printed) for s in dated] == [
        ("2025-07-29", "2025-07-29 20:30:13")
    ]
    assert Source.objects.filter(outlet__isnull=True).count() == 4


def test_chinese_officials_have_native_names(seeded):
    assert Official.objects.get(slug="li-chenggang").native_name == "李成钢"
    assert not Official.objects.filter(country="CN", native_name="").exists()


def test_one_remark_in_three_wordings_is_one_statement(seeded):
    stalled = Statement.objects.get(slug="bessent-talks-stalled")
    wordings = stalled.quotes.all()
    assert wordings.count() == 3
    assert {q.kind for q in wordings} == {"partial"}
    sources = Citation.objects.filter(quote__statement=stalled).values_list("source", flat=True)
    assert len(set(sources)) == 3


def test_contradictions_are_recorded_as_disputes(seeded):
    disputed = Claim.objects.filter(citations__stance="disputes").distinct()
    assert disputed.count() >= 3
    for claim in disputed:
        assert claim.citations.filter(stance="supports").exists() or claim.citations.count() > 1
    supported_by_two = Claim.objects.annotate(
        supporting=Count(
            "citations__source", filter=Q(citations__stance="supports"), distinct=True
        ),
        disputing=Count("citations", filter=Q(citations__stance="disputes")),
    ).filter(supporting__gte=2, disputing=0)
    assert supported_by_two.count() >= 5


def test_unreliable_sources_say_why(seeded):
    former = Source.objects.get(body__contains="former President Donald Trump")
    assert "former President Donald Trump" in former.reliability_note
    assert Source.objects.get(body__contains="positive trade balance").reliability_note


def test_notes_that_name_a_source_by_reference_can_be_followed(seeded, client):
    references = set(Source.objects.values_list("reference", flat=True))
    assert references == {"000", "001", "002", "003", "004"}
    source = Source.objects.get(reference="002")
    assert (
        "notes on this site that say “002” mean this source"
        in client.get(source.get_absolute_url()).text
    )
    assert '<span class="reference">002</span>' in client.get("/sources/").text


def copy_of_the_seed(tmp_path):
    """The seed file and its articles in a folder of the test's own, to edit."""
    shutil.copytree(SEED_DIR / "sources", tmp_path / "sources")
    copy = tmp_path / "knowledge_base.toml"
    copy.write_text((SEED_DIR / "knowledge_base.toml").read_text(encoding="utf-8"), "utf-8")
    return copy


def test_a_corrected_passage_updates_its_citation_in_place(seeded, tmp_path):
    kb = copy_of_the_seed(tmp_path)
    old = "Bessent described the current status of talks as “a bit stalled,”"
    text = kb.read_text(encoding="utf-8")
    assert text.count(old) == 1
    citation = Citation.objects.get(exact=old)
    kb.write_text(text.replace(old, "described the current status of talks as “a bit stalled,”"))
    total = Citation.objects.count()
    call_command("load_seed", path=str(kb), verbosity=0)
    assert Citation.objects.count() == total  # not a second citation beside the old one
    citation.refresh_from_db()
    assert citation.exact == "described the current status of talks as “a bit stalled,”"


def test_a_record_removed_from_the_seed_is_removed_on_reload(seeded, tmp_path):
    kb = copy_of_the_seed(tmp_path)
    text = kb.read_text(encoding="utf-8")
    claim = Claim.objects.get(seed_key="claim:the-truces-tariff-measures-took-effect")
    start = text.index('key = "the-truces-tariff-measures-took-effect"')
    block_start = text.rindex("[[claims]]", 0, start)
    block_end = text.index("[[claims]]", start)
    kb.write_text(text[:block_start] + text[block_end:], encoding="utf-8")
    call_command("load_seed", path=str(kb), verbosity=0)
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert not Citation.objects.filter(claim=claim.pk).exists()


def test_records_loaded_before_seed_keys_existed_are_adopted_not_duplicated(seeded):
    Quote.objects.update(seed_key="")
    Claim.objects.update(seed_key="")
    Citation.objects.update(seed_key="")
    before = {model: model.objects.count() for model in (Quote, Claim, Citation)}
    call_command("load_seed", verbosity=0)
    assert {model: model.objects.count() for model in (Quote, Claim, Citation)} == before
    assert not Quote.objects.filter(seed_key="").exists()


def test_copies_and_rewrites_of_one_report_count_as_one_origin(seeded):
    origin = dict(Source.objects.values_list("reference", "origin"))
    assert origin["001"] == origin["002"]  # two rewrites of one report
    assert origin["000"] == origin["003"]  # 000 rewrites 003
    assert origin["004"] not in {origin["001"], origin["000"]}


def test_no_claim_is_corroborated_by_001_and_002_alone(seeded):
    for claim in Claim.objects.filter(status="corroborated"):
        supporting = set(
            claim.citations.filter(stance="supports").values_list("source__reference", flat=True)
        )
        assert supporting - {"001", "002"}, claim.text
