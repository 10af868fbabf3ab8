"""add_editor: staff accounts in the Editors or Reviewers group."""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


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


def test_the_password_can_come_from_standard_input(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("tariff-truce-2025\n"))
    call_command("add_editor", "carol", password_stdin=True, stdout=io.StringIO())
    assert User.objects.get(username="carol").check_password("tariff-truce-2025")


def test_an_empty_standard_input_is_refused_and_nothing_made(monkeypatch):
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="standard input held no password"):
        call_command("add_editor", "dave", password_stdin=True)
    assert not User.objects.filter(username="dave").exists()


def test_a_user_name_django_would_refuse_is_refused_with_its_reason(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", "tariff-truce-2025")
    with pytest.raises(CommandError, match="valid username"):
        call_command("add_editor", "eve smith")
    assert not User.objects.exists()


def make(*arguments, **options):
    return subprocess.run(
        [
            "make",
            "--no-print-directory",
            "-o",
            ".venv/.runtime-installed",  # the test's own Python is installed already
            f"BIN={Path(sys.executable).parent}",
            *arguments,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        **options,
    )


def test_make_editor_takes_a_name_and_a_password_without_a_terminal(tmp_path):
    """`make editor NAME=alice PASSWORD_STDIN=1` with the password piped in, no terminal: the
    Makefile's own recipe, run against a database of its own."""
    database = tmp_path / "accounts.sqlite3"
    answer = make(
        "editor",
        "NAME=alice",
        "PASSWORD_STDIN=1",
        input="tariff-truce-2025\n",
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
    )
    assert answer.returncode == 0, answer.stderr
    assert "Created editor “alice”" in answer.stdout
    with sqlite3.connect(database) as accounts:
        groups = accounts.execute(
            "SELECT g.name FROM auth_user u JOIN auth_user_groups ug ON ug.user_id = u.id "
            "JOIN auth_group g ON g.id = ug.group_id WHERE u.username = 'alice' AND u.is_staff"
        ).fetchall()
    assert groups == [("Editors",)]


def test_make_reviewer_passes_the_name_and_the_role_through():
    recipe = make("-n", "reviewer", "NAME=rita", "PASSWORD_STDIN=1").stdout
    assert "manage.py add_editor 'rita' --password-stdin --reviewer" in recipe
