"""The public shell: every path of the URL table answers with the seed; drafts stay hidden."""

import pytest

from negotiations.models import Claim, Official, Quote, Round, Source, StickingPoint

pytestmark = pytest.mark.django_db

LISTS = ["/", "/rounds/", "/issues/", "/officials/", "/quotes/", "/claims/", "/sources/"]


@pytest.mark.parametrize("path", LISTS)
def test_lists_answer(seeded, client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "Content-Security-Policy" in response.headers


@pytest.mark.parametrize("model", [Round, StickingPoint, Official, Quote, Claim, Source])
def test_every_published_record_has_a_page(seeded, client, model):
    for record in model.objects.published():
        assert client.get(record.get_absolute_url()).status_code == 200, record


@pytest.mark.parametrize(
    "path",
    ["/rounds/no-such-round/", "/issues/nope/", "/quotes/999999/", "/sources/nope/", "/nowhere/"],
)
def test_unknown_records_are_404(seeded, client, path):
    assert client.get(path).status_code == 404


def test_a_draft_is_not_public(seeded, client):
    round_ = Round.objects.first()
    Round.objects.filter(pk=round_.pk).update(state="draft")
    assert client.get(round_.get_absolute_url()).status_code == 404
    assert round_.title not in client.get("/rounds/").text


def test_home_lists_issues_with_counts(seeded, client):
    response = client.get("/")
    issue = StickingPoint.objects.get(slug="tariffs")
    quotes = Quote.objects.published().filter(sticking_points=issue).count()
    assert f"{quotes} quotes" in response.text
