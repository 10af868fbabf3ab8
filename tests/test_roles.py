"""The editorial roles: what editors and reviewers may do."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from negotiations.models import (
    Quote,
)
from negotiations.roles import EDITORS, PUBLISHABLE, REVIEWERS
from tests.helpers import admin_url, user_in

pytestmark = pytest.mark.django_db


class TestRoles:
    @pytest.mark.parametrize("model_name", PUBLISHABLE)
    def test_editors_and_reviewers_rights_on_each_record(self, db, model_name):
        editor, reviewer = user_in(EDITORS, "ed"), user_in(REVIEWERS, "rita")
        for user in (editor, reviewer):
            for action in ("add", "change", "view"):
                assert user.has_perm(f"negotiations.{action}_{model_name}")
            assert not user.has_perm(f"negotiations.delete_{model_name}")
        assert not editor.has_perm(f"negotiations.publish_{model_name}")
        assert reviewer.has_perm(f"negotiations.publish_{model_name}")

    def test_only_reviewers_are_offered_the_publish_actions(self, seeded, client):
        client.force_login(user_in(EDITORS, "ed"))
        assert "publish_selected" not in client.get(admin_url(Quote, "changelist")).text
        client.force_login(user_in(REVIEWERS, "rita"))
        page = client.get(admin_url(Quote, "changelist")).text
        assert "publish_selected" in page and "unpublish_selected" in page
        assert "delete_selected" not in page

    def test_an_editor_cannot_publish_by_posting_the_action(self, seeded, editor_client):
        quote = Quote.objects.first()
        Quote.objects.filter(pk=quote.pk).update(state="draft")
        editor_client.post(
            admin_url(Quote, "changelist"),
            {"action": "publish_selected", "_selected_action": [quote.pk]},
        )
        quote.refresh_from_db()
        assert quote.state == "draft"

    def test_nobody_in_the_groups_can_delete_a_record(self, seeded, reviewer_client):
        quote = Quote.objects.first()
        assert reviewer_client.get(admin_url(Quote, "delete", quote.pk)).status_code == 403


def test_migrate_brings_the_groups_back_in_line_with_roles_py(db):
    """Roles are synced after every migrate (post_migrate), not frozen in a data migration."""
    editors = Group.objects.get(name=EDITORS)
    editors.permissions.add(Permission.objects.get(codename="publish_quote"))
    Group.objects.filter(name=REVIEWERS).delete()
    call_command("migrate", verbosity=0)
    editors = Group.objects.get(name=EDITORS)
    assert not editors.permissions.filter(codename="publish_quote").exists()
    reviewer = user_in(REVIEWERS, "rita")
    assert reviewer.has_perm("negotiations.publish_quote")
