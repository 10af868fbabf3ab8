"""Record pages with their JSON-LD in a real Chromium under the site's CSP: the data blocks are
read as data, never run, so no page logs a console error or a CSP violation."""

import json

import pytest

from negotiations.models import Claim, Quote

pytestmark = pytest.mark.browser


def test_record_pages_with_json_ld_log_no_console_error_or_csp_violation(page):
    quote = Quote.objects.published().first()
    claim = Claim.objects.published().first()
    paths = [
        "/sources/bessent-fox-deadlocked/",
        quote.get_absolute_url(),
        claim.get_absolute_url(),
        "/rounds/stockholm-talks-2025-07/",
        "/officials/li-chenggang/",
        "/issues/rare-earths/",
        "/quotes/?issue=rare-earths",
    ]
    problems = []
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__violations.push(e.violatedDirective));"
    )

    def on_console(message):
        # The site has no favicon: the browser's own request for one is no fault of a page.
        if message.type == "error" and not message.location.get("url", "").endswith("favicon.ico"):
            problems.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src" in response.headers["content-security-policy"]
        # Any CSP violation the page caused while it loaded, as the browser reports it.
        assert page.evaluate("window.__violations") == [], path
        blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
        if path.startswith("/quotes/?"):
            assert blocks == []
            continue
        assert len(blocks) == 1 and json.loads(blocks[0])["@context"] == "https://schema.org"
    assert problems == []
