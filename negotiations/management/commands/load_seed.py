"""load_seed: a thin wrapper over ``seed.loader.load_seed``."""

from django.core.management.base import BaseCommand, CommandError

from ...guards import unlimited_statements
from ...seed.loader import SEED_FILE, SeedError, load_seed


class Command(BaseCommand):
    help = (
        "Load the seed knowledge base (negotiations/seed/). Idempotent: a second run changes "
        "nothing. All or nothing: a citation whose passage is not in its source stops the load."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(SEED_FILE), help="The seed TOML file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report, then roll everything back."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a knowledge base that has no sources yet (used by `make run`).",
        )

    def handle(self, *args, path, dry_run, if_empty, **options):
        try:
            with unlimited_statements():  # a command, not a request: no statement limit
                report = load_seed(path=path, dry_run=dry_run, only_if_empty=if_empty)
        except SeedError as error:
            raise CommandError(f"Seed not loaded: {error}") from error
        if report is None:
            self.stdout.write(
                "The knowledge base already has sources; the seed was not loaded again."
            )
            return
        if options["verbosity"] > 1:
            for line in report.lines():
                self.stdout.write(line)
        verb = "would change" if dry_run else "changed"
        summary = (
            f"Seed {verb}: {sum(report.created.values())} created, "
            f"{sum(report.updated.values())} updated, {sum(report.unchanged.values())} unchanged."
        )
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(summary) if report.changed else summary)
