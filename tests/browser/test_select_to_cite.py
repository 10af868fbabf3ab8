"""Cite by selecting, in a real Chromium: an editor opens a source's “Cite from the text” page,
selects one passage with the mouse and another with Shift+arrows, creates a quote (its speaker
guessed from the text) and a claim from them, and the citations are anchored at the selected
offsets. The text begins with characters outside the BMP, which JavaScript counts twice and the
stored offsets once.
"""

from urllib.parse import unquote

import pytest
from django.contrib.auth.models import Group, User

from negotiations.models import Citation, Official, Source
from negotiations.roles import EDITORS
from tests.browser.test_accessibility import BLOCKING, describe
from tests.browser.test_editing import PASSWORD, expect_success, log_in, save

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

CLAIM_PASSAGE = "Tariffs fell from 145% to 30%"
QUOTE_PASSAGE = "We are not going to lower tariffs until we see verifiable progress"
BODY = (
    f"📈𝐔𝐒 {CLAIM_PASSAGE} in May, a report said.\n\n"
    "Speaking to reporters after the second day of talks in Madrid, where Li Chenggang led the "
    f"Chinese side, Bessent said: “{QUOTE_PASSAGE} on purchases.”\n\n"
    "No joint statement was issued."
)


@pytest.fixture
def editor(seeded):
    user = User.objects.create_user("sel_editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


@pytest.fixture
def source(seeded):
    return Source.objects.create(
        slug="madrid-selection-test", title="Talks in Madrid (selection test)", body=BODY
    )


def select_with_the_mouse(page, region, passage):
    """Press the mouse before the passage's first character and release it after its last,
    the passage scrolled into view first (the text is longer than the window)."""
    box = page.evaluate(
        """([region, passage]) => {
            const walker = document.createTreeWalker(region, NodeFilter.SHOW_TEXT);
            let node = walker.nextNode();
            while (!node.data.includes(passage)) node = walker.nextNode();
            const at = node.data.indexOf(passage);
            // The text scrolls in its own box: bring the passage to the box's top.
            region.scrollIntoView({block: "start"});
            const start = document.createRange();
            start.setStart(node, at);
            start.setEnd(node, at + 1);
            const top = start.getClientRects()[0].top - region.getBoundingClientRect().top;
            region.scrollTop += top - 16;
            const rect = (from, to) => {
                const range = document.createRange();
                range.setStart(node, from);
                range.setEnd(node, to);
                return range.getClientRects()[0];
            };
            const first = rect(at, at + 1);
            const last = rect(at + passage.length - 1, at + passage.length);
            return {x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        [region.element_handle(), passage],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()


def test_an_editor_creates_a_quote_and_a_claim_by_selecting_passages(page, editor, source):
    bessent = Official.objects.get(slug="scott-bessent")
    log_in(page, editor)

    # From the source's form to its cite page.
    page.goto(f"/admin/negotiations/source/{source.pk}/change/")
    page.get_by_role("link", name="Cite from the text").click()
    region = page.get_by_role("textbox", name="Stored text")
    expect(region).to_be_visible()
    new_quote = page.get_by_role("button", name="New quote")
    new_claim = page.get_by_role("button", name="New claim")
    expect(new_quote).to_be_disabled()
    expect(page.get_by_role("status")).to_have_text("No passage selected yet.")

    # The quote: selected with the mouse.
    select_with_the_mouse(page, region, QUOTE_PASSAGE)
    expect(new_quote).to_be_enabled()
    quote_start = BODY.index(QUOTE_PASSAGE)
    quote_end = quote_start + len(QUOTE_PASSAGE)
    expect(page.get_by_role("status")).to_contain_text(
        f"Selected 12 words (characters {quote_start}–{quote_end})"
    )
    new_quote.click()
    wanted = f"/admin/negotiations/quote/add/?cite={source.pk}:{quote_start}:{quote_end}"
    page.wait_for_url(lambda url: unquote(url).endswith(wanted))  # a form sends “:” as %3A
    expect(page.locator("ul.messagelist")).to_contain_text(
        "Speaker guessed from “…Bessent said”: check it."
    )
    expect(page.locator(".field-speaker .select2-selection")).to_contain_text("Scott Bessent")
    expect(page.locator("#id_text")).to_have_value(QUOTE_PASSAGE)
    expect(page.locator("#id_citations-0-exact")).to_have_value(QUOTE_PASSAGE)
    page.locator("#id_kind").select_option("partial")
    save(page)
    expect_success(page, "was added successfully")

    # The claim: selected with the keyboard, from the start of the text (past “📈𝐔𝐒 ”).
    page.goto(f"/admin/negotiations/source/{source.pk}/cite/")
    region.focus()
    claim_start = BODY.index(CLAIM_PASSAGE)
    claim_end = claim_start + len(CLAIM_PASSAGE)
    assert (claim_start, len(BODY[:claim_start].encode("utf-16-le")) // 2) == (4, 7)
    page.keyboard.press("Control+Home")
    for _ in range(claim_start):
        page.keyboard.press("ArrowRight")
    for _ in range(len(CLAIM_PASSAGE)):
        page.keyboard.press("Shift+ArrowRight")
    expect(page.get_by_role("status")).to_contain_text(
        f"Selected 6 words (characters {claim_start}–{claim_end}): “{CLAIM_PASSAGE}”"
    )
    page.keyboard.press("Tab")
    expect(new_quote).to_be_focused()
    page.keyboard.press("Tab")
    expect(new_claim).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#id_text")).to_have_value(CLAIM_PASSAGE)
    save(page)
    expect_success(page, "was added successfully")

    quoted = Citation.objects.get(quote__isnull=False, source=source)
    claimed = Citation.objects.get(claim__isnull=False, source=source)
    assert (quoted.start, quoted.end, quoted.exact) == (quote_start, quote_end, QUOTE_PASSAGE)
    assert quoted.quote.speaker == bessent
    assert (claimed.start, claimed.end, claimed.exact) == (claim_start, claim_end, CLAIM_PASSAGE)

    # Both are marked on the page now, and the text cannot be edited.
    page.goto(f"/admin/negotiations/source/{source.pk}/cite/")
    expect(page.locator(f"#cite-{quoted.pk}")).to_have_text(QUOTE_PASSAGE)
    expect(page.locator(f"#cite-{claimed.pk}")).to_have_text(CLAIM_PASSAGE)
    region.focus()
    page.keyboard.press("Control+End")
    page.keyboard.type("typed")
    page.keyboard.press("Backspace")
    assert region.text_content() == BODY


def test_the_cite_page_passes_an_accessibility_audit(audit_page, axe_source, editor):
    """The page's own part (the text, its marks, the buttons, the autocompletes), with a seed
    source's citations marked and a passage selected."""
    source = Source.objects.filter(citations__isnull=False).order_by("pk").first()
    log_in(audit_page, editor)
    audit_page.goto(f"/admin/negotiations/source/{source.pk}/cite/")
    region = audit_page.get_by_role("textbox", name="Stored text")
    expect(region.locator("mark.cite").first).to_be_visible()
    select_with_the_mouse(audit_page, region, region.locator("mark.cite").first.inner_text()[:20])
    expect(audit_page.get_by_role("button", name="New quote")).to_be_enabled()
    audit_page.add_script_tag(content=axe_source)
    violations = audit_page.evaluate(
        "async () => (await axe.run('#content-main', {resultTypes: ['violations']})).violations"
    )
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
