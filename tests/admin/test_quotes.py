"""Quotes in the admin: dates and rules checked with messages that say what to fix."""

import datetime

import pytest
from django.utils import timezone

from negotiations.models import (
    Quote,
)
from tests.factories import (
    make_official,
)
from tests.helpers import admin_url

pytestmark = pytest.mark.django_db


class TestValidation:
    def test_a_quote_said_in_the_future_is_refused(self, editor_client):
        speaker = make_official()
        future = timezone.localdate() + datetime.timedelta(days=3)
        response = editor_client.post(
            admin_url(Quote, "add"),
            {
                "text": "words",
                "speaker": speaker.pk,
                "kind": "direct",
                "said_on": future.isoformat(),
                "said_precision": "day",
                "citations-TOTAL_FORMS": "0",
                "citations-INITIAL_FORMS": "0",
            },
        )
        assert "cannot have been said in the future" in response.text
