"""export_kb: a thin wrapper over ``services.backup.export_kb``: the whole knowledge base, with
its history, in one portable file (or on standard output)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...guards import unlimited_statements
from ...services import backup


class Command(BaseCommand):
    help = (
        "Write the whole knowledge base to one JSON file: every record, link, citation and "
        "stored text, their history, and the accounts that history names (never a password). "
        "`import_kb` restores it into an empty database, SQLite or PostgreSQL. The same "
        "knowledge base always gives the same bytes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default="-", help="The file to write; - (the default): stdout."
        )

    def handle(self, *args, path, **options):
        if path == "-":
            # Bytes where the terminal has them: UTF-8 whatever the locale says.
            stream = getattr(self.stdout, "buffer", None) or self.stdout
            with unlimited_statements():  # a command, not a request: no statement limit
                summary = backup.export_kb(stream=stream)
            if options["verbosity"] > 1:
                self.stderr.write(f"Exported {summary.describe()}.")
            return
        target = Path(path)
        # Written beside the target and renamed at the end: a failed export never leaves a
        # truncated file that looks like a backup.
        partial = target.with_name(f"{target.name}.partial")
        try:
            # A command, not a request: no statement limit.
            with partial.open("wb") as stream, unlimited_statements():
                summary = backup.export_kb(stream=stream)
            partial.replace(target)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror or error}.") from error
        except backup.BackupError as error:
            raise CommandError(f"Nothing exported: {error}") from error
        finally:
            partial.unlink(missing_ok=True)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Exported {summary.describe()} to {path}."))
