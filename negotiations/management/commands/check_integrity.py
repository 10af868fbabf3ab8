"""check_integrity: a thin wrapper over ``services.integrity`` for CI, cron and upgrades."""

from django.core.management.base import BaseCommand, CommandError

from ...guards import unlimited_statements
from ...services import integrity


class Command(BaseCommand):
    help = (
        "Derive everything again and compare it with what is stored: every anchored citation's "
        "passage at its offsets, every quote's verdict, every claim's status, every source's "
        "origin; every published quote and claim resting on an anchored passage of a published "
        "source, with a published speaker; no source deriving from itself; no draft shown on a "
        "public page, list, JSON or CSV. Lists each violation and exits 1 on any."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            action="store_true",
            help="First derive everything again and store it (after an upgrade, or after writes "
            "that skipped the model layer such as QuerySet.update()); then check.",
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Citations that are broken or need review are violations too (for the seed).",
        )
        parser.add_argument(
            "--no-crawl",
            action="store_true",
            help="Skip looking through the public pages for drafts (for very large bases).",
        )

    def handle(self, *args, repair, strict, no_crawl, **options):
        with unlimited_statements():  # a command, not a request: no statement limit
            if repair:
                integrity.repair()
                self.stdout.write("Derived state repaired.")
            found = list(integrity.violations(strict=strict, crawl=not no_crawl))
        for violation in found:
            self.stderr.write(str(violation))
        if found:
            raise CommandError(f"{len(found)} integrity violation(s).")
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Integrity holds: no violation found."))
