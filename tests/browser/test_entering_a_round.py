"""Entering a round as an editor does, with its source, quotes, claims and agenda, counting the
clicks and fields it takes (``effort``): the London talks of June 2025 from one article.

The paste path: the article's text pasted into the source's form and each passage pasted again
into a citation row. It is the way every record could be entered before import and
select-to-cite; it must keep working, and it is the baseline the other path is measured against.
"""

import pytest
from django.contrib.auth.models import Group, User

from negotiations.models import AgendaItem, Citation, Claim, Quote, Round, Source
from negotiations.roles import EDITORS
from tests.browser import london
from tests.browser.effort import Effort

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SOURCE_SLUG = "london-framework-test"


@pytest.fixture
def editor(seeded):
    user = User.objects.create_user("lena_editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    return user


def log_in(effort, user):
    page = effort.page
    page.goto("/admin/login/?next=/admin/")
    effort.fill(page.locator("#id_username"), user.username)
    effort.fill(page.locator("#id_password"), PASSWORD)
    with page.expect_navigation():
        effort.click(page.locator('input[type="submit"][value="Log in"]'))
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def save_button(page):
    return page.locator('input[type="submit"][name="_save"]')


def save_with_dates(effort, *, step, precisions):
    """Save a form whose dates were typed; where the form refuses them for want of a
    precision (as it did), choose the precision and save again: a retry."""
    if effort.submit(save_button(effort.page), step=step):
        return
    for name, value in precisions.items():
        effort.select(effort.page.locator(f"#id_{name}"), value)
    assert effort.submit(save_button(effort.page), step=step), effort.page.content()[:3000]


def fill_title(effort, title, slug):
    page = effort.page
    effort.fill(page.locator("#id_title"), title)
    page.locator("#id_title").press("Tab")  # the admin's script proposes a slug
    expect(page.locator("#id_slug")).not_to_have_value("")
    effort.fill(page.locator("#id_slug"), slug)


def citation_row(effort, group, prefix):
    page = effort.page
    initial = int(page.locator(f"#id_{prefix}-INITIAL_FORMS").input_value())
    total = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    if total == initial:
        effort.click(page.locator(f"#{group} .add-row a"))
    row = page.locator(f"#{prefix}-{initial}")
    expect(row).to_be_visible()
    return row


def paste_citation(effort, row, passage):
    effort.choose(row.locator(".field-source"), "London talks", london.TITLE)
    effort.select(row.locator('select[name$="-stance"]'), "supports")
    effort.fill(row.locator('textarea[name$="-exact"]'), passage)


def enter_source_by_pasting(effort):
    page = effort.page
    effort.go("/admin/negotiations/source/add/")
    fill_title(effort, london.TITLE, SOURCE_SLUG)
    effort.select(page.locator("#id_kind"), "article")
    effort.fill(page.locator("#id_url"), "https://wire.example/london-framework")
    effort.fill(page.locator("#id_author"), london.AUTHOR)
    effort.fill(page.locator("#id_language"), "en")
    effort.fill(page.locator("#id_published_on"), london.PUBLISHED)
    effort.fill(page.locator("#id_body"), london.TEXT)
    save_with_dates(effort, step="source", precisions={"published_precision": "day"})


def enter_round(effort):
    page = effort.page
    effort.go("/admin/negotiations/round/add/")
    fill_title(effort, london.ROUND["title"], london.ROUND["slug"])
    effort.select(page.locator("#id_kind"), "talks")
    effort.fill(page.locator("#id_city"), london.ROUND["city"])
    effort.fill(page.locator("#id_country"), london.ROUND["country"])
    effort.fill(page.locator("#id_start_on"), london.ROUND["start_on"])
    effort.fill(page.locator("#id_end_on"), london.ROUND["end_on"])
    effort.fill(page.locator("#id_summary"), london.ROUND["summary"])
    for index, (official, side) in enumerate(london.PARTICIPANTS):
        effort.click(page.locator("#participants-group .add-row a"))
        row = page.locator(f"#participants-{index}")
        effort.choose(row.locator(".field-official"), official)
        effort.select(row.locator('select[name$="-side"]'), side)
        effort.select(row.locator('select[name$="-role"]'), "lead_negotiator")
    for index, item in enumerate(london.AGENDA):
        effort.click(page.locator("#agenda_items-group .add-row a"))
        row = page.locator(f"#agenda_items-{index}")
        effort.choose(row.locator(".field-sticking_point"), item["issue"])
        effort.select(row.locator('select[name$="-status"]'), item["status"])
    save_with_dates(
        effort,
        step="round",
        precisions={"start_precision": "day", "end_precision": "day"},
    )


def cite_agenda_by_pasting(effort):
    """Each agenda item's citation on the agenda item's own page: open the round again, follow
    the row's small "Change" link, add a citation row, paste the passage, save."""
    page = effort.page
    round_ = Round.objects.get(slug=london.ROUND["slug"])
    for item in london.AGENDA:
        agenda_item = AgendaItem.objects.get(
            round=round_, sticking_point__name__startswith=item["issue"]
        )
        effort.go(f"/admin/negotiations/round/{round_.pk}/change/")
        effort.click(page.locator(f'#agenda_items-group a[href*="/agendaitem/{agenda_item.pk}/"]'))
        row = citation_row(effort, "citations-group", "citations")
        paste_citation(effort, row, item["passage"])
        assert effort.submit(save_button(page), step="agenda citation")


def enter_quotes_by_pasting(effort):
    page = effort.page
    for quote in london.QUOTES:
        effort.go("/admin/negotiations/quote/add/")
        effort.fill(page.locator("#id_text"), quote["text"])
        effort.choose(page.locator(".field-speaker"), quote["speaker"])
        effort.select(page.locator("#id_kind"), "direct")
        effort.fill(page.locator("#id_said_on"), "2025-06-10")
        effort.select(page.locator("#id_said_precision"), "day")
        effort.choose(page.locator(".field-round"), "London talks", london.ROUND["title"])
        row = citation_row(effort, "citations-group", "citations")
        paste_citation(effort, row, quote["passage"])
        assert effort.submit(save_button(page), step="quote"), page.content()[:3000]


def enter_claims_by_pasting(effort):
    page = effort.page
    for claim in london.CLAIMS:
        effort.go("/admin/negotiations/claim/add/")
        effort.fill(page.locator("#id_text"), claim["text"])
        effort.choose(page.locator(".field-round"), "London talks", london.ROUND["title"])
        effort.choose(page.locator(".field-sticking_points"), claim["issue"])
        row = citation_row(effort, "citations-group", "citations")
        paste_citation(effort, row, claim["passage"])
        assert effort.submit(save_button(page), step="claim"), page.content()[:3000]


def assert_london_entered(source):
    """The round, its agenda, quotes and claims, all drafts, each citation anchored on the
    words of its passage in the stored text."""
    round_ = Round.objects.get(slug=london.ROUND["slug"])
    assert (source.state, round_.state) == ("draft", "draft")
    assert round_.agenda_items.count() == len(london.AGENDA)
    citations = Citation.objects.filter(source=source)
    for citation in citations:
        assert citation.anchor_status == "anchored"
        assert source.body[citation.start : citation.end] == citation.exact
    passages = {c.exact for c in citations}
    for entry in london.QUOTES + london.CLAIMS + london.AGENDA:
        assert any(entry["passage"].strip("“”,") in passage for passage in passages), entry
    for entry in london.QUOTES:
        quote = Quote.objects.get(text=entry["text"])
        assert (quote.speaker.name, quote.round_id, quote.state) == (
            entry["speaker"],
            round_.pk,
            "draft",
        )
    for entry in london.CLAIMS:
        claim = Claim.objects.get(text=entry["text"])
        assert (claim.round_id, claim.state) == (round_.pk, "draft")


def test_entering_the_london_round_by_pasting(page, editor):
    effort = Effort(page, "paste path")
    log_in(effort, editor)
    enter_source_by_pasting(effort)
    enter_round(effort)
    cite_agenda_by_pasting(effort)
    enter_quotes_by_pasting(effort)
    enter_claims_by_pasting(effort)
    assert_london_entered(Source.objects.get(slug=SOURCE_SLUG))
    effort.report()
