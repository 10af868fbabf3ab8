"""Rounds in the admin: validation messages for dates and slugs, never an error page."""

import datetime

import pytest
from django.utils import timezone

from negotiations.models import (
    Round,
)
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


def test_a_duplicate_slug_is_a_message_not_an_error(editor_client):
    Round.objects.create(slug="geneva", title="Geneva")
    response = editor_client.post(
        admin_url(Round, "add"),
        {
            "title": "Geneva again",
            "slug": "geneva",
            "kind": "talks",
            "start_precision": "unknown",
            "end_precision": "unknown",
            "state": "draft",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "agenda_items-TOTAL_FORMS": "0",
            "agenda_items-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.text
    assert Round.objects.count() == 1


class TestValidation:
    def test_a_concluded_round_cannot_be_dated_in_the_future(self, editor_client):
        future = timezone.localdate() + datetime.timedelta(days=40)
        response = editor_client.post(
            admin_url(Round, "add"),
            {
                "title": "Future talks",
                "slug": "future-talks",
                "kind": "talks",
                "start_on": future.isoformat(),
                "start_precision": "day",
                "end_precision": "unknown",
                "outcome": "An agreement.",
                "participants-TOTAL_FORMS": "0",
                "participants-INITIAL_FORMS": "0",
                "agenda_items-TOTAL_FORMS": "0",
                "agenda_items-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 200
        assert "cannot be in the future" in response.text
        assert not Round.objects.filter(slug="future-talks").exists()

    def test_an_end_before_the_start_says_what_to_fix(self, editor_client):
        response = editor_client.post(
            admin_url(Round, "add"),
            {
                "title": "Backwards talks",
                "slug": "backwards",
                "kind": "talks",
                "start_on": "2025-05-12",
                "start_precision": "day",
                "end_on": "2025-05-10",
                "end_precision": "day",
                "participants-TOTAL_FORMS": "0",
                "participants-INITIAL_FORMS": "0",
                "agenda_items-TOTAL_FORMS": "0",
                "agenda_items-INITIAL_FORMS": "0",
            },
        )
        assert "A round cannot end before it starts." in response.text
