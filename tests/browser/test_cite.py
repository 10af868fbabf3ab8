"""The Cite section in a real Chromium: the Copy button's script loads under the site's CSP and
copies the reference; without JavaScript there is no dead button and the reference is text."""

import pytest

from negotiations.models import Source
from tests.browser.conftest import _new_page

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

SLUG = "britishwire-talks-lose-momentum"


def test_copy_puts_the_apa_reference_on_the_clipboard(page, live_server):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(Source.objects.get(slug=SLUG).get_absolute_url())
    reference = page.locator("#cite-apa .cite-reference")
    expect(reference).to_contain_text("British Wire")
    button = page.locator('button.cite-copy[data-copy="cite-apa"]')
    expect(button).to_be_visible()  # the script ran: the CSP let it load
    button.click()
    expect(button).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == reference.inner_text().strip()


def test_without_javascript_the_reference_is_text_and_no_button_shows(browser, live_server, seeded):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    try:
        page.goto(Source.objects.get(slug=SLUG).get_absolute_url())
        expect(page.locator("#cite-chicago .cite-reference")).to_contain_text("British Wire")
        expect(page.locator("button.cite-copy").first).to_be_hidden()
        ris = page.locator('.cite a[href="?format=ris"]')
        expect(ris).to_have_count(1)
    finally:
        context.close()
