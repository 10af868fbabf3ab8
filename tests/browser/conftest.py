"""Real-browser fixtures: Debian's Chromium driven by Playwright, axe-core from npm.

Without Chromium, Playwright or node_modules/axe-core a browser test skips on a laptop, and
fails in CI (CI=true), where a skipped browser test would hide a missing install step.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TIMEOUT_MS = 10_000


def missing_tool(what, install):
    """Skip on a developer's machine; fail in CI, where every browser test must run."""
    message = f"{what} is missing: {install}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {message}. Browser tests never skip in CI.", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path():
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing_tool(f"Chromium ({CHROMIUM})", "apt-get install chromium")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.is_file():
        missing_tool(f"axe-core ({AXE.relative_to(REPO)})", "npm ci (make test runs it)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_tool("Playwright for Python", "pip install -r requirements-dev.txt")
    # While Playwright's sync API runs, an asyncio event loop runs in the tests' thread, and Django
    # takes every ORM call made there (loading the seed, counting the expected results, flushing
    # after a live-server test) for one made from async code (SynchronousOnlyOperation). Nothing
    # here is async: allow those calls for as long as Playwright runs. The live server answers in
    # its own thread, where nothing changes.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
        finally:
            playwright.stop()


def _new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.set_default_navigation_timeout(TIMEOUT_MS)
    return context, page


@pytest.fixture
def page(browser, live_server, seeded):
    """A fresh page on the live server, with the site's Content-Security-Policy enforced."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def audit_page(axe_source, browser, live_server, seeded):
    """A page whose context ignores the CSP, so that axe-core can be injected as a script."""
    context, page = _new_page(browser, live_server, bypass_csp=True)
    yield page
    context.close()
