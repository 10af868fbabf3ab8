"""Fixtures for every test: the seed loaded once per session, an empty knowledge base for the
tests that build their own data, and editors."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection

from negotiations import models
from negotiations.roles import REVIEWERS
from tests.helpers import user_in


def knowledge_base_tables(*, derived=False):
    """Every table of the app: records, their links, their history (not the change stamp, the
    site's bookkeeping, which backups leave out too; nor, unless ``derived``, the facet counts,
    which backups leave out and count again)."""
    app = apps.get_app_config("negotiations")
    left_out = {models.ChangeStamp} | (
        set() if derived else {models.FacetCount, models.FacetSignature}
    )
    return [
        model._meta.db_table
        for model in app.get_models(include_auto_created=True)
        if model not in left_out
    ]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the seed once into the test database; each test's changes are rolled back."""
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)


@pytest.fixture
def seeded(db):
    # A transactional test (a live server) flushes the database afterwards: load it again.
    if not models.Source.objects.exists():
        call_command("load_seed", verbosity=0)


@pytest.fixture(autouse=True)
def _empty_knowledge_base_unless_seeded(request):
    """Tests that build their own data start from an empty knowledge base (rolled back after)."""
    if "seeded" in request.fixturenames:
        return
    if not (request.node.get_closest_marker("django_db") or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    # Plain DELETEs inside the test's transaction, rolled back after it like everything else.
    # Foreign keys are checked at commit (deferred on SQLite and PostgreSQL), so order does not
    # matter; Django's delete collector would also write a history row per deleted record.
    with connection.cursor() as cursor:
        for table in knowledge_base_tables(derived=True):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(client, db):
    client.force_login(user_in(REVIEWERS, "rita"))
    return client


@pytest.fixture
def sequences_past_what_the_rollback_brings_back():
    """For tests that set PostgreSQL's id sequences (a restore, the synthetic generator): a
    rollback does not undo that, so the test database's own rows would come back past them and
    a later test's insert collide with one. Moved far past them afterwards."""
    yield
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in apps.get_app_config("negotiations").get_models(include_auto_created=True):
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField"):
                continue
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), 10000000)",
                [model._meta.db_table, pk.column],
            )
