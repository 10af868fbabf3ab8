"""A researcher's journeys through the public pages, in a real Chromium against a live server.

Selectors follow the page markup contract: citation links point at /sources/<slug>/#cite-<id>,
the source page marks each cited passage with <mark id="cite-<id>">, and the list pages have a
filter sidebar of facet options (a.facet-option[data-filter][data-value] with a
span.facet-count), removable chips (a.chip[data-filter]) and a p.result-count[data-count].
Expected numbers come from the database, never from the page under test.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from negotiations.models import Citation, Quote
from tests.browser.marks import marked_passage

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

RECORD = {
    "issue": re.compile(r"^/issues/(?P<key>[\w-]+)/$"),
    "round": re.compile(r"^/rounds/(?P<key>[\w-]+)/$"),
    "quote": re.compile(r"^/quotes/(?P<key>\d+)/$"),
}
CITATION_LINK = re.compile(r"^/sources/(?P<slug>[\w-]+)/#cite-(?P<id>\d+)$")


def wait_for_path(page, path_and_fragment):
    """Wait until the page shows that path (and #fragment), whatever the live server's origin."""

    def arrived(url):
        parts = urlsplit(url)
        return parts.path + (f"#{parts.fragment}" if parts.fragment else "") == path_and_fragment

    page.wait_for_url(arrived)


def record_links(page, kind, href_prefix):
    """The links inside <main> to one record of a kind (not to its list page), with their keys."""
    links = []
    for link in page.locator(f'main a[href^="{href_prefix}"]').all():
        match = RECORD[kind].match(link.get_attribute("href") or "")
        if match:
            links.append((match["key"], link))
    return links


def click_record_link(page, kind, href_prefix, wanted):
    """Click the first link to a record of `kind` whose key is in `wanted`; return that key."""
    links = record_links(page, kind, href_prefix)
    assert links, f"{page.url} has no link to a {kind} (a[href^='{href_prefix}'] inside <main>)"
    for key, link in links:
        if key in wanted:
            link.click()
            wait_for_path(page, f"{href_prefix}{key}/")
            return key
    pytest.fail(
        f"{page.url} links to the {kind}s {sorted({key for key, _ in links})}, "
        f"none of which leads on to a cited quote ({sorted(wanted)})"
    )


def published_cited_quotes():
    return Quote.objects.published().filter(citations__isnull=False).distinct()


def test_stylesheet_loads(page):
    page.goto("/")
    sheets = page.locator('link[rel="stylesheet"]')
    assert sheets.count() >= 1, "the page links no stylesheet"
    for href in [sheet.get_attribute("href") for sheet in sheets.all()]:
        response = page.request.get(href)
        assert response.status == 200, f"{href} answered {response.status}"
        assert response.headers["content-type"].startswith("text/css"), href
    rules = page.evaluate(
        "() => Array.from(document.styleSheets).reduce((n, s) => n + s.cssRules.length, 0)"
    )
    assert rules > 0, "the stylesheet was fetched but the browser applied no rule from it"


def test_from_an_issue_to_the_marked_passage(page):
    """home → an issue → a round on it → a quote of that round → a citation → the passage."""
    quotes = published_cited_quotes()
    rounds = {slug for slug in quotes.values_list("round__slug", flat=True) if slug}
    issues = set(
        quotes.filter(round__agenda_items__sticking_point__isnull=False).values_list(
            "round__agenda_items__sticking_point__slug", flat=True
        )
    )
    assert rounds and issues, "the seed has no issue → round → cited quote path to follow"
    # Prefer the issues a researcher would start from, when they lead anywhere.
    preferred = [slug for slug in ("rare-earths", "tariffs") if slug in issues]

    page.goto("/")
    issue = click_record_link(page, "issue", "/issues/", preferred or issues)
    issue_rounds = rounds & set(
        quotes.filter(round__agenda_items__sticking_point__slug=issue).values_list(
            "round__slug", flat=True
        )
    )
    round_slug = click_record_link(page, "round", "/rounds/", issue_rounds or rounds)
    round_quotes = {
        str(pk) for pk in quotes.filter(round__slug=round_slug).values_list("pk", flat=True)
    }
    quote_pk = click_record_link(page, "quote", "/quotes/", round_quotes)

    citation_links = page.locator('main a[href*="#cite-"]')
    expect(citation_links.first).to_be_visible()
    expected = {
        citation.get_absolute_url()
        for citation in Citation.objects.with_source().filter(quote_id=quote_pk)
    }
    shown = {link.get_attribute("href") for link in citation_links.all()}
    assert shown == expected, f"quote {quote_pk} should link to its citations {expected}"

    link = citation_links.first
    href = link.get_attribute("href")
    target = CITATION_LINK.match(href)
    assert target, f"a citation link should be /sources/<slug>/#cite-<id>, not {href!r}"
    link.click()
    wait_for_path(page, href)

    citation = Citation.objects.select_related("source").get(pk=target["id"])
    assert citation.source.slug == target["slug"]
    # The marked passage is the cited one (whitespace aside: the stored text is laid out as
    # paragraphs, and a passage across two of them may be marked in two parts, the first with the id).
    marked = marked_passage(page, citation.pk)
    assert marked and marked in " ".join(citation.exact.split()), (marked, citation.exact)


# The quote list's filters, as the ORM asks them (the contract's GET parameters → lookups).
QUOTE_FILTERS = {
    "speaker": "speaker__slug",
    "issue": "sticking_points__slug",
    "round": "round__slug",
    "source": "citations__source__slug",
}


def quote_count(**filters):
    queryset = Quote.objects.published()
    for param, value in filters.items():
        queryset = queryset.filter(**{QUOTE_FILTERS[param]: value})
    return queryset.distinct().count()


def result_count(page):
    counter = page.locator("p.result-count")
    expect(counter).to_have_count(1)
    return int(counter.get_attribute("data-count"))


def facet_option(page, param, value):
    return page.locator(
        f'aside.filters[aria-label="Filters"] a.facet-option[data-filter="{param}"][data-value="{value}"]'
    )


def facet_counts(page, param):
    """{value: N} for every option shown for one filter."""
    counts = {}
    for option in page.locator(
        f'aside.filters[aria-label="Filters"] a.facet-option[data-filter="{param}"]'
    ).all():
        counts[option.get_attribute("data-value")] = int(
            option.locator("span.facet-count").inner_text().strip()
        )
    return counts


def assert_facets_agree_with_database(page, active):
    """Each option's count is what that option gives under the *other* active filters."""
    for param in ("speaker", "issue"):
        shown = facet_counts(page, param)
        assert shown, f"no facet options for {param!r} on {page.url}"
        others = {name: value for name, value in active.items() if name != param}
        expected = {value: quote_count(**others, **{param: value}) for value in shown}
        assert shown == expected, f"{param} facet counts on {page.url}"


def active_filters(page):
    query = parse_qs(urlsplit(page.url).query)
    return {name: values[-1] for name, values in query.items() if name in QUOTE_FILTERS}


def chips(page):
    return sorted(
        chip.get_attribute("data-filter") for chip in page.locator("a.chip[data-filter]").all()
    )


def test_filtering_quotes_by_speaker_then_issue(page):
    speaker = "scott-bessent"
    # An issue Scott Bessent spoke on, but not alone: each click then changes the count.
    issues = [
        slug
        for slug in Quote.objects.published()
        .filter(speaker__slug=speaker)
        .values_list("sticking_points__slug", flat=True)
        .distinct()
        if slug
        and quote_count(speaker=speaker) > quote_count(speaker=speaker, issue=slug)
        and quote_count(issue=slug) > quote_count(speaker=speaker, issue=slug)
    ]
    assert issues, "the seed has no issue to narrow Scott Bessent's quotes by"
    issue = "rare-earths" if "rare-earths" in issues else sorted(issues)[0]

    page.goto("/quotes/")
    expect(page.locator('aside.filters[aria-label="Filters"]')).to_be_visible()
    everything = quote_count()
    assert result_count(page) == everything
    assert chips(page) == []
    assert_facets_agree_with_database(page, {})
    issue_alone = facet_counts(page, "issue").get(issue)
    assert issue_alone == quote_count(issue=issue), f"the {issue!r} issue option's count"
    speaker_option = facet_option(page, "speaker", speaker)
    expect(speaker_option.locator("span.facet-count")).to_have_text(
        str(quote_count(speaker=speaker))
    )
    issue_counts_before = facet_counts(page, "issue")

    speaker_option.click()
    expect(page).to_have_url(re.compile(rf"[?&]speaker={speaker}(&|$)"))
    assert active_filters(page) == {"speaker": speaker}
    assert result_count(page) == quote_count(speaker=speaker) != everything
    assert chips(page) == ["speaker"]
    assert_facets_agree_with_database(page, {"speaker": speaker})
    assert facet_counts(page, "issue") != issue_counts_before, "the issue counts did not change"
    narrowed = facet_counts(page, "issue").get(issue)
    assert narrowed == quote_count(speaker=speaker, issue=issue)

    facet_option(page, "issue", issue).click()
    expect(page).to_have_url(re.compile(rf"[?&]issue={issue}(&|$)"))
    assert active_filters(page) == {"speaker": speaker, "issue": issue}
    assert result_count(page) == narrowed != quote_count(speaker=speaker)
    assert chips(page) == ["issue", "speaker"]
    assert_facets_agree_with_database(page, {"speaker": speaker, "issue": issue})

    page.locator('a.chip[data-filter="speaker"]').click()
    expect(page).not_to_have_url(re.compile(r"[?&]speaker="))
    assert active_filters(page) == {"issue": issue}
    assert chips(page) == ["issue"]
    assert result_count(page) == issue_alone
    assert_facets_agree_with_database(page, {"issue": issue})


def test_on_a_phone_the_filters_fold_away_above_the_results(browser, live_server, seeded):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 375, "height": 740}, is_mobile=True
    )
    phone = context.new_page()
    try:
        phone.goto("/quotes/?speaker=scott-bessent")
        fold = phone.locator("details.filters-fold")
        expect(fold).not_to_have_attribute("open", "")
        expect(phone.locator("section.facet").first).to_be_hidden()
        first_result = phone.locator("li.quote-item").first
        expect(first_result).to_be_visible()
        # The first result is near the top (it was about 1,700 px down behind the filters).
        assert first_result.bounding_box()["y"] < 600
        expect(fold.locator("summary")).to_contain_text("1 in use")
        fold.locator("summary").click()
        expect(phone.locator("section.facet").first).to_be_visible()
        phone.locator('a.facet-option[data-filter="issue"]').first.click()
        expect(phone).to_have_url(re.compile(r"[?&]issue="))
    finally:
        context.close()


def test_on_a_wide_screen_the_facets_stand_beside_the_results(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/quotes/")
    facet_ = page.locator("section.facet").first
    expect(facet_).to_be_visible()
    results = page.locator("section.results")
    assert facet_.bounding_box()["x"] < results.bounding_box()["x"]
