"""Quotes and statements."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import (
    make_official,
    make_quote,
)
from tests.helpers import messages

pytestmark = pytest.mark.django_db


class TestQuote:
    def test_statement_must_share_the_speaker(self):
        from negotiations.models import Statement

        bessent, li = make_official(), make_official(country="CN")
        statement = Statement.objects.create(slug="s", speaker=bessent, summary="Talks stalled")
        quote = make_quote(speaker=li)
        quote.statement = statement
        with pytest.raises(ValidationError) as error:
            quote.full_clean()
        assert "another speaker" in messages(error)
