"""Backups: the whole knowledge base, history included, out to one file and back into an empty
database, byte for byte; never into one that holds anything, never with a password."""

import datetime
import io
import json
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection

from negotiations.models import Citation, Claim, Official, Outlet, Quote, Retrieval, Source
from negotiations.services.backup import FORMAT, BackupError, export_kb, import_kb
from tests.conftest import knowledge_base_tables

# A restore sets the id sequences (see conftest.sequences_past_what_the_rollback_brings_back).
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("sequences_past_what_the_rollback_brings_back"),
]


TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$")


def exported():
    stream = io.BytesIO()
    export_kb(stream=stream)
    return stream.getvalue()


def wipe_knowledge_base():
    """Every table of the app emptied behind the model layer: no signal, no history row."""
    with connection.cursor() as cursor:
        for table in knowledge_base_tables():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")


def rows_of(document, model):
    label = model._meta.label_lower
    return next(table["rows"] for table in document["tables"] if table["model"] == label)


@pytest.fixture
def historian(seeded):
    """An editor whom history names as the author of the first quote's first version."""
    user = User.objects.create_user(
        "hu", password="correct horse battery", email="hu@example.org", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    first = Quote.history.order_by("history_id").first()
    Quote.history.filter(history_id=first.history_id).update(history_user=user)
    return user


class TestRoundTrip:
    def test_export_wipe_import_export_gives_the_same_bytes(self, historian, client):
        before = exported()
        history_before = (Quote.history.count(), Source.history.count(), Claim.history.count())
        wipe_knowledge_base()
        User.objects.filter(pk=historian.pk).delete()
        assert not Source.objects.exists()

        import_kb(stream=io.BytesIO(before))

        assert exported() == before
        assert (Quote.history.count(), Source.history.count(), Claim.history.count()) == (
            history_before
        )

    def test_a_retrieval_comes_back_byte_for_byte(self, historian):
        """An imported page's original (bytes in no one encoding) and what was extracted."""
        original = b"<html><body>\xff\xfe caf\xc3\xa9 \x00</body></html>"
        Retrieval.objects.create(
            requested_url="https://news.example/a",
            final_url="https://news.example/a/",
            retrieved_at=datetime.datetime(2025, 6, 11, 8, 30, tzinfo=datetime.UTC),
            retrieved_by=historian,
            http_status=200,
            content=original,
            extracted={"title": "Talks", "notes": ["short"], "published_on": None},
            source=Source.objects.order_by("pk").first(),
        )
        before = exported()
        wipe_knowledge_base()
        User.objects.filter(pk=historian.pk).delete()
        import_kb(stream=io.BytesIO(before))
        assert exported() == before
        restored = Retrieval.objects.get()
        assert bytes(restored.content) == original
        assert restored.extracted == {"title": "Talks", "notes": ["short"], "published_on": None}
        assert restored.retrieved_by.username == "hu"

    def test_public_pages_and_citation_urls_survive(self, seeded, client):
        citation = (
            Citation.objects.filter(quote__state="published", source__state="published")
            .order_by("pk")
            .first()
        )
        address = citation.get_absolute_url()
        backup = exported()
        wipe_knowledge_base()
        import_kb(stream=io.BytesIO(backup))

        assert client.get("/quotes/").status_code == 200
        assert Citation.objects.get(pk=citation.pk).get_absolute_url() == address
        page, fragment = address.split("#")
        response = client.get(page)
        assert response.status_code == 200
        assert f'id="{fragment}"' in response.text

    def test_accounts_come_back_without_a_password(self, historian):
        backup = exported()
        wipe_knowledge_base()
        User.objects.filter(pk=historian.pk).delete()
        import_kb(stream=io.BytesIO(backup))

        restored = User.objects.get(username="hu")
        assert not restored.has_usable_password()
        assert (restored.email, restored.is_staff, restored.is_active) == (
            "hu@example.org",
            True,
            True,
        )
        assert list(restored.groups.values_list("name", flat=True)) == ["Editors"]
        assert Quote.history.filter(history_user=restored).count() == 1

    def test_new_records_get_ids_after_the_restored_ones(self, seeded):
        backup = exported()
        highest = Outlet.objects.order_by("-pk").values_list("pk", flat=True).first()
        # As in a database just migrated: empty tables whose id counters start again at 1.
        flush = connection.ops.sql_flush(no_style(), knowledge_base_tables(), reset_sequences=True)
        with connection.cursor() as cursor:
            for statement in flush:
                cursor.execute(statement)
        import_kb(stream=io.BytesIO(backup))
        outlet = Outlet.objects.create(name="Another Wire", slug="another-wire")
        assert outlet.pk == highest + 1
        assert outlet.history.get().history_id == Outlet.history.count()


class TestFile:
    def test_starts_with_its_format_and_version_and_ends_with_a_newline(self, seeded):
        text = exported().decode("utf-8")
        assert text.startswith(f'{{\n  "format": "{FORMAT}",\n  "format_version": 1,\n')
        assert text.endswith("}\n")

    def test_holds_every_table_of_the_app(self, seeded):
        document = json.loads(exported())
        tables = {table["model"] for table in document["tables"]}
        assert len(tables) == len(knowledge_base_tables())
        assert {"negotiations.historicalsource_derived_from", "negotiations.citation"} <= tables
        assert len(rows_of(document, Quote.history.model)) == Quote.history.count()

    def test_the_same_knowledge_base_gives_the_same_bytes(self, seeded):
        assert exported() == exported()

    def test_each_value_has_one_spelling(self, seeded):
        source = Source.objects.order_by("pk").first()
        moment = datetime.datetime(2025, 7, 29, 20, 30, 13, tzinfo=datetime.UTC)
        Source.objects.filter(pk=source.pk).update(created_at=moment)
        raw = exported()
        document = json.loads(raw)

        sources = {row["id"]: row for row in rows_of(document, Source)}
        assert sources[source.pk]["created_at"] == "2025-07-29T20:30:13.000000+00:00"
        assert all(TIMESTAMP.match(row["updated_at"]) for row in sources.values())
        assert {type(row["title_is_descriptive"]) for row in sources.values()} == {bool}
        claims = rows_of(document, Claim)
        assert "30.0000" in {row["value"] for row in claims}
        assert None in {row["value"] for row in claims}
        dated = next(row for row in sources.values() if row["published_on"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", dated["published_on"])
        assert "何咏前".encode() in raw and "“".encode() in raw  # as written, not \u escapes

    def test_holds_only_the_accounts_history_names_and_no_password(self, historian):
        User.objects.create_user("bystander", password="correct horse battery")
        text = exported().decode("utf-8")
        accounts = json.loads(text)["users"]
        assert accounts == [
            {
                "email": "hu@example.org",
                "first_name": "",
                "groups": ["Editors"],
                "is_active": True,
                "is_staff": True,
                "last_name": "",
                "username": "hu",
            }
        ]
        assert "bystander" not in text and historian.password not in text


class TestRefusals:
    def test_a_knowledge_base_that_is_not_empty(self, seeded):
        backup = exported()
        sources = Source.objects.count()
        with pytest.raises(BackupError, match="not empty"):
            import_kb(stream=io.BytesIO(backup))
        assert Source.objects.count() == sources

    def test_a_file_that_is_not_a_backup(self):
        with pytest.raises(BackupError, match="not a knowledge-base backup"):
            import_kb(stream=io.StringIO('{"format": "something else"}'))
        with pytest.raises(BackupError, match="not JSON"):
            import_kb(stream=io.BytesIO(b"\xff\xfe"))

    def test_a_format_version_this_code_cannot_read(self):
        document = {"format": FORMAT, "format_version": 2, "tables": []}
        with pytest.raises(BackupError, match="format version 2"):
            import_kb(stream=io.StringIO(json.dumps(document)))

    def test_rows_that_do_not_hold_together_all_or_nothing(self, seeded):
        document = json.loads(exported())
        rows_of(document, Citation)[0]["source"] = 999_999
        wipe_knowledge_base()
        with pytest.raises(BackupError, match="do not hold together"):
            import_kb(stream=io.StringIO(json.dumps(document)))
        assert not Source.objects.exists() and not Official.objects.exists()


class TestCommands:
    def test_export_writes_the_file_the_service_writes(self, seeded, tmp_path, capsys):
        path = tmp_path / "kb.json"
        call_command("export_kb", str(path))
        assert path.read_bytes() == exported()
        assert "Exported" in capsys.readouterr().out
        assert [p.name for p in tmp_path.iterdir()] == ["kb.json"]  # no partial file left

    def test_export_to_stdout(self, seeded):
        out = io.StringIO()
        call_command("export_kb", "-", stdout=out)
        assert out.getvalue().encode("utf-8") == exported()

    def test_import_restores_into_an_emptied_database(self, seeded, tmp_path, capsys):
        path = tmp_path / "kb.json"
        call_command("export_kb", str(path), verbosity=0)
        wipe_knowledge_base()
        call_command("import_kb", str(path))
        assert "Imported" in capsys.readouterr().out
        assert exported() == path.read_bytes()
        call_command("check_integrity", strict=True, no_crawl=True)  # restored, not re-derived

    def test_import_is_refused_when_the_base_is_not_empty(self, seeded, tmp_path):
        path = tmp_path / "kb.json"
        call_command("export_kb", str(path), verbosity=0)
        with pytest.raises(CommandError, match="Nothing imported: the knowledge base is not empty"):
            call_command("import_kb", str(path))

    def test_clear_messages_for_files_that_cannot_be_read_or_written(self, tmp_path):
        with pytest.raises(CommandError, match="Cannot read"):
            call_command("import_kb", str(tmp_path / "missing.json"))
        with pytest.raises(CommandError, match="Cannot write"):
            call_command("export_kb", str(tmp_path / "no-such-folder" / "kb.json"))
