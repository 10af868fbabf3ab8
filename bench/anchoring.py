"""Anchoring speed on long texts: a benchmark to run and read, not a test.

    .venv/bin/python -m bench.anchoring

Prints, for synthetic prose of 100 KB and 300 KB, how long it takes to anchor a passage, to
refuse one that is not there (with the closest passage shown to the editor), and to find
passages again after an edit: one moved, one reworded (found approximately, for review), one
gone (broken). Targets: well under a second per passage on a 300 KB text.
"""

import random
import statistics
import time

from negotiations import anchoring

WORDS = [
    "tariff",
    "truce",
    "negotiators",
    "talks",
    "rare",
    "earths",
    "exports",
    "Beijing",
    "Washington",
    "deficit",
    "summit",
    "officials",
    "statement",
    "agreement",
    "Treasury",
    "ministry",
    "commerce",
    "students",
    "visas",
    "chips",
    "Geneva",
    "Stockholm",
    "minerals",
    "progress",
    "stalled",
    "constructive",
    "reporters",
    "interview",
    "leaders",
    "call",
]


def prose(size, seed):
    rng = random.Random(seed)
    out, length = [], 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24)))
        sentence = sentence.capitalize() + ". "
        out.append(sentence)
        length += len(sentence)
    return "".join(out)[:size]


def timed(action, repeat=5):
    """Median seconds of ``action``, each run with cold caches (as a first save would be)."""
    times = []
    for _ in range(repeat):
        anchoring.normalise.cache_clear()
        anchoring.quotation_spans.cache_clear()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refusal(text, passage):
    def refuse():
        try:
            anchoring.find_passage(text, passage)
        except anchoring.PassageNotFound as error:
            str(error)  # the message, with the closest passage, as an editor sees it

    return refuse


def measure(size):
    text = prose(size, seed=size)
    passage = text[size // 2 : size // 2 + 2000]
    anchor = anchoring.find_passage(text, passage)
    words = passage.split(" ")
    words[len(words) // 2] = "REWORDED"
    moved = "Correction. " + text
    reworded = text.replace(passage, " ".join(words))
    gone = text.replace(passage, "")
    assert anchoring.locate(reworded, anchor).approximate
    assert anchoring.locate(gone, anchor) is None
    return [
        ("anchor a 2 KB passage", timed(lambda: anchoring.find_passage(text, passage))),
        (
            "refuse a 2 KB passage, showing the closest",
            timed(refusal(text, passage.replace("tariff", "tarrif"))),
        ),
        ("find again: moved", timed(lambda: anchoring.locate(moved, anchor))),
        ("find again: reworded (to review)", timed(lambda: anchoring.locate(reworded, anchor))),
        ("find again: gone (broken)", timed(lambda: anchoring.locate(gone, anchor))),
    ]


def main():
    print(f"{'text':>8}  {'operation (median of 5, cold caches)':<45} {'time':>10}")
    for size in (100_000, 300_000):
        for what, seconds in measure(size):
            print(f"{size // 1000:>5} KB  {what:<45} {seconds * 1000:>8.1f} ms")


if __name__ == "__main__":
    main()
