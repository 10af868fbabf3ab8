"""Close wordings while typing a quote, in a real Chromium against a live server (CSP enforced):
the editor types a variant of a recorded quote, sees the panel with the word diff, puts both
in one statement, saves; and with JavaScript off the form saves as before."""

import re

import pytest
from django.contrib.auth.models import Group, User

from negotiations.models import Official, Quote, Statement
from negotiations.roles import EDITORS
from tests.browser.test_accessibility import BLOCKING, describe
from tests.browser.test_editing import PASSWORD, choose, log_in, save

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

RECORDED = "We are not going to lower tariffs until we see verifiable progress on purchases"
TYPED = "We won't lower tariffs until we see verifiable progress on purchases."


@pytest.fixture
def editor(seeded):
    user = User.objects.create_user("elena", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def type_variant(page):
    page.goto("/admin/negotiations/quote/add/")
    choose(page, page.locator(".field-speaker"), "Scott Bessent")
    page.locator("#id_text").press_sequentially(TYPED, delay=5)
    panel = page.locator("#close-wordings")
    expect(panel).to_have_attribute("role", "status")
    expect(panel).to_contain_text("Close to a wording already recorded for Scott Bessent:")
    return panel


def test_a_variant_typed_is_offered_and_grouped_in_a_new_statement(page, editor):
    bessent = Official.objects.get(name="Scott Bessent")
    recorded = Quote.objects.create(speaker=bessent, text=RECORDED, kind="direct")
    log_in(page, editor)
    panel = type_variant(page)
    expect(panel.locator("del")).to_contain_text("are not going to")
    expect(panel.locator("ins").first).to_contain_text("won't")
    expect(panel).to_contain_text(f"quote #{recorded.pk}, draft; no statement")
    expect(panel).to_contain_text("Negation differs")
    button = panel.get_by_role("button", name="Put in the same statement")
    button.focus()
    page.keyboard.press("Enter")  # the keyboard does it too
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#id_group_with")).to_have_value(str(recorded.pk))
    expect(panel).to_contain_text(f"saved in a new statement with quote #{recorded.pk}")
    save(page)
    expect(page.locator("ul.messagelist li.success").first).to_contain_text(
        f"Put in a new draft statement with quote #{recorded.pk}"
    )
    new = Quote.objects.get(text=TYPED)
    recorded.refresh_from_db()
    assert new.statement is not None and new.statement == recorded.statement
    assert new.statement.summary == RECORDED


def test_a_variant_of_a_quote_with_a_statement_fills_the_statement_field(page, editor):
    bessent = Official.objects.get(name="Scott Bessent")
    statement = Statement.objects.create(
        slug="bessent-tariffs-purchases",
        speaker=bessent,
        summary="Bessent ties tariffs to purchases",
    )
    Quote.objects.create(speaker=bessent, text=RECORDED, kind="direct", statement=statement)
    log_in(page, editor)
    panel = type_variant(page)
    expect(panel).to_contain_text("statement “Bessent ties tariffs to purchases”")
    panel.get_by_role("button", name="Put in the same statement").click()
    expect(page.locator(".field-statement .select2-selection")).to_contain_text(
        "Bessent ties tariffs to purchases"
    )
    expect(page.locator("#id_group_with")).to_have_value("")
    save(page)
    assert Quote.objects.get(text=TYPED).statement == statement


def test_without_javascript_the_form_saves_as_before(browser, live_server, editor):
    # (The admin's autocomplete widgets need JavaScript to offer a choice: the form of a quote
    # whose speaker is chosen already is what works without it.)
    bessent = Official.objects.get(name="Scott Bessent")
    Quote.objects.create(speaker=bessent, text=RECORDED, kind="direct")
    quote = Quote.objects.create(speaker=bessent, text="We will lower tariffs", kind="direct")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        log_in(page, editor)
        page.goto(f"/admin/negotiations/quote/{quote.pk}/change/")
        expect(page.locator("#id_text")).to_have_attribute("data-close-wordings", re.compile("."))
        expect(page.locator("#close-wordings")).to_have_count(0)  # no panel: no script ran
        page.locator("#id_text").fill(TYPED)
        save(page)
        expect(page.locator("ul.messagelist li.success")).to_contain_text(
            "was changed successfully"
        )
        expect(page.locator("#close-wordings")).to_have_count(0)
    finally:
        context.close()
    quote.refresh_from_db()
    assert (quote.text, quote.statement) == (TYPED, None)


def test_the_panel_passes_an_accessibility_audit(audit_page, axe_source, editor):
    bessent = Official.objects.get(name="Scott Bessent")
    Quote.objects.create(speaker=bessent, text=RECORDED, kind="direct")
    log_in(audit_page, editor)
    type_variant(audit_page)
    audit_page.add_script_tag(content=axe_source)
    violations = audit_page.evaluate(
        "async () => (await axe.run('#close-wordings', {resultTypes: ['violations']})).violations"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
