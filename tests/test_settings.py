"""Settings from the environment: production refuses the development secret key; an empty
DATABASE_URL falls back to SQLite."""

import os
import secrets
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


DEPLOY = {  # the README's deployment environment
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "negotiations.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://negotiations.example.org",
    "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "1",
    "DJANGO_HSTS_PRELOAD": "1",
}


def test_the_deploy_check_passes_in_the_readmes_deployment():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'negotiations.settings'; "
        "django.setup(); from django.core.management import call_command; "
        "call_command('check', deploy=True, fail_level='WARNING')"
    )
    result = import_settings(code, **DEPLOY)
    assert result.returncode == 0, result.stderr


def test_production_sends_hsts_for_a_year_with_subdomains_when_chosen():
    code = (
        "from negotiations import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD)"
    )
    assert import_settings(code, **DEPLOY).stdout.split() == ["31536000", "True", "True"]
    declined = {**DEPLOY, "DJANGO_HSTS_INCLUDE_SUBDOMAINS": "0", "DJANGO_HSTS_PRELOAD": "0"}
    assert import_settings(code, **declined).stdout.split() == ["31536000", "False", "False"]
