import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from negotiations import models

# Children before parents, so that PROTECT never stops the wipe.
KNOWLEDGE_BASE = [
    models.Citation,
    models.Quote,
    models.Claim,
    models.Statement,
    models.AgendaItem,
    models.Participant,
    models.Round,
    models.Position,
    models.Official,
    models.StickingPoint,
    models.Source,
    models.Outlet,
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
    for model in KNOWLEDGE_BASE:
        model.objects.all().delete()


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="correct horse battery", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
