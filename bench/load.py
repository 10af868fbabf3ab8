"""Load: the app as the README deploys it, under 60 s of 64 connections, with editors saving.

    .venv/bin/python -m bench.load [--seconds 60] [--connections 64] [--workers 3]

Creates a throwaway PostgreSQL database with the seed, serves it with gunicorn (DJANGO_DEBUG=0,
the README's deployment, TLS left to a proxy), and drives it with wrk (Debian's package) over a
mix of public pages, filtered lists and exports. Meanwhile editors save the same round through
the admin, each changing a field of their own from a form opened before the others saved: the
stale-save guard refuses, the editor reloads and saves again, and at the end every editor's
change must be in the record. Prints errors, latency percentiles and lost edits; exits 1 on any
error or lost edit. Needs PostgreSQL on 127.0.0.1:5432 (user postgres) and wrk.
"""

import argparse
import html
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYTHON = str(REPO / ".venv" / "bin" / "python")
PORT = 8077
PASSWORD = "load-test-editor-2025"

PATHS = [
    "/",
    "/quotes/",
    "/quotes/?speaker=scott-bessent",
    "/quotes/?issue=tariffs&format=json",
    "/quotes/?format=csv",
    "/claims/?status=disputed",
    "/rounds/",
    "/issues/",
    "/issues/tariffs/",
    "/officials/scott-bessent/",
    "/sources/",
    "/sources/bessent-fox-yahoo/",
    "/search/?q=tariffs",
    "/integrity/",
    "/rounds/geneva-talks-2025-05/?format=json",
    "/healthz",
]

WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1], {["X-Forwarded-Proto"] = "https"})
end
"""


def run(*args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=REPO, check=True, **kwargs)


def form_fields(text):
    """The fields of the page's form, as a browser would post them back unchanged."""
    fields = {}
    for tag in re.findall(r"<(?:input|textarea|select)[^>]*>", text):
        name = re.search(r'\sname="([^"]+)"', tag)  # not data-field-name="…"
        unchecked = 'type="checkbox"' in tag and "checked" not in tag
        if not name or 'type="submit"' in tag or unchecked or "__prefix__" in name.group(1):
            continue
        value = re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    textareas = re.findall(r'<textarea[^>]*\sname="([^"]+)"[^>]*>(.*?)</textarea>', text, re.S)
    for name, content in textareas:
        fields[name] = content.strip("\n")
    selects = re.findall(r'<select[^>]*\sname="([^"]+)"[^>]*>(.*?)</select>', text, re.S)
    for name, options in selects:
        if "__prefix__" in name:
            continue
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', options)
        fields[name] = chosen.group(1) if chosen else ""
    return {k: html.unescape(v) for k, v in fields.items()}


class Editor:
    """An editor's browser: a session cookie and a CSRF token, over plain HTTP to gunicorn,
    telling Django the proxy spoke HTTPS (the README's deployment)."""

    def __init__(self, name):
        self.name, self.cookies = name, {}

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        headers = {
            "X-Forwarded-Proto": "https",
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        body = None
        if fields is not None:
            body = urllib.parse.urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def form(self, path):
        status, text = self.request("GET", path)
        assert status == 200, (self.name, path, status)
        return form_fields(text)

    def log_in(self):
        fields = self.form("/admin/login/?next=/admin/")
        fields.update(username=self.name, password=PASSWORD)
        status, _ = self.request("POST", "/admin/login/?next=/admin/", fields)
        assert status == 302, (self.name, "login", status)


def edit_concurrently(round_path, editors, rounds_each, outcome):
    """Each editor keeps a line of its own in the round's summary, rewriting only that line,
    from a form opened at the same moment as the others'."""
    barrier = threading.Barrier(len(editors))

    def work(editor, index):
        editor.log_in()
        for n in range(rounds_each):
            barrier.wait()  # everyone opens the form at once: all but one save a stale form
            while True:
                fields = editor.form(round_path)
                lines = [line for line in fields["summary"].splitlines() if line.strip()]
                mine = f"editor {index}: save {n}"
                lines = [line for line in lines if not line.startswith(f"editor {index}:")]
                fields["summary"] = "\n".join(sorted([*lines, mine]))
                fields["_save"] = "Save"
                status, text = editor.request("POST", round_path, fields)
                if status == 302:
                    outcome["saved"] += 1
                    break
                if "saved a newer version" in text:
                    outcome["refused_stale"] += 1  # the guard: reload and save again
                    continue
                problems = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', text, re.S)
                problems += re.findall(r"errors field-([\w-]+)", text)
                outcome["errors"].append((editor.name, status, problems))
                break

    threads = [threading.Thread(target=work, args=(editor, i)) for i, editor in enumerate(editors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--editors", type=int, default=4)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    database = f"negotiations_load_{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_REQUEST_LOG": "0",
        "DJANGO_EDITOR_PASSWORD": PASSWORD,
    }
    run(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-q",
        "-c",
        f"CREATE DATABASE {database}",
        env=env,
    )
    server = None
    try:
        run(PYTHON, "manage.py", "migrate", "--no-input", "-v0", env=env)
        run(PYTHON, "manage.py", "load_seed", "-v0", env=env)
        run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
        editors = [Editor(f"editor{i}") for i in range(args.editors)]
        for editor in editors:
            run(PYTHON, "manage.py", "add_editor", editor.name, env=env, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [
                str(REPO / ".venv" / "bin" / "gunicorn"),
                "negotiations.wsgi",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(args.workers),
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=env,
        )
        for _ in range(60):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.5)
        round_id = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-v0",
                "-c",
                "from negotiations.models import Round; print(Round.objects.get(slug='stockholm-talks-2025-07').pk)",
            ],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        round_path = f"/admin/negotiations/round/{round_id}/change/"

        outcome = {"saved": 0, "refused_stale": 0, "errors": []}
        rounds_each = 5
        editing = threading.Thread(
            target=edit_concurrently, args=(round_path, editors, rounds_each, outcome)
        )
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in PATHS))
        editing.start()
        wrk = subprocess.run(
            [
                "wrk",
                "-t",
                "4",
                "-c",
                str(args.connections),
                "-d",
                f"{args.seconds}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        editing.join()
        summary = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-v0",
                "-c",
                f"from negotiations.models import Round; print(Round.objects.get(pk={round_id}).summary)",
            ],
            cwd=REPO,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        if server:
            server.terminate()
            server.wait()
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-q",
                "-c",
                f"DROP DATABASE IF EXISTS {database} WITH (FORCE)",
            ],
            env=env,
            check=False,
        )

    print(wrk.stdout)
    not_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk.stdout)
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", wrk.stdout
    )
    errors = (int(not_ok.group(1)) if not_ok else 0) + (
        sum(int(n) for n in socket.groups()) if socket else 0
    )
    wanted = {f"editor {i}: save {rounds_each - 1}" for i in range(len(editors))}
    lost = sorted(wanted - set(summary.splitlines()))
    print(
        f"Editors: {outcome['saved']} saves, {outcome['refused_stale']} stale forms refused "
        f"and saved again, {len(outcome['errors'])} errors; lost edits: {lost or 'none'}"
    )
    print(f"Errors under load: {errors}")
    if outcome["errors"]:
        print("Editor errors:", outcome["errors"][:5])
    if errors or lost or outcome["errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
