"""add_editor: staff accounts in the Editors or Reviewers group."""

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
    client.post("/admin/login/", {"username": "alice", "password": "tariff-truce-2025"})
    assert client.get("/admin/negotiations/quote/add/").status_code == 200


def test_add_editor_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("add_editor", "bob")
    assert not User.objects.filter(username="bob").exists()


def test_add_editor_reviewer_joins_the_reviewers(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "tariff-truce-2025")
    call_command("add_editor", "rita", reviewer=True)
    rita = User.objects.get(username="rita")
    assert list(rita.groups.values_list("name", flat=True)) == ["Reviewers"]
    assert rita.has_perm("negotiations.publish_quote")
