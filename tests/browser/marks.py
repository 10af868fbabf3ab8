"""A reader arriving at a cited passage: the check every journey that follows a citation makes."""

from playwright.sync_api import expect


def marked_passage(page, citation_pk):
    """The words of citation ``citation_pk``'s passage as the page marks it, whitespace runs as
    one space, once it is marked once, visible and scrolled to."""
    passage = page.locator(f"mark#cite-{citation_pk}")
    expect(passage).to_have_count(1)
    expect(passage).to_be_visible()
    expect(passage).to_be_in_viewport()
    return " ".join(passage.inner_text().split())
