"""Records' public versions and histories, through real HTTP: a permanent link keeps showing what
was read, draft versions stay private, a history says what changed without editors' details."""

import json
import re

import pytest

from negotiations.models import (
    Claim,
    Official,
    PublicationState,
    Quote,
    Round,
    Source,
    StickingPoint,
)
from negotiations.services.publishing import unpublish
from tests.factories import cite, make_quote, make_source
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

PERMALINK = re.compile(r'<a href="([^"]+/versions/(\d+)/)" rel="bookmark">')


def permalink(client, record):
    """The permanent link a record's page offers, and the version it names."""
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    found = PERMALINK.search(response.text)
    assert found, record.get_absolute_url()
    return found.group(1), int(found.group(2))


def versions_path(record, number):
    return record.get_absolute_url() + f"versions/{number}/"


def history_path(record):
    return record.get_absolute_url() + "history/"


class TestSeed:
    @pytest.mark.parametrize("model", [Round, StickingPoint, Official, Quote, Claim, Source])
    def test_every_record_page_links_to_the_version_read_and_its_history(
        self, seeded, client, model
    ):
        record = model.objects.published().order_by("pk").first()
        page = client.get(record.get_absolute_url()).text
        assert "Last changed" in page
        url, number = permalink(client, record)
        assert number == record.version
        assert f'href="{history_path(record)}"' in page

        version = client.get(url)
        assert version.status_code == 200
        assert "This is the current version" in version.text
        assert f'href="{record.get_absolute_url()}"' in version.text
        data = client.get(url, {"format": "json"}).json()
        assert data["version"] == number and data["is_current"] is True
        assert data["record"] == record.get_absolute_url()
        assert data["current_from"] and data["current_until"] is None

        history = client.get(history_path(record), {"format": "json"}).json()
        assert [entry["url"] for entry in history["results"]] == [url]

    def test_a_seed_quote_version_shows_its_words_speaker_and_citations(self, seeded, client):
        quote = Quote.objects.published().for_display().order_by("pk").first()
        url, _number = permalink(client, quote)
        page = client.get(url).text
        assert quote.speaker.name in page
        assert quote.text[:40] in page.replace("&#x27;", "'").replace("&quot;", '"')
        data = client.get(url, {"format": "json"}).json()
        assert data["fields"]["text"] == quote.text
        assert data["fields"]["speaker"] == quote.speaker.get_absolute_url()
        assert {c["exact"] for c in data["citations"]} == {c.exact for c in quote.citations.all()}
        # Derived verdicts are not taken from history rows, which do not follow them.
        assert "verification" not in data["fields"]


class TestPermalinks:
    def test_the_permalink_keeps_showing_the_old_text_after_an_edit(self, client):
        quote = make_quote(text="somewhat deadlocked right now", setting="Fox News interview")
        first_citation = cite(quote)
        old_url, old_number = permalink(client, quote)

        quote.refresh_from_db()
        quote.text = "deadlocked right now"
        quote.setting = "CNBC interview"
        quote.save()
        cite(quote, passage="Tariffs fell from 145% to 30%.", stance="mentions")

        old = client.get(old_url)
        assert old.status_code == 200
        assert "somewhat deadlocked right now" in old.text
        assert "Fox News interview" in old.text and "CNBC" not in old.text
        assert "This is an earlier version" in old.text
        assert f'href="{quote.get_absolute_url()}">Read the current version' in old.text
        old_data = client.get(old_url, {"format": "json"}).json()
        assert old_data["is_current"] is False and old_data["current_until"]
        # The citations as they stood then: the passage added later is not among them.
        assert [c["id"] for c in old_data["citations"]] == [first_citation.pk]

        new_url, new_number = permalink(client, quote)
        assert new_number == old_number + 1 and new_url != old_url
        new = client.get(new_url, {"format": "json"}).json()
        assert new["fields"]["text"] == "deadlocked right now"
        assert new["fields"]["setting"] == "CNBC interview"
        assert len(new["citations"]) == 2

    def test_a_citation_edited_later_shows_its_old_passage_in_the_old_version(self, client):
        source = make_source()
        quote = make_quote(text="somewhat deadlocked right now")
        citation = cite(quote, source)
        old_url, _ = permalink(client, quote)
        quote.refresh_from_db()
        quote.setting = "Later"
        quote.save()  # a new version; the old one ends here
        citation.refresh_from_db()
        citation.exact = "deadlocked right now"
        citation.full_clean()
        citation.save()
        old = client.get(old_url, {"format": "json"}).json()
        assert [c["exact"] for c in old["citations"]] == ["somewhat deadlocked right now"]
        current = client.get(permalink(client, quote)[0], {"format": "json"}).json()
        assert [c["exact"] for c in current["citations"]] == ["deadlocked right now"]

    def test_draft_versions_are_not_found(self, client):
        quote = make_quote()  # version 1: a draft
        assert client.get(versions_path(quote, 1)).status_code == 404
        cite(quote)  # published: version 2
        quote.refresh_from_db()
        assert quote.version == 2
        assert client.get(versions_path(quote, 1)).status_code == 404
        assert client.get(versions_path(quote, 1), {"format": "json"}).status_code == 404
        assert client.get(versions_path(quote, 2)).status_code == 200
        assert client.get(versions_path(quote, 3)).status_code == 404

    def test_a_record_unpublished_now_has_no_public_versions(self, client):
        quote = make_quote()
        cite(quote)
        quote.refresh_from_db()
        url, _ = permalink(client, quote)
        unpublish(records=[quote])
        assert client.get(url).status_code == 404
        assert client.get(history_path(quote)).status_code == 404
        assert client.get(history_path(quote), {"format": "json"}).status_code == 404

    def test_staff_previewing_a_draft_get_no_permalink(self, client, editor):
        quote = make_quote()
        client.force_login(editor)
        page = client.get(quote.get_absolute_url())
        assert page.status_code == 200 and "Draft preview" in page.text
        assert not PERMALINK.search(page.text)

    def test_records_written_without_history_get_no_broken_permalink(self, client):
        quote = make_quote()
        cite(quote)
        Quote.history.filter(id=quote.pk).delete()  # as the bulk writers leave them
        page = client.get(quote.get_absolute_url())
        assert page.status_code == 200 and "Last changed" in page.text
        assert not PERMALINK.search(page.text)


class TestHistory:
    def test_the_history_lists_public_versions_and_changed_fields_without_editor_details(
        self, client, reviewer_client
    ):
        quote = make_quote(setting="Fox News interview")
        cite(quote)
        page = reviewer_client.get(admin_url(Quote, "change", quote.pk))
        data = form_data(page)
        data["setting"] = "CNBC interview"
        data["text"] = "deadlocked right now"
        assert reviewer_client.post(admin_url(Quote, "change", quote.pk), data).status_code == 302
        quote.refresh_from_db()
        assert quote.setting == "CNBC interview"
        # What editors record beside a save: who, and why.
        assert quote.history.filter(history_user__username="rita").exists()
        quote._change_reason = "private note: checked with the desk"
        quote.kind = "direct"
        quote.save()
        reviewer_client.logout()

        response = client.get(history_path(quote))
        assert response.status_code == 200
        page = response.text
        assert "Setting: Fox News interview → CNBC interview" in page
        assert "Text as printed changed" in page
        assert "Kind: Partial quote → Direct quote" in page
        assert "first public version" in page
        for private in ("rita", "private note", "checked with the desk", "127.0.0.1", "seed"):
            assert private not in page, private
        assert "Version 1" not in page  # the draft
        data = client.get(history_path(quote), {"format": "json"}).json()
        assert [entry["version"] for entry in data["results"]] == [
            quote.version,
            quote.version - 1,
            2,
        ]
        newest, middle, first = data["results"]
        assert newest["changes"] == [
            {"field": "kind", "label": "Kind", "old": "Partial quote", "new": "Direct quote"}
        ]
        assert {c["field"]: (c["old"], c["new"]) for c in middle["changes"]} == {
            "text": (None, None),
            "setting": ("Fox News interview", "CNBC interview"),
        }
        assert first["first_public_version"] is True and first["changes"] == []
        text = json.dumps(data)
        for private in ("rita", "private note", "history_user", "change_reason", "seed_key"):
            assert private not in text, private
        for entry in data["results"]:
            assert client.get(entry["url"]).status_code == 200

    def test_changes_made_while_a_draft_are_never_shown(self, client):
        quote = make_quote(setting="Fox News interview")
        cite(quote)
        quote.refresh_from_db()
        unpublish(records=[quote])
        quote.refresh_from_db()
        quote.setting = "SECRET DRAFT SETTING"
        quote.save()
        quote.setting = "CNBC interview"
        quote.state = PublicationState.PUBLISHED
        quote.save()
        data = client.get(history_path(quote), {"format": "json"}).json()
        assert [e["version"] for e in data["results"]] == [quote.version, 2]
        assert data["results"][0]["changes"] == [
            {
                "field": "setting",
                "label": "Setting",
                "old": "Fox News interview",
                "new": "CNBC interview",
            }
        ]
        assert "SECRET" not in client.get(history_path(quote)).text
        for number in range(3, quote.version):
            assert client.get(versions_path(quote, number)).status_code == 404

    def test_a_long_history_is_paged_and_each_page_says_what_its_last_version_changed(self, client):
        quote = make_quote(setting="Setting 0")
        cite(quote)
        quote.refresh_from_db()
        for n in range(1, 25):
            quote.setting = f"Setting {n}"
            quote.save()
        first = client.get(history_path(quote), {"format": "json"}).json()
        assert (first["count"], first["pages"], len(first["results"])) == (25, 2, 20)
        assert first["results"][-1]["changes"][0]["old"] == "Setting 4"
        second = client.get(history_path(quote), {"format": "json", "page": 2}).json()
        assert [e["version"] for e in second["results"]] == [6, 5, 4, 3, 2]
        assert second["results"][-1]["first_public_version"] is True
        page = client.get(history_path(quote)).text
        assert 'rel="next" href="?page=2"' in page
