"""Pages: every public page on a synthetic knowledge base of 100,000 and 1,000,000 quotes, on
SQLite and PostgreSQL, served as the README deploys it; a table of throughput, latency, queries,
sizes and memory, and how they compare with issue 11's targets.

    .venv/bin/python -m bench.pages [--sizes 100000,1000000] [--databases sqlite,postgres]
        [--seconds 5] [--seed N] [--regenerate] [--quick] [--output bench/results/latest.md]

For each database and size: the data is generated once (``manage.py generate_synthetic``) and
kept, a SQLite file in the cache folder and a PostgreSQL database, both named by size, seed and
a fingerprint (``FINGERPRINTED``: every migration's name and contents, the search documents,
the generator and the bulk load's derivations), so that reruns reuse them while none of those
changed (``--regenerate`` makes them again); ``migrate`` runs first. Data of the same size and
seed under another fingerprint is deleted when the new one is made. Each page is requested once
in-process (django.test.Client, DEBUG off, before the server starts) to count its SQL queries
and bytes. Then gunicorn serves it, 2 sync workers, DJANGO_DEBUG=0, with ``bench.settings``
(the app's settings plus /bench/bare/, the ceiling), every request saying
``X-Forwarded-Proto: https`` as the TLS proxy would; for each page, after a warm-up, wrk drives
16 connections (2 threads) for ``--seconds``, and the gunicorn workers' memory (VmRSS) is read
afterwards. Search latency is one connection over a mix of searches (no queueing: latency is
the server's time); the CSV export of a filtered view of (nearly) every quote
(``?said_after=``, a million rows at 1M) is read to its end: when its first row came, the total
time, and whether it ended or was cut off. A slow page cannot stall the run: wrk gives up on a request after ``WRK_TIMEOUT`` (a timeout, an error),
gunicorn kills one after ``GUNICORN_TIMEOUT`` as deployed, and the server is started afresh
for each page. Needs wrk, and for PostgreSQL a server on 127.0.0.1:5432 (user
postgres); ``BENCH_PORT`` (default 8078) lets two runs go side by side.

Exits 1 when any request failed (a non-2xx answer or a socket error); targets not met are
reported, not failures. ``--quick`` (2,000 and 20,000 quotes, 3 s a page) is a smoke run.
"""

import argparse
import contextlib
import datetime
import hashlib
import http.client
import json
import math
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = str(REPO / ".venv" / "bin" / "python")
GUNICORN = str(REPO / ".venv" / "bin" / "gunicorn")
PORT = int(os.environ.get("BENCH_PORT", "8078"))  # another port: two runs side by side
HOST = "127.0.0.1"
PG = "postgres://postgres@127.0.0.1:5432"
CONNECTIONS, THREADS, WORKERS = 16, 2, 2
PAGE_CACHE_OFF = {"DJANGO_PAGE_CACHE_SECONDS": "0"}
HEADERS = {"X-Forwarded-Proto": "https", "Host": HOST}
DEFAULT_SIZES = "100000,1000000"
QUICK_SIZES = "2000,20000"

# Issue 11's targets.
TARGET_RPS = [  # page, how the table names it, req/s
    ("quotes by speaker", "`/quotes/?speaker=X`", 150),
    ("quotes", "`/quotes/`", 100),
    ("quotes by speaker, JSON", "`/quotes/?speaker=X&format=json`", 250),
    ("claims, disputed", "`/claims/?status=disputed`, as fast as quotes", 150),
]
DETAIL_PAGES = ["issue", "round", "official", "source", "quote", "claim"]
TARGET_DETAIL_RPS = 100
TARGET_SEARCH_P95_MS = 50
TARGET_SCALING = 1.5
TARGET_PAGE_BYTES = 150 * 1024
TARGET_RSS_MB = 250
TARGET_CSV_FIRST_BYTE_S = 1.0
GUNICORN_TIMEOUT = 30  # s: gunicorn's default; a request still running then is killed (an error)
WRK_TIMEOUT = 10  # s: a request wrk waited this long for counts as a timeout (an error)
CSV_MAX_SECONDS = 300  # the whole export; the target is its first row

PAGE_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) non2xx = 0 end
wrk.headers["X-Forwarded-Proto"] = "https"
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end
%(request)s
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("non2xx") end
  local e = summary.errors
  io.write(string.format("BENCH %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    bad, e.connect + e.read + e.write, e.timeout))
end
"""
MIX_REQUEST = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def say(message):
    print(message, flush=True)


# The data --------------------------------------------------------------------------------------


# What the data depends on: a change to any of these makes it again. The schema is every
# migration (names and contents: an edited migration counts) and the search schema's
# definitions; the data is what the generator writes and what the bulk load derives from it.
FINGERPRINTED = [
    "negotiations/migrations/[0-9][0-9][0-9][0-9]_*.py",
    "negotiations/search/documents.py",
    "negotiations/synthetic.py",
    "negotiations/management/commands/generate_synthetic.py",
    "negotiations/services/bulk_load.py",
    "negotiations/services/facets.py",
    # The quote checker's index is made after migrate only where it is missing: data indexed
    # by an older definition of it must be made again.
    "negotiations/checking/index.py",
]


def fingerprint():
    """The latest migration's number and a hash of the schema and of the generator (the files
    of ``FINGERPRINTED``): data made by another schema or another generator is not reused."""
    files = sorted({p for pattern in FINGERPRINTED for p in REPO.glob(pattern)})
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    migrations = [p.name[:4] for p in files if p.parent.name == "migrations"]
    return f"{max(migrations, default='0000')}_{digest.hexdigest()[:10]}"


@dataclass
class Dataset:
    database: str  # sqlite or postgres
    size: int
    seed: int
    cache: Path
    generated_seconds: float | None = None
    reused: bool = False
    schema: str = field(default_factory=fingerprint)

    @property
    def name(self):
        return f"bench_{self.size}_{self.seed}_{self.schema}"

    @property
    def url(self):
        if self.database == "sqlite":
            return f"sqlite:///{self.cache / (self.name + '.sqlite3')}"
        return f"{PG}/{self.name}"

    @property
    def sidecar(self):
        return self.cache / f"{self.name}.{self.database}.json"

    def disk_bytes(self):
        if self.database == "sqlite":
            return (self.cache / f"{self.name}.sqlite3").stat().st_size
        return int(psql(f"SELECT pg_database_size('{self.name}')"))


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def environment(dataset, **extra):
    return {
        **os.environ,
        "DATABASE_URL": dataset.url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        **extra,
    }


SECRET_KEY = secrets.token_urlsafe(50)
CODE_LABEL = ""  # --code: what the report says of the code measured


def manage(dataset, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=REPO,
        env=environment(dataset),
        check=True,
        text=True,
        capture_output=capture,
    )


def prepare(dataset, regenerate):
    """The dataset's database, migrated and filled: reused when it was made before."""
    dataset.cache.mkdir(parents=True, exist_ok=True)
    exists = (
        (dataset.cache / f"{dataset.name}.sqlite3").exists()
        if dataset.database == "sqlite"
        else psql(f"SELECT 1 FROM pg_database WHERE datname = '{dataset.name}'") == "1"
    )
    if exists and dataset.sidecar.exists() and not regenerate:
        dataset.reused = True
        dataset.generated_seconds = json.loads(dataset.sidecar.read_text())["seconds"]
        say(
            f"Reusing {dataset.database} {dataset.name} (generated in {dataset.generated_seconds:.0f} s)"
        )
        manage(dataset, "migrate", "--no-input", "-v0")
        return
    prune(dataset)
    dataset.sidecar.unlink(missing_ok=True)
    if dataset.database == "sqlite":
        (dataset.cache / f"{dataset.name}.sqlite3").unlink(missing_ok=True)
    else:
        psql(f"DROP DATABASE IF EXISTS {dataset.name} WITH (FORCE)")
        psql(f"CREATE DATABASE {dataset.name}")
    say(f"Generating {dataset.size:,} quotes into {dataset.database} {dataset.name}")
    manage(dataset, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    manage(
        dataset, "generate_synthetic", "--quotes", str(dataset.size), "--seed", str(dataset.seed)
    )
    dataset.generated_seconds = time.monotonic() - started
    dataset.sidecar.write_text(
        json.dumps(
            {"seconds": dataset.generated_seconds, "at": datetime.datetime.now().isoformat()}
        )
    )


def prune(dataset):
    """Drop the data of the same size and seed made by another schema or generator: it is
    never reused, and a million quotes take gigabytes."""
    prefix = f"bench_{dataset.size}_{dataset.seed}_"
    if dataset.database == "sqlite":
        for path in dataset.cache.glob(f"{prefix}*"):
            if not path.name.startswith(dataset.name + "."):
                say(f"Removing stale {path.name}")
                path.unlink(missing_ok=True)
        return
    stale = psql(
        "SELECT datname FROM pg_database WHERE datname LIKE "
        f"'{prefix.replace('_', chr(92) + '_')}%' AND datname <> '{dataset.name}'"
    ).split()
    for name in stale:
        say(f"Dropping stale database {name}")
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        (dataset.cache / f"{name}.postgres.json").unlink(missing_ok=True)


# In-process: the pages' addresses, queries and sizes -----------------------------------------


def probe_main():
    """Run inside the app (``--probe``): choose the pages from the data, then request each
    once through django.test.Client, counting queries; print JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from negotiations import synthetic
    from negotiations.guards import unlimited_statements
    from negotiations.models import Citation, Claim, Official, Quote, Round, StickingPoint

    with unlimited_statements():  # choosing the pages is not a request
        top = (
            Quote.objects.values("speaker")
            .annotate(n=Count("pk"))
            .order_by("-n", "speaker")
            .first()
        )
        speaker = Official.objects.get(pk=top["speaker"])
        chinese = (
            Quote.objects.filter(speaker__country="CN")
            .values("speaker__native_name")
            .annotate(n=Count("pk"))
            .order_by("-n", "speaker__native_name")
            .first()
        )
        issue = StickingPoint.objects.annotate(n=Count("quotes")).order_by("-n", "pk").first()
        round_ = Round.objects.annotate(n=Count("quotes")).order_by("-n", "pk").first()
        quote = (
            Quote.objects.exclude(statement=None).order_by("pk").first() or Quote.objects.first()
        )
        claim = (
            Claim.objects.filter(status="disputed").order_by("pk").first() or Claim.objects.first()
        )
        source = (
            Citation.objects.values("source__slug")
            .annotate(n=Count("pk"))
            .order_by("-n", "source")
            .first()
        )
        deep = max(2, round(Quote.objects.count() / 50 * 0.9))
    common = urllib.parse.quote_plus(synthetic.COMMON_WORD)
    pages = {
        "quotes by speaker": f"/quotes/?speaker={speaker.slug}",
        "quotes": "/quotes/",
        "quotes by speaker, JSON": f"/quotes/?speaker={speaker.slug}&format=json",
        "quotes, search": f"/quotes/?q={common}",
        "quotes, deep page": f"/quotes/?page={deep}",
        "claims, disputed": "/claims/?status=disputed",
        "claims": "/claims/",
        "issue": issue.get_absolute_url(),
        "round": round_.get_absolute_url(),
        "official": speaker.get_absolute_url(),
        "source": f"/sources/{source['source__slug']}/",
        "quote": quote.get_absolute_url(),
        "claim": claim.get_absolute_url(),
        "sources": "/sources/",
        "rounds": "/rounds/",
        "issues": "/issues/",
        "officials": "/officials/",
        "home": "/",
        "search": f"/search/?q={common}",
        "bare Django page (ceiling)": "/bench/bare/",
    }
    terms = [
        synthetic.COMMON_WORD,
        synthetic.RARE_WORDS[0],
        f'"{synthetic.PHRASE}"',
        "U.S.",
        chinese["speaker__native_name"] if chinese else "李",
        "rare earth",
    ]
    searches = [
        f"{path}?q={urllib.parse.quote_plus(term)}"
        for path in ("/search/", "/quotes/", "/claims/")
        for term in terms
    ]
    # Issue 11's export: a filtered view of (nearly) every quote, a million rows at 1M.
    csv = f"/quotes/?said_after={synthetic.FIRST_DAY:%Y-%m-%d}&format=csv"
    with unlimited_statements():
        csv_rows = Quote.objects.filter(said_on__gte=synthetic.FIRST_DAY).count()
    found = {"pages": pages, "searches": searches, "csv": csv, "csv_rows": csv_rows}
    found["measured"] = {}
    client = Client(HTTP_HOST=HOST, headers={"X-Forwarded-Proto": "https"})
    client.get("/bench/bare/")  # the process's first request pays for imports
    for path in list(pages.values()):
        counts, size, status, seconds = [], 0, 0, 0
        for attempt in range(2):  # the first request, then the same again (caches, if any)
            if attempt and seconds > 2:  # slow: the first says enough
                counts.append(counts[0])
                break
            started = time.monotonic()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
                body = (
                    b"".join(response.streaming_content) if response.streaming else response.content
                )
            seconds = seconds or time.monotonic() - started
            counts.append(len(queries.captured_queries))
            size, status = len(body), response.status_code
        found["measured"][path] = {
            "queries": counts[0],
            "queries_again": counts[1],
            "bytes": size,
            "status": status,
            "seconds": seconds,
        }
    print(json.dumps(found))


def probe(dataset, extra_env):
    done = subprocess.run(
        [PYTHON, "-m", "bench.pages", "--probe"],
        cwd=REPO,
        env=environment(dataset, **extra_env),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


# Serving and driving -------------------------------------------------------------------------


class Server:
    """gunicorn serving the dataset: started afresh for each page, so that a slow page's
    backlog never falls on the next, and each page's memory is its own."""

    def __init__(self, dataset, log, extra_env):
        self.dataset, self.log, self.extra_env = dataset, log, extra_env
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [GUNICORN, "negotiations.wsgi", "--bind", f"{HOST}:{PORT}", "--workers", str(WORKERS)]
            + ["--timeout", str(GUNICORN_TIMEOUT)],
            cwd=REPO,
            env=environment(self.dataset, **self.extra_env),
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request("/healthz", timeout=5)[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 s; see " + self.log.name)

    def stop(self):
        """Quick shutdown (SIGINT): requests still queued are dropped, not answered."""
        if self.process is None:
            return
        workers = [pid for pid, _text in self.workers()]
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            for pid in [self.process.pid, *workers]:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def restart(self):
        self.stop()
        return self.start()

    def idle(self):
        """Whether the workers answer at once (no backlog left by the last run)."""
        for _ in range(2):
            try:
                started = time.monotonic()
                request("/healthz", timeout=5)
            except OSError:
                return False
            if time.monotonic() - started > 0.5:
                return False
        return True

    def workers(self):
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if self.process and re.search(rf"^PPid:\s+{self.process.pid}$", text, re.M):
                found.append((int(status.parent.name), text))
        return found

    def rss_mb(self):
        """(largest VmRSS, largest VmHWM) of the workers, in MB."""
        rss, peak = [0], [0]
        for _pid, text in self.workers():
            rss += [int(m) for m in re.findall(r"^VmRSS:\s+(\d+) kB", text, re.M)]
            peak += [int(m) for m in re.findall(r"^VmHWM:\s+(\d+) kB", text, re.M)]
        return max(rss) / 1024, max(peak) / 1024


def export(path):
    """A CSV export read to its end (or CSV_MAX_SECONDS): status, when its first data row came
    (the byte order mark and the header come before any query's row, so its first byte says
    nothing), total time, bytes, and whether it ended complete."""
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, PORT, timeout=GUNICORN_TIMEOUT + 5)
    first_row, size, lines, complete, response = None, 0, 0, False, None
    try:
        connection.request("GET", path, headers=HEADERS)
        response = connection.getresponse()
        while time.monotonic() - started < CSV_MAX_SECONDS:
            chunk = response.read1(65536)
            if not chunk:
                complete = True  # the end of the response, not a cut-off (IncompleteRead)
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
            if first_row is None and lines >= 2:  # the header's line end, then a row's
                first_row = time.monotonic() - started
    except (OSError, http.client.HTTPException):
        complete = False
    finally:
        connection.close()
    return {
        "status": response.status if response is not None else 0,
        "first_row": first_row if first_row is not None else float("inf"),
        "total": time.monotonic() - started,
        "bytes": size,
        "complete": complete,
    }


def request(path, timeout=60):
    connection = http.client.HTTPConnection(HOST, PORT, timeout=timeout)
    connection.request("GET", path, headers=HEADERS)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


@dataclass
class Run:
    requests: int = 0
    seconds: float = 0
    p50: float = 0  # ms
    p95: float = 0
    p99: float = 0
    non2xx: int = 0
    socket_errors: int = 0
    timeouts: int = 0

    @property
    def rps(self):
        return self.requests / self.seconds if self.seconds else 0

    @property
    def errors(self):
        return self.non2xx + self.socket_errors + self.timeouts


def wrk(target, seconds, *, connections=CONNECTIONS, threads=THREADS, paths=None):
    """One wrk run on a path (or a mix of ``paths``); the Lua ``done`` hook reports."""
    mix = MIX_REQUEST % ", ".join(json.dumps(p) for p in paths) if paths else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(PAGE_SCRIPT % {"request": mix})
    done = subprocess.run(
        ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s"]
        + [
            "--timeout",
            f"{WRK_TIMEOUT}s",
            "--latency",
            "-s",
            script.name,
            f"http://{HOST}:{PORT}{target}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(script.name)
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("BENCH "))
    n, duration, p50, p95, p99, bad, sockets, timeouts = (int(x) for x in line.split()[1:])
    return Run(n, duration / 1e6, p50 / 1000, p95 / 1000, p99 / 1000, bad, sockets, timeouts)


@dataclass
class Result:
    dataset: Dataset
    paths: dict = field(default_factory=dict)  # label -> path
    measured: dict = field(default_factory=dict)  # path -> probe's numbers
    runs: dict = field(default_factory=dict)  # label -> (Run, rss, peak)
    search: Run | None = None
    search_each: dict = field(default_factory=dict)  # path -> (status, ms)
    csv: dict = field(default_factory=dict)


def bench_dataset(dataset, seconds, warmup, log, extra_env):
    result = Result(dataset)
    say(f"Measuring queries and sizes in-process ({dataset.database}, {dataset.size:,} quotes)")
    found = probe(dataset, extra_env)
    result.paths, result.measured = found["pages"], found["measured"]
    server = Server(dataset, log, extra_env)
    try:
        for label, path in result.paths.items():
            server.restart()
            wrk(path, warmup)
            if not server.idle():  # a backlog of slow requests: start again, warm
                server.restart()
                with contextlib.suppress(OSError):
                    request(path, timeout=GUNICORN_TIMEOUT + 5)
            run = wrk(path, seconds)
            rss, peak = server.rss_mb()
            result.runs[label] = (run, rss, peak, os.getloadavg()[0])
            say(
                f"  {label:28} {run.rps:8.1f} req/s  p50 {run.p50:8.1f} ms  p99 {run.p99:8.1f} ms"
                f"  errors {run.errors}  workers {rss:.0f} MB  load {os.getloadavg()[0]:.1f}"
            )
        searches = found["searches"]
        server.restart()
        wrk(searches[0], warmup, connections=1, threads=1, paths=searches)
        if not server.idle():
            server.restart()
        result.search = wrk(searches[0], seconds, connections=1, threads=1, paths=searches)
        say(f"  search mix (1 connection)    p95 {result.search.p95:.1f} ms")
        for path in searches:
            started = time.monotonic()
            try:
                status, _body = request(path, timeout=GUNICORN_TIMEOUT + 5)
            except OSError as error:
                status = type(error).__name__
            result.search_each[path] = (status, (time.monotonic() - started) * 1000)
        server.restart()
        result.csv = {"path": found["csv"], "rows": found["csv_rows"], **export(found["csv"])}
        rss, peak = server.rss_mb()
        result.csv.update(rss=rss, peak=peak)
        status, first, total = (result.csv[k] for k in ("status", "first_row", "total"))
        size = result.csv["bytes"]
        say(
            f"  CSV ({found['csv_rows']:,} rows): status {status}, first row {float(first):.2f} s,"
            f" total {float(total):.2f} s, {int(float(size)):,} bytes, worker peak {peak:.0f} MB"
        )
    finally:
        server.stop()
    return result


# The report ----------------------------------------------------------------------------------


def machine():
    cpu = next(
        (ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
         if ln.startswith("model name")),
        platform.processor(),
    )  # fmt: skip
    memory = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    os_name = platform.platform()
    release = Path("/etc/os-release")
    if release.exists():
        pretty = re.search(r'PRETTY_NAME="([^"]+)"', release.read_text())
        os_name = f"{pretty.group(1)} (Linux {platform.release()})" if pretty else os_name
    versions = subprocess.run(
        [PYTHON, "-c", "import sys, sqlite3, django; print(sys.version.split()[0], "
         "sqlite3.sqlite_version, django.__version__)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    try:
        postgres = psql("SHOW server_version").split()[0]
    except (OSError, subprocess.CalledProcessError):
        postgres = "not reachable"
    gunicorn = (
        subprocess.run([GUNICORN, "--version"], capture_output=True, text=True, check=False)
        .stdout.split()[-1]
        .strip(")")
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    code = (
        f"{commit}{' with uncommitted changes' if dirty else ''}"
        if commit
        else "not a git checkout"
    )
    code = CODE_LABEL or code
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; RAM {memory / 1024 / 1024:.1f} GB",
        f"- OS: {os_name}",
        f"- Python {versions[0]}, Django {versions[2]}, SQLite {versions[1]}, "
        f"PostgreSQL {postgres}, gunicorn {gunicorn}, {shutil.which('wrk') and 'wrk'}",
        f"- Code: {code}",
    ]


def short_size(n):
    return (
        f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)
    )


def page_table(result):
    lines = [
        f"### {result.dataset.database}, {result.dataset.size:,} quotes",
        "",
        "| page | address | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket errors "
        "| queries | bytes | worker RSS MB (peak) | load |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for label, path in result.paths.items():
        run, rss, peak, load = result.runs[label]
        m = result.measured[path]
        queries = str(m["queries"])
        if m["queries_again"] != m["queries"]:
            queries += f" (then {m['queries_again']})"
        if m["status"] != 200:
            queries += f" [in-process: {m['status']}]"
        errors = run.socket_errors + run.timeouts
        latency = (
            f"{run.p50:.1f} | {run.p95:.1f} | {run.p99:.1f}"
            if run.requests
            else f"none completed in {run.seconds:.0f} s | — | —"
        )
        lines.append(
            f"| {label} | `{path}` | {run.rps:.1f} | {latency} "
            f"| {flag(run.non2xx)} | {flag(errors)} | {queries} | {m['bytes']:,} "
            f"| {rss:.0f} ({peak:.0f}) | {load:.1f} |"
        )
    s = result.search
    lines += [
        "",
        f"Search, one connection over {len(result.search_each)} searches for the run: "
        f"{s.requests} requests, p50 {s.p50:.1f} ms, p95 {s.p95:.1f} ms, p99 {s.p99:.1f} ms, "
        f"errors {flag(s.errors)}. One request each:",
        "",
        "| search | status | ms |",
        "|---|--:|--:|",
    ]
    for path, (status, ms) in result.search_each.items():
        lines.append(f"| `{urllib.parse.unquote_plus(path)}` | {status} | {ms:.0f} |")
    c = result.csv
    lines += [
        "",
        f"CSV export `{c['path']}` ({c['rows']:,} quotes match): status {c['status']}, first row {c['first_row']:.2f} s, "
        f"total {c['total']:.2f} s{'' if c['complete'] else ' (cut off before the end)'}, "
        f"{c['bytes']:,} bytes; worker RSS after it "
        f"{c['rss']:.0f} MB (peak {c['peak']:.0f}).",
        "",
    ]
    return lines


def per_request(run):
    """Seconds of the run per completed request (infinite when none completed)."""
    return run.seconds / run.requests if run.requests else math.inf


def times(ratio):
    return f"{ratio:.1f}×" if math.isfinite(ratio) else "none completed"


def flag(n):
    return f"**{n}**" if n else "0"


def verdict(ok, detail):
    return f"met ({detail})" if ok else f"**NOT met** ({detail})"


def targets(results):
    """Rows of (target, {column: cell}) comparing every dataset with issue 11's targets."""
    columns = [f"{r.dataset.database} {short_size(r.dataset.size)}" for r in results]
    rows = []

    def add(name, cells):
        rows.append((name, [cells.get(col, "—") for col in columns]))

    def each(fn):
        return {col: fn(r) for col, r in zip(columns, results, strict=True)}

    for label, shown, wanted in TARGET_RPS:

        def rps_cell(r, label=label, wanted=wanted):
            rps = r.runs[label][0].rps
            return verdict(rps >= wanted, f"{rps:.1f} req/s")

        add(f"{shown}: ≥ {wanted} req/s", each(rps_cell))

    def details(r):
        slow = [(p, r.runs[p][0].rps) for p in DETAIL_PAGES if r.runs[p][0].rps < TARGET_DETAIL_RPS]
        worst = min(r.runs[p][0].rps for p in DETAIL_PAGES)
        if not slow:
            return verdict(True, f"slowest {worst:.1f} req/s")
        return verdict(False, ", ".join(f"{p} {rps:.1f}" for p, rps in slow))

    add(
        f"every detail page ({', '.join(DETAIL_PAGES)}): ≥ {TARGET_DETAIL_RPS} req/s", each(details)
    )

    def search(r):
        if not r.search.requests:  # none answered within the run: no p95 to speak of
            return verdict(False, f"no search answered within {r.search.seconds:.0f} s")
        return verdict(r.search.p95 < TARGET_SEARCH_P95_MS, f"p95 {r.search.p95:.1f} ms")

    add(f"search p95 < {TARGET_SEARCH_P95_MS} ms (one connection)", each(search))

    by_database = {}
    for col, r in zip(columns, results, strict=True):
        by_database.setdefault(r.dataset.database, []).append((col, r))
    scaling, queries = {}, {}
    for sized in by_database.values():
        if len(sized) < 2:
            continue
        (_c, small), (col, big) = (
            min(sized, key=lambda x: x[1].dataset.size),
            max(sized, key=lambda x: x[1].dataset.size),
        )
        ratios = {
            label: per_request(big.runs[label][0]) / per_request(small.runs[label][0])
            for label in small.paths
        }
        slow = {k: v for k, v in ratios.items() if not v <= TARGET_SCALING}
        scaling[col] = verdict(
            not slow,
            ", ".join(f"{k} {times(v)}" for k, v in sorted(slow.items(), key=lambda x: -x[1]))
            or f"worst {max(ratios.values()):.2f}×",
        )
        differ = {
            label: (small.measured[small.paths[label]]["queries"], big.measured[path]["queries"])
            for label, path in big.paths.items()
            if small.measured[small.paths[label]]["queries"] != big.measured[path]["queries"]
        }
        queries[col] = verdict(
            not differ,
            ", ".join(f"{k} {a}→{b}" for k, a_b in differ.items() for a, b in [a_b]) or "all equal",
        )
    sizes = sorted({r.dataset.size for r in results})
    if len(sizes) >= 2:
        add(
            f"time per request at {short_size(sizes[-1])} within {TARGET_SCALING}× of "
            f"{short_size(sizes[0])}",
            scaling,
        )
        add(f"same query count at {short_size(sizes[0])} and {short_size(sizes[-1])}", queries)

    def sizes_cell(r):
        big = {
            label: r.measured[path]["bytes"]
            for label, path in r.paths.items()
            if r.measured[path]["bytes"] > TARGET_PAGE_BYTES
        }
        return verdict(
            not big, ", ".join(f"{k} {v / 1024:,.0f} KB" for k, v in big.items()) or "none"
        )

    add("no page over 150 KB", each(sizes_cell))

    def rss_cell(r):  # the workers' peaks (VmHWM), the CSV export's included
        peaks = {label: peak for label, (_run, _rss, peak, _load) in r.runs.items()}
        peaks["CSV export"] = r.csv["peak"]
        over = {k: v for k, v in peaks.items() if v > TARGET_RSS_MB}
        detail = ", ".join(f"{k} {v:.0f} MB" for k, v in over.items())
        return verdict(not over, detail or f"largest {max(peaks.values()):.0f} MB")

    add(f"no worker over {TARGET_RSS_MB} MB RSS", each(rss_cell))

    def csv_cell(r):
        c = r.csv
        ok = c["status"] == 200 and c["first_row"] <= TARGET_CSV_FIRST_BYTE_S
        return verdict(ok, f"{c['first_row']:.2f} s, status {c['status']}")

    add(
        f"CSV export of a filtered view of every quote: first row within "
        f"{TARGET_CSV_FIRST_BYTE_S:.0f} s",
        each(csv_cell),
    )

    def csv_complete(r):
        c = r.csv
        rows = f"{c['rows']:,} rows, {c['bytes'] / 1e6:,.0f} MB in {c['total']:.0f} s"
        return verdict(c["complete"], rows if c["complete"] else f"cut off: {rows}")

    add("… and it runs to its end (as deployed: gunicorn's timeout)", each(csv_complete))

    def errors_cell(r):
        bad = {label: run.errors for label, (run, *_rest) in r.runs.items() if run.errors}
        if r.search.errors:
            bad["search mix"] = r.search.errors
        return verdict(not bad, ", ".join(f"{k} {v}" for k, v in bad.items()) or "none")

    add("no errors (non-2xx, socket errors, timeouts)", each(errors_cell))
    return columns, rows


def report(results, datasets, args):
    lines = [
        f"# Page benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        *machine(),
        f"- Load average (1, 5, 15 min) when the run began: {args.load_at_start}; each page's "
        "row gives the 1-minute average after it: above 2 (the cores), other work shared them",
        f"- Serving: gunicorn, {WORKERS} sync workers (fresh for each page), DJANGO_DEBUG=0, "
        "bench.settings (the app's settings plus /bench/bare/); requests say "
        "X-Forwarded-Proto: https; page cache off (DJANGO_PAGE_CACHE_SECONDS=0) unless said"
        + (f"; also {' '.join(args.env)}" if args.env else ""),
        f"- Load: wrk, {CONNECTIONS} connections, {THREADS} threads, {args.seconds} s a page "
        f"after a {args.warmup} s warm-up; search: 1 connection for {args.seconds} s",
        "- Queries and bytes: the page's first request in-process (django.test.Client, DEBUG "
        'off), "then" when the second differs',
        "",
        "## Data (`manage.py generate_synthetic`)",
        "",
        "| database | quotes | generated in | size on disk |",
        "|---|--:|--:|--:|",
    ]
    for d in datasets:
        took = f"{d.generated_seconds:.0f} s" + (" (earlier run)" if d.reused else "")
        lines.append(
            f"| {d.database} | {d.size:,} | {took} | {d.disk_bytes() / 1024 / 1024:,.0f} MB |"
        )
    lines.append("")
    lines.append("## Pages")
    lines.append("")
    for result in results:
        lines += page_table(result)
    columns, rows = targets(results)
    lines += [
        "## Issue 11's targets",
        "",
        f"| target | {' | '.join(columns)} |",
        f"|---|{'---|' * len(columns)}",
    ]
    lines += [f"| {name} | {' | '.join(cells)} |" for name, cells in rows]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", help=f"quotes, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--seconds", type=int, help="wrk's run per page (default 5; quick 3)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--regenerate", action="store_true", help="make the data again")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES}, 3 s a page")
    parser.add_argument("--output", default=str(REPO / "bench" / "results" / "latest.md"))
    parser.add_argument(
        "--cache",
        default=os.environ.get("BENCH_CACHE", str(Path.home() / ".cache" / "negotiations-bench")),
        help="where the SQLite files are kept (default ~/.cache/negotiations-bench)",
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="more environment for the served app (repeatable), e.g. DATABASE_POOL=0",
    )
    parser.add_argument("--code", help="what the report says of the code (default: git's)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        return probe_main()
    # The pages themselves, not the page cache: with it, every request after a page's first
    # is a cache hit (the pages must be fast without it). --env DJANGO_PAGE_CACHE_SECONDS=600
    # measures the cache instead.
    extra_env = {**PAGE_CACHE_OFF, **dict(item.split("=", 1) for item in args.env)}
    global CODE_LABEL
    CODE_LABEL = args.code or ""
    for tool in ("wrk",):
        if not shutil.which(tool):
            sys.exit(f"{tool} is missing: apt-get install {tool}")
    args.sizes = [
        int(n) for n in (args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)).split(",")
    ]
    # 5 s a page: 16 connections make hundreds of requests of a page meeting its target, and
    # 4 datasets × 20 pages stay within about 20 minutes, generation aside.
    args.seconds = args.seconds or (3 if args.quick else 5)
    args.warmup = 1 if args.quick else 2
    args.load_at_start = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    if args.seed is None:  # the generator's, read without setting Django up in this process
        generator = (REPO / "negotiations" / "synthetic.py").read_text()
        args.seed = int(re.search(r"^DEFAULT_SEED = (\d+)", generator, re.M).group(1))
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    unknown = set(databases) - {"sqlite", "postgres"}
    if unknown:
        sys.exit(f"unknown database(s): {', '.join(sorted(unknown))}; choose sqlite, postgres")

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DJANGO_DEBUG": "0"}
    env["DJANGO_SECRET_KEY"] = SECRET_KEY
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=REPO, env=env, check=True
    )
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    log_path = cache / "gunicorn.log"
    datasets, results = [], []
    with log_path.open("w") as log:
        for database in databases:
            for size in args.sizes:
                dataset = Dataset(database, size, args.seed, cache)
                prepare(dataset, args.regenerate)
                datasets.append(dataset)
                results.append(bench_dataset(dataset, args.seconds, args.warmup, log, extra_env))
    text = report(results, datasets, args)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print()
    print(text)
    print(f"Written to {output}; gunicorn's log: {log_path}")
    failed = [
        f"{r.dataset.database} {r.dataset.size:,}: {label} {run.non2xx} non-2xx, "
        f"{run.socket_errors} socket errors, {run.timeouts} timeouts"
        for r in results
        for label, (run, *_rest) in r.runs.items()
        if run.errors
    ]
    failed += [
        f"{r.dataset.database} {r.dataset.size:,}: search mix {r.search.errors} errors"
        for r in results
        if r.search.errors
    ]
    failed += [
        f"{r.dataset.database} {r.dataset.size:,}: CSV export answered {r.csv['status']}"
        for r in results
        if r.csv["status"] != 200
    ]
    if failed:
        print("\n" + "!" * 78)
        print("ERRORS: requests failed under load (see the gunicorn log):")
        for line in failed:
            print(f"  - {line}")
        print("!" * 78)
        sys.exit(1)


if __name__ == "__main__":
    main()
