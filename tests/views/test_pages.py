"""Home, search and the integrity report; every public path answers."""

import pytest
from django.core.management import CommandError, call_command

from negotiations.models import (
    Citation,
    Claim,
    Quote,
    Source,
)

pytestmark = pytest.mark.django_db


LISTS = ["/", "/rounds/", "/issues/", "/officials/", "/quotes/", "/claims/", "/sources/"]


EXTRA = ["/integrity/", "/search/?q=tariffs"]


class TestPublicIntegrity:
    def test_integrity_page_lists_counts_disputes_unverified_and_broken(self, seeded, client):
        Source.objects.filter(slug="bessent-fox-yahoo").update(
            body=Source.objects.get(slug="bessent-fox-yahoo").body.replace("a bit stalled", "stuck")
        )
        with pytest.raises(CommandError):  # re-derived; the quote now rests on nothing
            call_command("check_integrity", repair=True, verbosity=0)
        page = client.get("/integrity/")
        assert page.status_code == 200
        unverified = Quote.objects.get(text="a bit stalled")
        assert unverified.get_absolute_url() in page.text
        for claim in Claim.objects.filter(status="disputed"):
            assert claim.get_absolute_url() in page.text
        # The cited sentence lost its quoted words: found only approximately, under review.
        broken = Citation.objects.exclude(anchor_status="anchored").get()
        assert broken.anchor_status == "review"
        assert broken.quote.get_absolute_url() in page.text
        counts = dict((v.value, n) for v, n, _ in page.context["verdict_counts"])
        assert counts["unverified"] == 1


@pytest.mark.parametrize("path", LISTS + EXTRA)
def test_every_public_path_answers(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers
    assert '<main id="content"' in response.text
