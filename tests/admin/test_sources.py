"""Sources in the admin: a text saved from a browser keeps its anchors."""

import pytest

from negotiations.models import (
    Source,
)
from negotiations.seed.loader import SEED_DIR
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db


class TestTextAsBrowsersSendIt:
    def test_saving_a_source_untouched_keeps_its_text_and_anchors(self, seeded, editor_client):
        source = Source.objects.get(slug="stockholm-no-major-progress")
        anchors = list(source.citations.order_by("pk").values_list("start", "end"))
        data = form_data(editor_client.get(admin_url(Source, "change", source.pk)))
        data["body"] = data["body"].replace("\n", "\r\n")  # as a browser posts a textarea
        data["reliability_note"] = "Checked again."
        response = editor_client.post(admin_url(Source, "change", source.pk), data, follow=True)
        assert "The text changed" not in response.text
        source.refresh_from_db()
        assert "\r" not in source.body
        assert list(source.citations.order_by("pk").values_list("start", "end")) == anchors
        assert (SEED_DIR / "sources" / "002_ffa3484574f55223.txt").read_text(
            encoding="utf-8"
        ) == source.body


def test_the_list_counts_citations_and_sorts_by_them(seeded, editor_client):
    counts = {s.title: s.citations.count() for s in Source.objects.all()}
    # list_display: title, reference, outlet, published_on, reliability, state, citations (6)
    page = editor_client.get(admin_url(Source, "changelist"), {"o": "-6"})
    assert page.status_code == 200
    rows = page.context["cl"].result_list
    assert [row.citations_count for row in rows] == sorted(counts.values(), reverse=True)
    assert {row.title: row.citations_count for row in rows} == counts
