"""verify_citations: a thin wrapper over ``services.anchors.check_all_anchors`` for cron and CI."""

from django.core.management.base import BaseCommand, CommandError

from ...services.anchors import check_all_anchors


class Command(BaseCommand):
    help = (
        "Re-check every citation against its source's stored text. A passage found at new "
        "offsets is re-anchored; one no longer found is marked broken (and kept). Quote "
        "verdicts are derived again. Exits non-zero when any citation is broken, for CI and cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report only; change nothing in the database."
        )

    def handle(self, *args, dry_run, **options):
        report = check_all_anchors(dry_run=dry_run)
        verbosity = options["verbosity"]
        for citation in report.moved:
            if verbosity > 1:
                self.stdout.write(
                    f"re-anchored: citation {citation.pk} of {citation.target} "
                    f"in “{citation.source.title}” now at {citation.start}–{citation.end}"
                )
        for citation in report.broken:
            self.stderr.write(
                f"BROKEN: citation {citation.pk} of {citation.target} in “{citation.source.title}” "
                f"(/sources/{citation.source.slug}/): “{citation.exact}” is not in the stored text"
            )
        summary = (
            f"{report.checked} citations checked: {len(report.unchanged)} in place, "
            f"{len(report.moved)} re-anchored, {len(report.broken)} broken."
        )
        if report.broken:
            raise CommandError(summary)
        if verbosity > 0:
            self.stdout.write(self.style.SUCCESS(summary))
