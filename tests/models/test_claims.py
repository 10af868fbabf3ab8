"""Claims: constraints on values, and the status derived from independent citations."""

import pytest
from django.core.exceptions import ValidationError

from negotiations.models import (
    Claim,
)
from tests.factories import (
    cite,
    make_claim,
    make_source,
)
from tests.helpers import messages, refused_by_database

pytestmark = pytest.mark.django_db


class TestClaimStatus:
    def status(self, claim):
        return Claim.objects.with_status().get(pk=claim.pk).status

    def test_a_claim_fetched_without_its_status_still_shows_it(self):
        claim = make_claim()
        cite(claim, make_source())
        cite(claim, make_source())
        plain = Claim.objects.get(pk=claim.pk)  # no with_status() annotation
        assert plain.get_status_display() == "Corroborated"
        assert "two independent sources" in str(plain.status_explanation)

    def test_single_source_then_corroborated_then_disputed(self):
        claim = make_claim()
        cite(claim, make_source())
        assert self.status(claim) == "single_source"
        cite(claim, make_source())
        assert self.status(claim) == "corroborated"
        cite(claim, make_source(), stance="disputes")
        assert self.status(claim) == "disputed"

    def test_a_copy_is_not_an_independent_source(self):
        claim = make_claim()
        original, copy = make_source(), make_source()
        copy.derived_from.add(original)
        cite(claim, original)
        cite(claim, copy)
        assert self.status(claim) == "single_source"

    def test_two_citations_of_one_source_are_one_source(self):
        claim = make_claim()
        source = make_source()
        cite(claim, source, passage="Tariffs fell from 145% to 30%.")
        cite(claim, source, passage="Negotiators met in Geneva.")
        assert self.status(claim) == "single_source"

    def test_the_seed_has_disputed_and_corroborated_claims(self, seeded):
        statuses = list(Claim.objects.with_status().values_list("status", flat=True))
        assert statuses.count("disputed") >= 3
        assert statuses.count("corroborated") >= 5


class TestClaim:
    def test_percentage_out_of_range_is_refused(self):
        claim = Claim(text="Tariffs of 14500%", value=14500, unit="percent")
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "between 0 and 1000" in messages(error)
        refused_by_database(claim.save)

    def test_tariffs_above_one_hundred_percent_are_allowed(self):
        claim = Claim(text="Tariffs of 145%", value=145, unit="percent")
        claim.full_clean()

    def test_a_value_needs_a_unit(self):
        claim = Claim(text="Thirty", value=30)
        with pytest.raises(ValidationError) as error:
            claim.full_clean()
        assert "needs its unit" in messages(error)
        refused_by_database(claim.save)

    def test_empty_text_is_refused(self):
        refused_by_database(lambda: Claim.objects.create(text=""))
