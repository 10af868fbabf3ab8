"""verify_citations: every anchor re-checked; a broken one fails the command."""

import pytest
from django.core.management import CommandError, call_command

from negotiations.models import Citation, Quote, Source

pytestmark = pytest.mark.django_db


class TestVerifyCitations:
    def test_passes_on_the_seed(self, seeded, capsys):
        call_command("verify_citations")
        out = capsys.readouterr().out
        assert f"{Citation.objects.count()} citations checked" in out
        assert "0 broken" in out

    def test_fails_after_an_edit_that_destroys_a_passage(self, seeded, capsys):
        source = Source.objects.get(slug="bessent-fox-yahoo")
        Source.objects.filter(pk=source.pk).update(
            body=source.body.replace("a bit stalled", "stuck")
        )
        with pytest.raises(CommandError, match="1 broken"):
            call_command("verify_citations")
        assert "a bit stalled" in capsys.readouterr().err
        assert Citation.objects.broken().count() == 1
        assert Quote.objects.get(text="a bit stalled").verification == "unverified"

    def test_the_command_exits_non_zero_from_the_shell(self, seeded):
        source = Source.objects.get(slug="bessent-fox-yahoo")
        Source.objects.filter(pk=source.pk).update(body="Nothing left.")
        with pytest.raises(SystemExit) as exit_info:
            from django.core.management import execute_from_command_line

            execute_from_command_line(["manage.py", "verify_citations", "-v0"])
        assert exit_info.value.code != 0

    def test_dry_run_changes_nothing(self, seeded):
        Source.objects.filter(slug="bessent-fox-yahoo").update(body="Nothing left.")
        with pytest.raises(CommandError):
            call_command("verify_citations", dry_run=True)
        assert not Citation.objects.broken().exists()
