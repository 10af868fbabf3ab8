"""Benchmark-only settings: the app's own, with ``bench.urls`` as the URLconf, which adds
/bench/bare/ (the ceiling a bare Django page sets on the machine). ``bench.pages`` serves the
app with these; the deployed site never uses them, so it never exposes that page."""

from negotiations.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
