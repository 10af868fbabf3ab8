"""Rounds in the admin: validation messages for dates and slugs, never an error page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from negotiations.models import AgendaItem, Citation, Round
from tests.factories import cite, make_agenda_item, make_round, make_source, make_sticking_point
from tests.helpers import admin_url, form_data

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


class TestCitingTheAgendaFromTheRoundsForm:
    """An agenda item's citations are entered in the round's own form, one per row and save,
    a new round's in its first save (issue 13, 6a)."""

    def new_round(self, source, issue, passage, **row):
        return {
            "title": "London talks",
            "slug": "london-talks",
            "kind": "talks",
            "start_precision": "unknown",
            "end_precision": "unknown",
            "participants-TOTAL_FORMS": "0",
            "participants-INITIAL_FORMS": "0",
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-INITIAL_FORMS": "0",
            "agenda_items-0-sticking_point": issue.pk,
            "agenda_items-0-status": "progress",
            "agenda_items-0-cite_source": source.pk,
            "agenda_items-0-cite_stance": "supports",
            "agenda_items-0-cite_exact": passage,
            **{f"agenda_items-0-{name}": value for name, value in row.items()},
        }

    def test_a_new_rounds_agenda_is_cited_in_its_first_save(self, editor_client):
        source, issue = make_source(), make_sticking_point()
        response = editor_client.post(
            admin_url(Round, "add"), self.new_round(source, issue, "Tariffs fell from 145%  to 30%")
        )
        assert response.status_code == 302, response.context["errors"]
        item = AgendaItem.objects.get(round__slug="london-talks")
        citation = item.citations.get()
        assert (citation.source, citation.stance) == (source, "supports")
        assert source.body[citation.start : citation.end] == citation.exact
        assert citation.exact == "Tariffs fell from 145% to 30%"

    def test_a_passage_not_in_the_source_is_refused_on_its_row_and_nothing_saved(
        self, editor_client
    ):
        source, issue = make_source(), make_sticking_point()
        response = editor_client.post(
            admin_url(Round, "add"),
            self.new_round(source, issue, "Tariffs vanished overnight", note="Talks on tariffs."),
        )
        assert response.status_code == 200
        [row] = response.context["inline_admin_formsets"][1].formset.forms
        assert "does not appear in the source" in " ".join(row.errors["cite_exact"])
        assert "Tariffs vanished overnight" in response.text
        assert "Talks on tariffs." in response.text
        assert not Round.objects.exists() and not Citation.objects.exists()

    def test_a_passage_without_its_source_or_a_source_without_a_passage_says_which(
        self, editor_client
    ):
        source, issue = make_source(), make_sticking_point()
        data = self.new_round(source, issue, "Tariffs fell")
        data["agenda_items-0-cite_source"] = ""
        response = editor_client.post(admin_url(Round, "add"), data)
        [row] = response.context["inline_admin_formsets"][1].formset.forms
        assert row.errors["cite_source"] == ["Choose the source the passage is from."]
        data = self.new_round(source, issue, "")
        response = editor_client.post(admin_url(Round, "add"), data)
        [row] = response.context["inline_admin_formsets"][1].formset.forms
        assert row.errors["cite_exact"] == ["Paste the passage of this source to cite."]
        assert not Round.objects.exists()

    def test_an_existing_row_takes_another_citation_and_counts_its_own(self, editor_client):
        round_ = make_round(state="draft")  # a published one's change waits for review
        item = make_agenda_item(round_, make_sticking_point())
        first = cite(item)
        url = admin_url(Round, "change", round_.pk)
        page = editor_client.get(url)
        assert "1 citation: see or edit" in page.text
        assert admin_url(AgendaItem, "change", item.pk) in page.text
        data = form_data(page)
        data["agenda_items-0-cite_source"] = first.source.pk
        data["agenda_items-0-cite_stance"] = "mentions"
        data["agenda_items-0-cite_exact"] = "Negotiators met in Geneva."
        assert editor_client.post(url, data).status_code == 302
        assert sorted(item.citations.values_list("stance", flat=True)) == ["mentions", "supports"]
        assert "2 citations: see or edit" in editor_client.get(url).text

    def test_a_repeated_passage_takes_the_words_before_it(self, editor_client):
        source = make_source(body="Then tariffs fell. Then talks resumed and tariffs fell.")
        issue = make_sticking_point()
        data = self.new_round(source, issue, "tariffs fell")
        response = editor_client.post(admin_url(Round, "add"), data)
        assert "occurs 2 times" in response.text
        data["agenda_items-0-cite_prefix"] = "talks resumed and "
        assert editor_client.post(admin_url(Round, "add"), data).status_code == 302
        citation = Citation.objects.get()
        assert citation.start == source.body.rindex("tariffs fell")

    def test_the_agenda_rows_counts_cost_no_query_per_row(self, editor_client):
        round_ = make_round()
        for _ in range(2):
            cite(make_agenda_item(round_, make_sticking_point()))
        url = admin_url(Round, "change", round_.pk)
        with CaptureQueriesContext(connection) as few:
            editor_client.get(url)
        for _ in range(5):
            cite(make_agenda_item(round_, make_sticking_point()))
        with CaptureQueriesContext(connection) as many:
            editor_client.get(url)
        counted = [q for q in many.captured_queries if "negotiations_citation" in q["sql"]]
        assert len(counted) <= len(
            [q for q in few.captured_queries if "negotiations_citation" in q["sql"]]
        )
