"""Entering a round as an editor does, with its source, quotes, claims and agenda, counting the
clicks and fields it takes (``effort``): the London talks of June 2025 from one article.

The paste path: the article's text pasted into the source's form and each passage pasted again
into a citation row. It is the way every record could be entered before import and
select-to-cite; it must keep working, and it is the baseline the other path is measured against.
"""

import os
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import Group, User

from negotiations.models import AgendaItem, Citation, Claim, Quote, Round, Source
from negotiations.roles import EDITORS, REVIEWERS
from tests.browser import london
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.effort import Effort
from tests.browser.marks import marked_passage
from tests.browser.test_select_to_cite import select_with_the_mouse

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
SOURCE_SLUG = "london-framework-test"


@pytest.fixture
def reviewer(seeded):
    user = User.objects.create_user("rhea_reviewer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=REVIEWERS))
    return user


@pytest.fixture
def open_page(browser, live_server, page):
    """Another person's browser (cookies of their own)."""
    contexts = []

    def open_():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


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


def assert_london_entered(source, *, quote_texts=None):
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
    for entry, text in zip(
        london.QUOTES, quote_texts or [q["text"] for q in london.QUOTES], strict=True
    ):
        quote = Quote.objects.get(text=text)
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


# The import and select-to-cite path ----------------------------------------------------------


class ArticleHandler(BaseHTTPRequestHandler):
    """Serves the London article as its site does, with the page's metadata giving the day it
    was last updated (the 12th) as its publication date: the editor corrects it."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        content = london.article_html(published="2025-06-12").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)


@pytest.fixture
def article_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ArticleHandler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/world/2025/06/london-framework"
    server.shutdown()
    server.server_close()


def import_source(effort, url):
    """Import the article, correct its date in the review, save the draft."""
    page = effort.page
    effort.go("/admin/negotiations/source/")
    effort.click(page.get_by_role("link", name="Import from a web page"))
    effort.fill(page.get_by_label("Address of the page (URL)"), url)
    with page.expect_navigation():
        effort.click(page.get_by_role("button", name="Import"))
    expect(page.locator("#id_title")).to_have_value(london.TITLE)
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^LONDON — Negotiators"))
    screenshot(page, "import-review")
    effort.fill(page.locator("#id_published_on"), london.PUBLISHED)
    assert effort.submit(save_button(page), step="source"), page.content()[:3000]
    source = Source.objects.get(title=london.TITLE)
    assert source.published_on.isoformat() == london.PUBLISHED
    assert source.published_precision == "day"
    return source


def select_passage(effort, passage):
    """Select ``passage`` in the cite page's stored text with the mouse (one drag: one click)."""
    page = effort.page
    region = page.get_by_role("textbox", name="Stored text")
    effort.clicks += 1
    select_with_the_mouse(page, region, passage)
    expect(page.get_by_role("status")).to_contain_text("Selected")


def open_cite_page(effort, source):
    page = effort.page
    effort.go(f"/admin/negotiations/source/{source.pk}/change/")
    effort.click(page.get_by_role("link", name="Cite from the text"))
    expect(page.get_by_role("textbox", name="Stored text")).to_be_visible()


def words_inside(passage):
    return passage.strip("“”,. ")


def back_on_the_cite_page(effort):
    """A form opened from the cite page goes back there once saved, for the next passage."""
    expect(effort.page.get_by_role("textbox", name="Stored text")).to_be_visible()
    expect(effort.page.locator("ul.messagelist li.success")).to_contain_text("successfully")


def cite_quotes_by_selecting(effort, source):
    page = effort.page
    for quote in london.QUOTES:
        select_passage(effort, words_inside(quote["passage"]))
        screenshot(page, "select-to-cite")
        with page.expect_navigation():
            effort.click(page.get_by_role("button", name="New quote"))
        # The speaker was guessed from the attribution in the text: the editor checks it.
        expect(page.locator(".field-speaker .select2-selection")).to_contain_text(quote["speaker"])
        expect(page.locator("#id_text")).to_have_value(words_inside(quote["passage"]))
        effort.fill(page.locator("#id_said_on"), "2025-06-10")
        # The round, from the agenda items citing the article: checked, not chosen.
        expect(page.locator(".field-round .select2-selection")).to_contain_text(
            london.ROUND["title"]
        )
        assert effort.submit(save_button(page), step="quote"), page.content()[:3000]
        back_on_the_cite_page(effort)


def cite_claims_by_selecting(effort, source):
    page = effort.page
    for claim in london.CLAIMS:
        select_passage(effort, claim["passage"])
        with page.expect_navigation():
            effort.click(page.get_by_role("button", name="New claim"))
        effort.fill(page.locator("#id_text"), claim["text"])
        expect(page.locator(".field-round .select2-selection")).to_contain_text(
            london.ROUND["title"]
        )
        effort.choose(page.locator(".field-sticking_points"), claim["issue"])
        assert effort.submit(save_button(page), step="claim"), page.content()[:3000]
        back_on_the_cite_page(effort)


def cite_agenda_by_selecting(effort, source):
    page = effort.page
    open_cite_page(effort, source)
    for item in london.AGENDA:
        select_passage(effort, item["passage"])
        effort.choose(
            page.locator(".existing-field", has=page.locator("#id_agenda_item")),
            item["issue"],
            "at London talks",
        )
        with page.expect_navigation():
            effort.click(page.get_by_role("button", name="Add to an existing record"))
        assert effort.submit(save_button(page), step="agenda citation"), page.content()[:3000]
        back_on_the_cite_page(effort)


def screenshot(page, name):
    """For the note: JOURNEY_SCREENSHOTS names a folder to keep the journey's key steps in."""
    folder = os.environ.get("JOURNEY_SCREENSHOTS")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def publish_all(desk, changelist, records):
    """A reviewer selects the records on a list and publishes them with the bulk action."""
    desk.goto(changelist)
    for record in records:
        desk.locator(f'input[name="_selected_action"][value="{record.pk}"]').check()
    desk.locator('select[name="action"]').select_option("publish_selected")
    desk.locator('button[name="index"]').click()
    expect(desk.locator("ul.messagelist li.success")).to_have_text(f"Published {len(records)}.")
    expect(desk.locator("ul.messagelist li.error")).to_have_count(0)


def test_entering_the_london_round_by_importing_and_selecting(
    page, editor, reviewer, article_url, open_page
):
    effort = Effort(page, "import and select path")
    log_in(effort, editor)
    source = import_source(effort, article_url)
    enter_round(effort)
    cite_agenda_by_selecting(effort, source)
    cite_quotes_by_selecting(effort, source)
    cite_claims_by_selecting(effort, source)
    quotes = [Quote.objects.get(text=words_inside(q["passage"])) for q in london.QUOTES]
    claims = [Claim.objects.get(text=c["text"]) for c in london.CLAIMS]
    assert_london_entered(source, quote_texts=[q.text for q in quotes])
    figures = effort.report()
    # The path the import and selection open is the shorter one, by a margin (63 clicks, 67
    # fields, 10 forms with 2 retries on the paste path before them).
    assert (figures["clicks"], figures["fields"], figures["retries"]) <= (50, 32, 0), figures
    assert figures["forms"] <= 8, figures

    # Nothing of it is public until a reviewer publishes it.
    reader = open_page()
    round_ = Round.objects.get(slug=london.ROUND["slug"])
    for path in (
        round_.get_absolute_url(),
        quotes[0].get_absolute_url(),
        source.get_absolute_url(),
    ):
        assert reader.goto(path).status == 404, path

    desk = open_page()
    log_in(Effort(desk, "reviewer"), reviewer)
    publish_all(desk, "/admin/negotiations/source/", [source])
    publish_all(desk, "/admin/negotiations/round/", [round_])
    publish_all(desk, "/admin/negotiations/quote/", quotes)
    publish_all(desk, "/admin/negotiations/claim/", claims)

    # The reader follows the claim to the marked passage of the imported article.
    citation = claims[0].citations.get()
    reader.goto(claims[0].get_absolute_url())
    link = reader.locator(f'main a[href$="#cite-{citation.pk}"]')
    expect(link).to_have_count(1)
    link.click()
    assert marked_passage(reader, citation.pk) == london.CLAIMS[0]["passage"]
