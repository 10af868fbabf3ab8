"""The quote checker on a synthetic knowledge base: ``check()`` on a 5,000-word text at
100,000 and 1,000,000 quotes, on SQLite and PostgreSQL (issue 14's target: under a second at a
million).

    .venv/bin/python -m bench.checking [--sizes 100000,1000000] [--databases sqlite,postgres]
        [--runs 5] [--quick] [--output bench/results/checking.md]

The data is ``bench.pages``'s (generated once, reused while its fingerprint holds). The text is
made from the data, the same for a given seed: verbatim quotations of recorded direct quotes,
the same with a word changed, quotations given to another official, reported speech of recorded
paraphrases, quotations of invented words, and plain narration between them up to 5,000 words.
Each run is ``checking.check`` then ``checking.as_json``, in-process with DEBUG off (what the
``/check/`` view spends beyond its template); the first run is reported apart (the process's
and the operating system's caches cold: the data was just loaded or read by another run), then
the median and the slowest of ``--runs`` more, which the target is judged on. The queries are
counted on one more run. On PostgreSQL the checker's index is vacuumed first, as autovacuum
does after a load.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import pages

TARGET_SECONDS = 1.0
TEXT_WORDS = 5_000
CASES = {"verbatim": 10, "variant": 6, "misattributed": 6, "reported": 6, "invented": 6}
NARRATION = (
    "Negotiators met again in the afternoon to go over the schedule for the coming weeks. "
    "Officials on both sides kept their remarks short as the delegations left the building. "
    "The talks covered a long list of goods, from farm products to semiconductors and steel. "
    "Markets moved little during the day as traders waited for any word from the meeting. "
    "Analysts expected the next round to take place within a month at the earliest. "
)


def build_text(seed):
    """A 5,000-word text of the cases above, from the data (in-process)."""
    from negotiations.guards import unlimited_statements
    from negotiations.models import Official, Quote

    rng = random.Random(seed)
    with unlimited_statements():
        last = Quote.objects.order_by("-pk").values_list("pk", flat=True).first()
        picked = {}
        for kind, wanted in (("direct", 28), ("paraphrase", 6)):
            found = []
            while len(found) < wanted:
                pks = [rng.randint(1, last) for _ in range(200)]
                found += list(
                    Quote.objects.published()
                    .filter(pk__in=pks, kind=kind)
                    .select_related("speaker")[: wanted - len(found)]
                )
            picked[kind] = found
        officials = list(Official.objects.order_by("pk")[:50])
    direct, paraphrases = picked["direct"], picked["paraphrase"]
    paragraphs = []
    for quote in direct[: CASES["verbatim"]]:
        paragraphs.append(f"“{quote.text.rstrip('.')},” {quote.speaker.name} said.")
    for quote in direct[CASES["verbatim"] : CASES["verbatim"] + CASES["variant"]]:
        words = quote.text.rstrip(".").split()
        words[len(words) // 2] = rng.choice(["firmly", "quickly", "never", "perhaps"])
        paragraphs.append(f"“{' '.join(words)},” {quote.speaker.name} told reporters.")
    start = CASES["verbatim"] + CASES["variant"]
    for quote in direct[start : start + CASES["misattributed"]]:
        other = rng.choice([o for o in officials if o.pk != quote.speaker_id])
        paragraphs.append(f"“{quote.text.rstrip('.')},” said {other.name}.")
    for quote in paraphrases[: CASES["reported"]]:
        paragraphs.append(f"{quote.speaker.name} said that {quote.text.rstrip('.')}.")
    vocabulary = sorted({w.strip(".,") for q in direct for w in q.text.split()})
    for _ in range(CASES["invented"]):
        invented = " ".join(rng.choice(vocabulary) for _ in range(12))
        paragraphs.append(f"“{invented.capitalize()},” {rng.choice(officials).name} said.")
    rng.shuffle(paragraphs)
    narration = NARRATION.split(". ")
    text, words = [], 0
    for paragraph in paragraphs:
        text.append(paragraph)
        words += len(paragraph.split())
    per_gap = max(0, (TEXT_WORDS - words) // len(paragraphs))
    out = []
    for paragraph in paragraphs:
        filler, count = [], 0
        while count < per_gap:
            sentence = rng.choice(narration).strip().rstrip(".") + "."
            filler.append(sentence)
            count += len(sentence.split())
        out += [" ".join(filler), paragraph]
    return "\n\n".join(out)


def measure_main(runs, seed):
    """In-process (``--measure``): time the checker on the text; print JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from negotiations import checking
    from negotiations.guards import unlimited_statements
    from negotiations.models import Quote

    text = build_text(seed)
    with unlimited_statements():
        quotes = Quote.objects.count()

    def once():
        started = time.perf_counter()
        payload = checking.as_json(checking.check(text))
        return time.perf_counter() - started, payload

    first, payload = once()
    times = [once()[0] for _ in range(runs)]
    with CaptureQueriesContext(connection) as captured:
        once()
    print(
        json.dumps(
            {
                "quotes": quotes,
                "words": len(text.split()),
                "characters": len(text),
                "passages": payload["quotations"],
                "counts": payload["counts"],
                "first": first,
                "median": statistics.median(times),
                "slowest": max(times),
                "queries": len(captured.captured_queries),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"quotes, comma-separated (default {pages.DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true", help=f"sizes {pages.QUICK_SIZES}")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--output", default=str(pages.REPO / "bench" / "results" / "checking.md"))
    parser.add_argument(
        "--cache",
        default=os.environ.get("BENCH_CACHE", str(Path.home() / ".cache" / "negotiations-bench")),
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure_main(args.runs, args.seed)
    args.sizes = args.sizes or (pages.QUICK_SIZES if args.quick else pages.DEFAULT_SIZES)
    generator = (pages.REPO / "negotiations" / "synthetic.py").read_text()
    data_seed = int(pages.re.search(r"^DEFAULT_SEED = (\d+)", generator, pages.re.M).group(1))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    rows = []
    for database in [d.strip() for d in args.databases.split(",") if d.strip()]:
        for size in [int(n) for n in args.sizes.split(",")]:
            dataset = pages.Dataset(database, size, data_seed, Path(args.cache))
            pages.prepare(dataset, False)
            if database == "postgres":
                # As autovacuum does some time after a load: until the visibility map knows
                # the checker's index's pages, its index-only seeks read the table as well.
                pages.psql("VACUUM (ANALYZE) negotiations_quote_shingle", dataset.name)
            done = subprocess.run(
                [PYTHON, "-m", "bench.checking", "--measure", "--runs", str(args.runs)]
                + ["--seed", str(args.seed)],
                cwd=pages.REPO,
                env=pages.environment(dataset),
                check=True,
                capture_output=True,
                text=True,
            )
            result = json.loads(done.stdout.strip().splitlines()[-1])
            result["database"] = database
            rows.append(result)
            pages.say(
                f"{database} {result['quotes']:,} quotes: first {result['first']:.3f} s, median "
                f"{result['median']:.3f} s, slowest {result['slowest']:.3f} s, "
                f"{result['queries']} queries, {result['counts']}"
            )
    lines = [
        f"# Quote checker benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        *pages.machine(),
        f"- Load average (1, 5, 15 min) when the run began: {load}",
        f"- The text: {rows[0]['words'] if rows else 0:,} words, {CASES['verbatim']} verbatim "
        f"quotations, {CASES['variant']} with a word changed, {CASES['misattributed']} given to "
        f"another official, {CASES['reported']} reported speech, {CASES['invented']} invented; "
        f"`check()` and `as_json()` in-process, DEBUG off; {args.runs} runs after the first",
        "",
        "| database | quotes | passages | first run | median | slowest | queries | verdicts "
        f"| under {TARGET_SECONDS:.0f} s |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for r in rows:
        verdicts = ", ".join(f"{k} {v}" for k, v in r["counts"].items())
        met = "yes" if r["slowest"] < TARGET_SECONDS else "**no**"
        lines.append(
            f"| {r['database']} | {r['quotes']:,} | {r['passages']} | {r['first']:.3f} s | "
            f"{r['median']:.3f} s | {r['slowest']:.3f} s | {r['queries']} | {verdicts} | {met} |"
        )
    text = "\n".join(lines) + "\n"
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print()
    print(text)
    print(f"Written to {output}")


PYTHON = pages.PYTHON

if __name__ == "__main__":
    sys.exit(main())
