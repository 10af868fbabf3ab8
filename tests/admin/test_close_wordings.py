"""The quote form's close wordings: the JSON endpoint (staff with a right to quotes, bad input
refused with a message, a fixed number of queries), and the save that puts the new quote in one
statement with the recorded one chosen (the ``group_with`` field)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from negotiations.models import PendingChange, PublicationState, Quote, Statement
from negotiations.roles import REVIEWERS
from tests.factories import cite, make_official, make_quote, make_source
from tests.helpers import admin_url, form_data, quote_form, user_in

pytestmark = pytest.mark.django_db

URL = reverse("admin:negotiations_quote_close_wordings")
RECORDED = "We are not going to lower tariffs until we see verifiable progress on purchases"
TYPED = "We won't lower tariffs until we see verifiable progress on purchases."


def ask(client, **params):
    return client.get(URL, params)


class TestEndpoint:
    def test_a_close_wording_comes_with_its_diff_statement_and_link(self, editor_client):
        speaker = make_official(name="Scott Bessent")
        statement = Statement.objects.create(
            slug="s", speaker=speaker, summary="Bessent on tariffs"
        )
        recorded = make_quote(speaker, text=RECORDED, statement=statement)
        response = ask(editor_client, speaker=speaker.pk, text=TYPED)
        assert response.status_code == 200
        answer = response.json()
        assert answer["speaker"] == {"id": speaker.pk, "name": "Scott Bessent"}
        [match] = answer["matches"]
        assert match["id"] == recorded.pk
        assert match["url"] == admin_url(Quote, "change", recorded.pk)
        assert match["statement"]["id"] == statement.pk
        assert match["statement"]["summary"] == "Bessent on tariffs"
        assert match["published"] is False
        assert match["likeness"] == 0.8
        assert {"text": "are not going to", "kind": "removed"} in match["diff"]
        assert {"text": "won't", "kind": "added"} in match["diff"]
        assert match["notes"] == ["Negation differs: n’t here, not there."]

    def test_no_statement_is_null(self, editor_client):
        speaker = make_official()
        make_quote(speaker, text=RECORDED)
        [match] = ask(editor_client, speaker=speaker.pk, text=TYPED).json()["matches"]
        assert match["statement"] is None

    def test_unrelated_wordings_and_other_speakers_are_not_offered(self, editor_client):
        speaker, other = make_official(), make_official()
        make_quote(other, text=RECORDED)
        make_quote(speaker, text="We will lower tariffs once purchases of soybeans resume in full")
        answer = ask(editor_client, speaker=speaker.pk, text=TYPED).json()
        assert answer["matches"] == []
        assert len(ask(editor_client, speaker=other.pk, text=TYPED).json()["matches"]) == 1

    def test_the_threshold_decides(self, editor_client, monkeypatch):
        speaker = make_official()
        make_quote(speaker, text=RECORDED)
        monkeypatch.setattr("negotiations.close_wordings.CLOSE_RATIO", 0.85)
        monkeypatch.setattr("negotiations.close_wordings.CLOSE_COVERED", 0.95)
        assert ask(editor_client, speaker=speaker.pk, text=TYPED).json()["matches"] == []
        monkeypatch.setattr("negotiations.close_wordings.CLOSE_RATIO", 0.75)
        assert len(ask(editor_client, speaker=speaker.pk, text=TYPED).json()["matches"]) == 1

    def test_the_quote_being_edited_is_excluded(self, editor_client):
        speaker = make_official()
        quote = make_quote(speaker, text=RECORDED)
        answer = ask(editor_client, speaker=speaker.pk, text=TYPED, exclude=quote.pk).json()
        assert answer["matches"] == []

    def test_few_words_or_no_text_find_nothing(self, editor_client):
        speaker = make_official()
        make_quote(speaker, text="a bit stalled")
        for text in ("a bit stalled", "", "   "):
            response = ask(editor_client, speaker=speaker.pk, text=text)
            assert response.status_code == 200
            assert response.json()["matches"] == []

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"text": TYPED}, "Choose the speaker first"),
            ({"speaker": "", "text": TYPED}, "Choose the speaker first"),
            ({"speaker": "bessent", "text": TYPED}, "No official has this id"),
            ({"speaker": "99999999", "text": TYPED}, "No official has this id"),
            ({"speaker": "9" * 40, "text": TYPED}, "No official has this id"),
            ({"speaker": "{official}", "text": "word " * 1001}, "at most 5000 characters"),
            ({"speaker": "{official}", "text": TYPED, "exclude": "x"}, "must be a quote’s number"),
        ],
    )
    def test_bad_input_is_refused_with_a_message(self, editor_client, params, message):
        speaker = make_official()
        params = {k: v.format(official=speaker.pk) for k, v in params.items()}
        response = ask(editor_client, **params)
        assert response.status_code == 400
        assert message in response.json()["error"]

    def test_anonymous_visitors_and_non_staff_are_refused(self, client):
        speaker = make_official()
        make_quote(speaker, text=RECORDED)
        response = ask(client, speaker=speaker.pk, text=TYPED)
        assert response.status_code == 302 and "/login/" in response["Location"]
        client.force_login(User.objects.create_user("reader", password="x"))
        response = ask(client, speaker=speaker.pk, text=TYPED)
        assert response.status_code == 302 and "/login/" in response["Location"]

    def test_staff_without_a_right_to_quotes_are_refused(self, client):
        speaker = make_official()
        client.force_login(User.objects.create_user("clerk", password="x", is_staff=True))
        assert ask(client, speaker=speaker.pk, text=TYPED).status_code == 403

    @pytest.mark.parametrize("size", [10, 200])
    def test_the_same_queries_whatever_the_speakers_size(self, editor_client, size):
        speaker = make_official()
        Quote.objects.bulk_create(
            Quote(speaker=speaker, text=f"{RECORDED} (variant {n})", kind="direct")
            for n in range(size)
        )
        ask(editor_client, speaker=speaker.pk, text=TYPED)  # the session, warmed
        with CaptureQueriesContext(connection) as queries:
            answer = ask(editor_client, speaker=speaker.pk, text=TYPED).json()
        assert len(answer["matches"]) == 3
        # The session, the user, the user's and the groups' permissions; then the official,
        # the words counted, the candidates read: as many for 10 quotes as for 200.
        assert len(queries) == 7, [q["sql"][:300] for q in queries]

    def test_the_form_carries_the_endpoint_and_the_script(self, editor_client):
        response = editor_client.get(admin_url(Quote, "add"))
        html = response.content.decode()
        assert f'data-close-wordings="{URL}"' in html
        assert "js/close-wordings.js" in html
        assert 'name="group_with"' in html
        quote = make_quote(make_official())
        html = editor_client.get(admin_url(Quote, "change", quote.pk)).content.decode()
        assert f'data-close-wordings-exclude="{quote.pk}"' in html


def published_quote(speaker, text):
    quote = make_quote(speaker, text=text)
    cite(quote)
    quote.refresh_from_db()
    assert quote.is_published
    return quote


def said(response):
    """The messages shown after a save, as the editor reads them (links as their text)."""
    return " ".join(strip_tags(str(message)) for message in response.context["messages"])


def post_new_quote(client, speaker, **extra):
    source = make_source(body=f"He said: “{TYPED}”")
    data = quote_form(speaker, source, TYPED, text=TYPED, kind="direct", **extra)
    return client.post(admin_url(Quote, "add"), data, follow=True)


class TestSavingGrouped:
    def test_with_a_recorded_quote_that_has_a_statement_it_joins_it(self, editor_client):
        speaker = make_official()
        statement = Statement.objects.create(slug="s", speaker=speaker, summary="On tariffs")
        recorded = make_quote(speaker, text=RECORDED, statement=statement)
        response = post_new_quote(editor_client, speaker, group_with=recorded.pk)
        assert response.status_code == 200
        new = Quote.objects.get(text=TYPED)
        assert new.statement == statement
        assert f"Put in the statement “On tariffs”, with quote #{recorded.pk}." in said(response)

    def test_with_a_draft_without_statement_a_new_draft_statement_groups_both(self, editor_client):
        speaker = make_official(name="Scott Bessent")
        recorded = make_quote(speaker, text=RECORDED)
        response = post_new_quote(editor_client, speaker, group_with=recorded.pk)
        new = Quote.objects.get(text=TYPED)
        recorded.refresh_from_db()
        assert new.statement is not None and recorded.statement == new.statement
        statement = new.statement
        assert statement.summary == RECORDED
        assert statement.state == PublicationState.DRAFT
        assert statement.speaker == speaker
        assert statement.slug.startswith("scott-bessent-we-are-not-going")
        assert f"Put in a new draft statement with quote #{recorded.pk}: “{RECORDED}”" in said(
            response
        )
        assert new.history.count() == 2 and recorded.history.count() == 2

    def test_a_published_recorded_quote_joins_once_a_reviewer_approves(self, client, editor):
        speaker = make_official()
        recorded = published_quote(speaker, RECORDED)
        version = recorded.version
        client.force_login(editor)
        response = post_new_quote(client, speaker, group_with=recorded.pk)
        new = Quote.objects.get(text=TYPED)
        recorded.refresh_from_db()
        assert new.statement is not None
        assert recorded.statement is None and recorded.version == version
        change = PendingChange.objects.get()
        assert f"Quote #{recorded.pk} is published: putting it in this statement" in said(response)
        assert admin_url(PendingChange, "change", change.pk) in response.text

        client.force_login(user_in(REVIEWERS, "rita"))
        client.post(admin_url(PendingChange, "change", change.pk), {"_approve": "1"})
        change.refresh_from_db()
        recorded.refresh_from_db()
        assert change.status == "approved"
        assert recorded.statement == new.statement and recorded.is_published

    def test_an_editors_change_to_a_published_quote_waits_with_its_grouping(self, client, editor):
        speaker = make_official()
        recorded = make_quote(speaker, text=RECORDED)
        quote = published_quote(speaker, TYPED)
        client.force_login(editor)
        url = admin_url(Quote, "change", quote.pk)
        client.post(url, {**form_data(client.get(url)), "group_with": recorded.pk})
        quote.refresh_from_db()
        recorded.refresh_from_db()
        assert quote.statement is None and recorded.statement is None
        assert not Statement.objects.exists()  # nothing made before a reviewer approves
        change = PendingChange.objects.get()
        assert change.data["group_with"] == [str(recorded.pk)]

        client.force_login(user_in(REVIEWERS, "rita"))
        client.post(admin_url(PendingChange, "change", change.pk), {"_approve": "1"})
        quote.refresh_from_db()
        recorded.refresh_from_db()
        assert quote.statement is not None and recorded.statement == quote.statement

    def test_without_a_choice_nothing_is_grouped(self, editor_client):
        speaker = make_official()
        make_quote(speaker, text=RECORDED)
        post_new_quote(editor_client, speaker)
        assert Quote.objects.get(text=TYPED).statement is None
        assert not Statement.objects.exists()

    @pytest.mark.parametrize(
        ("choice", "message"),
        [
            ("gone", "no longer exists"),
            ("999999", "no longer exists"),
            ("other-speaker", "wordings of one statement have one speaker"),
            ("and-a-statement", "You chose a statement and also quote"),
        ],
    )
    def test_a_bad_choice_is_refused_and_the_form_kept(self, editor_client, choice, message):
        speaker, other = make_official(), make_official(name="He Lifeng")
        extra = {"group_with": choice}
        if choice == "other-speaker":
            extra["group_with"] = make_quote(other, text=RECORDED).pk
        if choice == "and-a-statement":
            extra["group_with"] = make_quote(speaker, text=RECORDED).pk
            elsewhere = Statement.objects.create(slug="e", speaker=speaker, summary="Elsewhere")
            extra["statement"] = elsewhere.pk
        response = post_new_quote(editor_client, speaker, **extra)
        assert response.status_code == 200
        assert message in response.text
        assert not Quote.objects.filter(text=TYPED).exists()
        assert response.context["adminform"].form["text"].value() == TYPED  # nothing lost
        assert Statement.objects.count() == (1 if choice == "and-a-statement" else 0)

    def test_a_quote_cannot_be_grouped_with_itself(self, editor_client):
        quote = make_quote(make_official(), text=RECORDED)
        page = editor_client.get(admin_url(Quote, "change", quote.pk))
        data = {**form_data(page), "group_with": quote.pk}
        response = editor_client.post(admin_url(Quote, "change", quote.pk), data)
        assert "cannot share a statement with itself" in response.text
        quote.refresh_from_db()
        assert quote.statement is None
