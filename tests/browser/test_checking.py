"""The quote checker in a real Chromium: a reader pastes a draft on /check/, submits, reads the
verdicts, and follows a verbatim quotation's citation to the source page with the passage
marked; axe-core audits the form and the report.

Expected verdicts and links come from the database and the engine's labels, never from the page
under test. With JOURNEY_SCREENSHOTS naming a folder, the report is kept there as
check-report.png (for the issue's note).
"""

import os
import re

import pytest

from negotiations import checking
from negotiations.models import Citation, Quote
from tests.browser.marks import marked_passage
from tests.browser.test_accessibility import BLOCKING, describe, run_axe
from tests.browser.test_journeys import CITATION_LINK, wait_for_path
from tests.views.test_checking import EXPECTED, FIVE_CASES, VERBATIM

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser


def paste_and_check(page, text):
    page.goto("/check/")
    field = page.get_by_label("Text to check")
    field.fill(text)
    page.get_by_role("button", name="Check the quotations").click()
    expect(page.locator("li.check-finding").first).to_be_visible()


def test_a_reader_checks_a_draft_and_follows_a_quotation_to_its_passage(page):
    paste_and_check(page, FIVE_CASES)
    findings = page.locator("li.check-finding")
    expect(findings).to_have_count(len(EXPECTED))
    for n, verdict in enumerate(EXPECTED):
        expect(findings.nth(n)).to_have_attribute("data-verdict", verdict)
        expect(findings.nth(n).locator(".check-verdict")).to_have_text(
            str(checking.VERDICTS[verdict])
        )
    # The form kept the text, and a permanent link was made (the box is ticked by default).
    expect(page.get_by_label("Text to check")).to_have_value(FIVE_CASES)
    permalink = page.locator("a.check-permalink")
    expect(permalink).to_have_attribute("href", re.compile(r"^/check/[\w-]+/$"))

    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if folder:
        page.locator("#check-report-title").scroll_into_view_if_needed()
        page.screenshot(path=os.path.join(folder, "check-report.png"), full_page=True)

    # In the text, the first quotation's mark leads to its finding.
    page.locator(".check-text a.check-mark").first.click()
    wait_for_path(page, "/check/#finding-1")

    verbatim = findings.nth(0)
    quote = Quote.objects.published().get(text=VERBATIM)
    expected = {c.get_absolute_url() for c in Citation.objects.filter(quote=quote)}
    links = verbatim.locator('a[href*="#cite-"]')
    assert {link.get_attribute("href") for link in links.all()} == expected
    href = links.first.get_attribute("href")
    target = CITATION_LINK.match(href)
    assert target, href
    links.first.click()
    wait_for_path(page, href)

    citation = Citation.objects.select_related("source").get(pk=target["id"])
    marked = marked_passage(page, citation.pk)
    assert marked and marked in " ".join(citation.exact.split()), (marked, citation.exact)
    assert " ".join(VERBATIM.split()) in marked


def audit(page, axe_source):
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    assert not violations, f"{page.url}:\n{describe(violations)}"


def test_the_form_and_the_report_pass_the_accessibility_audit(audit_page, axe_source):
    audit_page.goto("/check/")
    audit(audit_page, axe_source)
    # A refused text: the message on the form.
    audit_page.get_by_role("button", name="Check the quotations").click()
    expect(audit_page.locator("#check-errors")).to_be_visible()
    audit(audit_page, axe_source)
    # The report of a fresh check, with the text marked, kept with its text.
    audit_page.get_by_label("Text to check").fill(FIVE_CASES)
    audit_page.get_by_label("Include my full text in the shared report").check()
    audit_page.get_by_role("button", name="Check the quotations").click()
    expect(audit_page.locator("li.check-finding").first).to_be_visible()
    audit(audit_page, axe_source)
    # The kept report's own page, and its embeddable summary.
    report = audit_page.locator("a.check-permalink").get_attribute("href")
    audit_page.goto(report)
    expect(audit_page.locator(".check-text a.check-mark").first).to_be_visible()
    audit(audit_page, axe_source)
    audit_page.goto(report + "embed/")
    audit(audit_page, axe_source)
