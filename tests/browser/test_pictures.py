"""The three pictures in a real Chromium: screenshots at a phone's and a wide screen's width
(saved under test-artifacts/pictures/, which git ignores), no serious or critical axe finding,
the table alternative holding the same links as the picture, no sideways scrolling of the page
itself, and a keyboard journey: Tab to a link in each picture and follow it to its record."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.test_accessibility import describe, run_axe

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "pictures"
WIDTHS = {"phone": 375, "wide": 1280}

# picture → (page, the picture's own box, its links, the table alternative's links)
PICTURES = {
    "timeline-home": ("/", ".picture-scroll", ".picture-svg .lane a", ".picture-table a"),
    "timeline-rounds": ("/rounds/", ".picture-scroll", ".picture-svg .lane a", ".picture-table a"),
    "tariff-chart": (
        "/charts/tariff-rates/",
        ".picture-scroll",
        ".picture-svg a.picture-link",
        ".picture-table a",
    ),
    "issues-by-round": ("/charts/issues-by-round/", ".matrix-scroll", ".matrix td > a", None),
}
BLOCKING = {"serious", "critical"}


def hrefs(page, selector):
    return page.eval_on_selector_all(selector, "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("picture", list(PICTURES))
def test_picture_renders_is_accessible_and_fits(audit_page, axe_source, picture, width):
    path, box, links, table_links = PICTURES[picture]
    audit_page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    response = audit_page.goto(path)
    assert response.status == 200
    figure = audit_page.locator(box).first
    figure.scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{picture}-{WIDTHS[width]}.png"
    audit_page.locator("figure.picture").first.screenshot(path=str(shot))
    assert shot.stat().st_size > 1000

    # The page never scrolls sideways: a wide picture scrolls inside its own box.
    overflow = audit_page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {WIDTHS[width]}px"
    # The picture is named and described.
    if picture != "issues-by-round":
        svg = audit_page.locator(".picture-svg").first
        assert svg.get_attribute("role") == "group"
        labelled = svg.get_attribute("aria-labelledby").split()
        assert audit_page.locator(f"#{labelled[0]}").text_content().strip()
        assert audit_page.locator(f"#{labelled[1]}").text_content().strip()

    drawn = hrefs(audit_page, links)
    assert drawn, f"no link in the picture on {path}"
    if table_links:
        # The table alternative holds the same records as the picture.
        assert set(hrefs(audit_page, table_links)) >= set(drawn)

    violations = run_axe(audit_page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe on {path} at {WIDTHS[width]}px:\n{describe(blocking)}"


@pytest.mark.parametrize("picture", list(PICTURES))
def test_tab_to_a_link_in_the_picture_and_follow_it(page, picture):
    path, _box, links, _table = PICTURES[picture]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(path)
    first = page.locator(links).first
    target = first.get_attribute("href")
    for _ in range(400):
        page.keyboard.press("Tab")
        if first.evaluate("a => a === document.activeElement"):
            break
    else:
        pytest.fail(f"Tab never reached the picture's first link on {path}")
    # Visibly focused: the focus ring is drawn.
    outline = first.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(target).path)
    response = page.request.get(target)
    assert response.status == 200
    if "#" in target:
        fragment = target.split("#", 1)[1]
        assert page.locator(f"[id='{fragment}']").count() == 1
