"""The management commands an editor or operator runs."""

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_add_editor_creates_a_staff_account_in_the_editors_group(monkeypatch, client):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "tariff-truce-2025")
    call_command("add_editor", "alice", stdout=None)
    alice = User.objects.get(username="alice")
    assert alice.is_staff and not alice.is_superuser
    assert list(alice.groups.values_list("name", flat=True)) == ["Editors"]
    assert client.login(username="alice", password="tariff-truce-2025")
    assert client.get("/admin/negotiations/quote/add/").status_code == 200


def test_add_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("add_editor", "bob")
    assert not User.objects.filter(username="bob").exists()


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


def test_add_editor_reviewer_joins_the_reviewers(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "tariff-truce-2025")
    call_command("add_editor", "rita", reviewer=True)
    rita = User.objects.get(username="rita")
    assert list(rita.groups.values_list("name", flat=True)) == ["Reviewers"]
    assert rita.has_perm("negotiations.publish_quote")
