import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command


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
def seeded(db):
    call_command("load_seed", verbosity=0)
