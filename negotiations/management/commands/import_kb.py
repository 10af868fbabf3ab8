"""import_kb: a thin wrapper over ``services.backup.import_kb``: a file written by ``export_kb``
restored into an empty, migrated database."""

import io
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...guards import unlimited_statements
from ...services import backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by `export_kb` into an empty database that `migrate` has "
        "prepared: every row with its primary key, history included; accounts named by history "
        "come back with an unusable password. All or nothing; refused when the knowledge base "
        "already holds anything."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The backup file; - for standard input.")

    def handle(self, *args, path, **options):
        try:
            content = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror or error}.") from error
        try:
            with unlimited_statements():  # a command, not a request: no statement limit
                summary = backup.import_kb(stream=io.BytesIO(content))
        except backup.BackupError as error:
            raise CommandError(f"Nothing imported: {error}") from error
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Imported {summary.describe()} from {path}."))
