"""generate_synthetic: a thin wrapper over ``negotiations.synthetic`` for the benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ... import synthetic
from ...guards import unlimited_statements
from ...services import bulk_load


class Command(BaseCommand):
    help = (
        "Fill an empty database with a synthetic, published knowledge base of N quotes (one "
        "source per quote, a claim per ten quotes, 200 officials, 50 issues, 300 rounds), "
        "deterministic for a given seed and honestly anchored: check_integrity --strict holds. "
        "For benchmarks; every slug starts with syn-."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quotes", type=int, required=True, help="How many quotes (e.g. 100000)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=synthetic.DEFAULT_SEED,
            help=f"The same quotes and seed give the same rows (default {synthetic.DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every knowledge-base record (and its history) first, in the same "
            "transaction. Without it, a database that holds any is refused.",
        )
        parser.add_argument(
            "--writer",
            choices=("fast", "bulk_create"),
            default="fast",
            help="fast (the default): executemany on SQLite, COPY on PostgreSQL. bulk_create: "
            "Django's, for comparison (slower; creation times become the time of loading).",
        )

    def handle(self, *args, quotes, seed, replace, writer, **options):
        if quotes < 1:
            raise CommandError("--quotes must be at least 1.")
        verbose = options["verbosity"] > 0
        started = time.monotonic()

        def log(message):
            if verbose:
                self.stdout.write(message)

        with unlimited_statements():  # a command, not a request: no statement limit
            with transaction.atomic():
                held = synthetic.records_held()
                if held and not replace:
                    listed = ", ".join(f"{n:,} {name}" for name, n in list(held.items())[:4])
                    raise CommandError(
                        f"This database already holds a knowledge base ({listed}"
                        f"{', …' if len(held) > 4 else ''}). generate_synthetic fills only an "
                        "empty one: give --replace to delete every knowledge-base record and "
                        "its history first, or point DATABASE_URL at an empty, migrated database."
                    )
                if held:
                    synthetic.delete_everything()
                    log(f"Deleted the knowledge base that was there ({sum(held.values()):,} rows).")
                chosen = synthetic.BulkCreateWriter() if writer == "bulk_create" else None
                log(
                    f"Generating {quotes:,} quotes (seed {seed}) into {connection.vendor} "
                    f"with {'bulk_create' if chosen else 'the fast writer'}…"
                )
                generator = synthetic.Generator(quotes=quotes, seed=seed, writer=chosen, log=log)
                rows = generator.run()
                bulk_load.finish()
                log("Committing (foreign keys are checked now)…")
            written = time.monotonic() - started
            if connection.vendor == "postgresql":
                # What autovacuum would do after a load this size: planner statistics and the
                # visibility map. VACUUM cannot run inside a transaction (a test's, say).
                statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                with connection.cursor() as cursor:
                    cursor.execute(statement)
                log(f"{statement}: {time.monotonic() - started - written:.1f} s")
        total = time.monotonic() - started
        if verbose:
            for name, count in rows.items():
                self.stdout.write(f"  {name}: {count:,}")
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {quotes:,} quotes in {total:.1f} s "
                    f"({written:.1f} s written and committed)."
                )
            )
