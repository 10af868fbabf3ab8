"""A change to a published claim, reviewed, in a real Chromium against a live server: an editor
edits it, the public page keeps the published wording, a reviewer finds the change from the
admin's home, reads its diff and approves it, and the public page then shows it."""

import pytest

from negotiations.models import Claim, PendingChange
from negotiations.roles import EDITORS, REVIEWERS
from tests.browser.test_editing import log_in, make_user, open_page, save  # noqa: F401 (fixtures)

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

ADDED = " (a wording proposed for review)"


def test_an_editors_change_stays_private_until_a_reviewer_approves_it(
    page,
    open_page,  # noqa: F811 (the fixture imported above)
    make_user,  # noqa: F811
):
    claim = Claim.objects.published().order_by("pk").first()
    published, proposed = claim.text, claim.text + ADDED
    editor, reviewer = make_user("ed_editor", EDITORS), make_user("rita_reviewer", REVIEWERS)

    log_in(page, editor)
    page.goto(f"/admin/negotiations/claim/{claim.pk}/change/")
    page.locator("#id_text").fill(proposed)
    save(page)
    expect(page.locator("ul.messagelist li.success")).to_contain_text("Saved for review")
    expect(page.locator(".change-diff")).to_contain_text(ADDED.strip(" ()"))
    claim.refresh_from_db()
    assert claim.text == published

    reader = open_page()
    reader.goto(f"/claims/{claim.pk}/")
    expect(reader.locator("main")).to_contain_text(published)
    expect(reader.locator("main")).not_to_contain_text(ADDED.strip())

    desk = open_page()
    log_in(desk, reviewer)
    desk.get_by_role("link", name="1 change waiting for review").click()
    desk.locator("#result_list tbody a").first.click()
    expect(desk.locator(".change-diff ins")).to_contain_text("proposed for review")
    desk.locator("#id_decision_note").fill("Checked against the source.")
    with desk.expect_navigation():
        desk.get_by_role("button", name="Approve and publish the change").click()
    expect(desk.locator("ul.messagelist li.success")).to_contain_text("Approved")
    assert PendingChange.objects.get().status == "approved"

    reader.reload()
    expect(reader.locator("main")).to_contain_text(proposed)
