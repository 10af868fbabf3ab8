"""Officials and their positions."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from negotiations.models import Position
from tests.factories import (
    make_official,
)
from tests.helpers import refused_by_database

pytestmark = pytest.mark.django_db


class TestPosition:
    def test_end_before_start_is_refused(self):
        official = make_official()
        position = Position(
            official=official,
            title="Minister",
            start_on=datetime.date(2025, 1, 1),
            start_precision="day",
            end_on=datetime.date(2024, 1, 1),
            end_precision="day",
        )
        with pytest.raises(ValidationError):
            position.full_clean()
        refused_by_database(position.save)
