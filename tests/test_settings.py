"""Settings from the environment: production refuses the development secret key; an empty
DATABASE_URL falls back to SQLite."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def import_settings(code="import negotiations.settings", **env):
    """Run ``code`` in a fresh Python with the DJANGO_ variables replaced by ``env``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = import_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_with_a_secret_key_starts():
    result = import_settings(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="example.org"
    )
    assert result.returncode == 0, result.stderr


def test_an_empty_database_url_means_the_sqlite_default():
    code = "from negotiations.settings import DATABASES; print(DATABASES['default']['ENGINE'])"
    result = import_settings(code, DATABASE_URL="")
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr
