"""Editors and reviewers at work in the admin, in a real Chromium against a live server.

Each person is a browser context of their own (their own session cookie): an editor enters a
round with its evidence as drafts, a reviewer publishes it, and an anonymous reader follows it;
two editors save the same round and the stale save is refused.

Live-server tests are transactional: the database is flushed after each one; the flush's
post_migrate creates the roles' groups again (``apps.sync_roles``) and ``seeded`` reloads the seed.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User

from negotiations.models import Citation, Quote, Round, Source
from negotiations.roles import EDITORS, REVIEWERS
from negotiations.services import publishing
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.marks import marked_passage

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"

# An invented report (the quoted remark is made up for this test), with the typographic quote
# marks and dashes a real article has. The editor pastes the passage with straight quotes and
# doubled spaces, as a copy from another window often comes.
SOURCE = {
    "title": "US and China resume trade talks in Madrid",
    "slug": "madrid-talks-resume-test",
    "author": "Test Desk",
    "published_on": "2025-09-01",
    "published_as_printed": "September 2025",
    "body": (
        "MADRID — Negotiators from the United States and China met in Madrid this week for "
        "another round of trade talks, as the two sides tried to keep a fragile tariff truce "
        "in place.\n\n"
        "US Treasury Secretary Scott Bessent led the American delegation. China’s chief trade "
        "negotiator Li Chenggang headed the Chinese side, and officials from both countries "
        "described the discussions as “candid and in depth”.\n\n"
        "Tariffs dominated the agenda. Speaking to reporters after the second day of talks, "
        "Bessent said: “We are not going to lower tariffs until we see verifiable progress on "
        "purchases.” He added that any further extension of the truce would be decided by "
        "President Donald Trump.\n\n"
        "Chinese officials did not comment on tariffs directly but said they hoped for a "
        "“stable and predictable” trading relationship. No joint statement was issued at the "
        "end of the meeting."
    ),
}
PASTED_PASSAGE = (
    'Bessent  said: "We are not going to lower tariffs until we see verifiable progress on '
    'purchases."'
)
STORED_PASSAGE = (
    "Bessent said: “We are not going to lower tariffs until we see verifiable progress on "
    "purchases.”"
)
QUOTE_TEXT = "We are not going to lower tariffs until we see verifiable progress on purchases."
ROUND = {
    "title": "Madrid talks, September 2025",
    "slug": "madrid-talks-2025-09-test",
    "city": "Madrid",
    "country": "Spain",
    "start_on": "2025-09-01",
    "summary": "US and Chinese negotiators met in Madrid to keep the tariff truce in place.",
}
SEED_ROUND = "stockholm-talks-2025-07"


# Fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def make_user(seeded):
    def make(username, group_name):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group_name))
        return user

    return make  # the groups exist: the flush after a live-server test emits post_migrate


@pytest.fixture
def open_page(browser, live_server, page):
    """Open a page in a new browser context: another person, with cookies of their own.

    Requesting ``page`` sets the shared expect() timeout and loads the seed.
    """
    contexts = []

    def open_():
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        new_page = context.new_page()
        new_page.set_default_navigation_timeout(TIMEOUT_MS)
        return new_page

    yield open_
    for context in contexts:
        context.close()


# Helpers -------------------------------------------------------------------------------------


def path_and_fragment(url):
    parts = urlsplit(url)
    return parts.path + (f"#{parts.fragment}" if parts.fragment else "")


def log_in(page, user):
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator('input[type="submit"][value="Log in"]').click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/admin/")
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def choose(page, field, search, option_text=None):
    """Pick a value in a select2 autocomplete widget: open it, type, click the option."""
    field.locator(".select2-selection").click()
    # The open widget's search box: in the dropdown (attached to <body>) for a single choice,
    # inside the selection itself for a multiple one.
    box = page.locator(".select2-container--open input.select2-search__field")
    expect(box).to_have_count(1)
    box.fill(search)
    option = page.locator(
        ".select2-results__option", has_text=re.compile(re.escape(option_text or search))
    )
    expect(option).to_have_count(1)
    option.click()
    expect(page.locator(".select2-container--open")).to_have_count(0)
    expect(field.locator(".select2-selection")).to_contain_text(option_text or search)


def add_inline_row(page, group, prefix):
    """Click the inline group's "Add another …" link; return the new row."""
    index = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    page.locator(f"#{group} .add-row a").click()
    row = page.locator(f"#{prefix}-{index}")
    expect(row).to_be_visible()
    return row


def blank_inline_row(page, group, prefix):
    """The first blank row the form offers (an add form may offer one), or a new one."""
    initial = int(page.locator(f"#id_{prefix}-INITIAL_FORMS").input_value())
    total = int(page.locator(f"#id_{prefix}-TOTAL_FORMS").input_value())
    if total > initial:
        row = page.locator(f"#{prefix}-{initial}")
        expect(row).to_be_visible()
        return row
    return add_inline_row(page, group, prefix)


def fill_title_and_slug(page, title, slug):
    """Type a title, let the admin's script prepopulate the slug, then give the slug wanted."""
    page.locator("#id_title").fill(title)
    # Leaving the title fires its change event, and the script fills the slug. (Typing into the
    # slug at the very moment focus leaves the title would append to the filled-in slug.)
    page.locator("#id_title").press("Tab")
    expect(page.locator("#id_slug")).not_to_have_value("")
    page.locator("#id_slug").fill(slug)
    expect(page.locator("#id_slug")).to_have_value(slug)


def save(page):
    """Submit the change form and wait for the answer (a redirect, or the form again)."""
    with page.expect_navigation():
        page.locator('input[type="submit"][name="_save"]').click()


def expect_success(page, text):
    expect(page.locator("ul.messagelist li.success")).to_contain_text(text)
    expect(page.locator(".errornote")).to_have_count(0)


def run_action(page, changelist, pk, action, message):
    """On a changelist, select one row, run an action, and check its success message."""
    page.goto(changelist)
    page.locator(f'input[name="_selected_action"][value="{pk}"]').check()
    page.locator('select[name="action"]').select_option(action)
    page.locator('button[name="index"]').click()
    expect(page.locator("ul.messagelist li.success")).to_have_text(message)
    expect(page.locator("ul.messagelist li.error")).to_have_count(0)


def inline_field(page, prefix, pk, name):
    """A field of the inline row whose hidden id is pk, found by its name."""
    hidden = page.locator(f'input[name^="{prefix}-"][name$="-id"][value="{pk}"]')
    expect(hidden).to_have_count(1)
    row_name = hidden.get_attribute("name").removesuffix("-id")
    return page.locator(f'[name="{row_name}-{name}"]')


# Test 1 --------------------------------------------------------------------------------------


def enter_source(page):
    page.goto("/admin/negotiations/source/add/")
    fill_title_and_slug(page, SOURCE["title"], SOURCE["slug"])
    page.locator("#id_kind").select_option("article")
    page.locator("#id_author").fill(SOURCE["author"])
    page.locator("#id_language").fill("en")
    page.locator("#id_published_on").fill(SOURCE["published_on"])
    page.locator("#id_published_precision").select_option("month")
    page.locator("#id_published_as_printed").fill(SOURCE["published_as_printed"])
    page.locator("#id_body").fill(SOURCE["body"])
    page.locator("#id_reliability").select_option("medium")
    page.locator("#id_reliability_note").fill("Written for this test; the remark is invented.")
    save(page)
    expect_success(page, "was added successfully")


def enter_round(page):
    page.goto("/admin/negotiations/round/add/")
    fill_title_and_slug(page, ROUND["title"], ROUND["slug"])
    page.locator("#id_kind").select_option("talks")
    page.locator("#id_city").fill(ROUND["city"])
    page.locator("#id_country").fill(ROUND["country"])
    page.locator("#id_start_on").fill(ROUND["start_on"])
    page.locator("#id_start_precision").select_option("month")
    page.locator("#id_summary").fill(ROUND["summary"])

    for official, side in (("Scott Bessent", "US"), ("Li Chenggang", "CN")):
        row = add_inline_row(page, "participants-group", "participants")
        choose(page, row.locator(".field-official"), official)
        row.locator('select[name$="-side"]').select_option(side)
        row.locator('select[name$="-role"]').select_option("lead_negotiator")

    row = add_inline_row(page, "agenda_items-group", "agenda_items")
    choose(page, row.locator(".field-sticking_point"), "Tariffs")
    row.locator('select[name$="-status"]').select_option("raised")
    row.locator('[name$="-note"]').fill("Bessent tied any tariff cut to purchases.")
    save(page)
    expect_success(page, "was added successfully")


def enter_quote(page):
    page.goto("/admin/negotiations/quote/add/")
    page.locator("#id_text").fill(QUOTE_TEXT)
    choose(page, page.locator(".field-speaker"), "Scott Bessent")
    page.locator("#id_kind").select_option("direct")
    page.locator("#id_said_on").fill("2025-09-01")
    page.locator("#id_said_precision").select_option("month")
    page.locator("#id_setting").fill("Remarks to reporters in Madrid")
    choose(page, page.locator(".field-round"), "Madrid talks", ROUND["title"])
    choose(page, page.locator(".field-sticking_points"), "Tariffs")

    row = blank_inline_row(page, "citations-group", "citations")
    choose(page, row.locator(".field-source"), "resume trade talks", SOURCE["title"])
    row.locator('select[name$="-stance"]').select_option("supports")
    row.locator('textarea[name$="-exact"]').fill(PASTED_PASSAGE)
    save(page)
    expect_success(page, "was added successfully")


def test_an_editor_enters_a_round_a_reviewer_publishes_it_a_reader_follows_it(
    page, open_page, make_user
):
    editor = make_user("erin_editor", EDITORS)
    reviewer = make_user("rui_reviewer", REVIEWERS)

    # The editor enters the source, the round and the quote; all three stay drafts.
    log_in(page, editor)
    enter_source(page)
    enter_round(page)
    enter_quote(page)

    source = Source.objects.get(slug=SOURCE["slug"])
    round_ = Round.objects.get(slug=ROUND["slug"])
    quote = Quote.objects.get(text=QUOTE_TEXT)
    citation = Citation.objects.get(quote=quote)
    assert [source.state, round_.state, quote.state] == ["draft"] * 3
    assert sorted(round_.participants.values_list("official__slug", "side", "role")) == [
        ("li-chenggang", "CN", "lead_negotiator"),
        ("scott-bessent", "US", "lead_negotiator"),
    ]
    assert list(round_.agenda_items.values_list("sticking_point__slug", "status")) == [
        ("tariffs", "raised")
    ]
    assert (quote.speaker.slug, quote.round_id) == ("scott-bessent", round_.pk)
    assert list(quote.sticking_points.values_list("slug", flat=True)) == ["tariffs"]
    # The pasted passage was found despite its straight quotes and doubled space, and the
    # citation stores the words as the source prints them.
    assert citation.source_id == source.pk
    assert citation.exact == STORED_PASSAGE
    assert source.body[citation.start : citation.end] == STORED_PASSAGE

    # An editor cannot publish.
    page.goto("/admin/negotiations/source/")
    expect(page.locator('select[name="action"] option[value="publish_selected"]')).to_have_count(0)

    # A reader sees none of it yet.
    reader = open_page()
    for path in (
        f"/rounds/{ROUND['slug']}/",
        f"/quotes/{quote.pk}/",
        f"/sources/{SOURCE['slug']}/",
    ):
        assert reader.goto(path).status == 404, f"the draft at {path} is public"
    reader.goto("/rounds/")
    expect(reader.locator(f'main a[href="/rounds/{ROUND["slug"]}/"]')).to_have_count(0)
    reader.goto("/quotes/")
    expect(reader.locator(f'main a[href="/quotes/{quote.pk}/"]')).to_have_count(0)
    expect(reader.locator("main")).not_to_contain_text("verifiable progress on purchases")

    # The reviewer cannot publish the quote while the source it cites is a draft ...
    desk = open_page()
    log_in(desk, reviewer)
    desk.goto("/admin/negotiations/quote/")
    desk.locator(f'input[name="_selected_action"][value="{quote.pk}"]').check()
    desk.locator('select[name="action"]').select_option("publish_selected")
    desk.locator('button[name="index"]').click()
    expect(desk.locator("ul.messagelist li.error")).to_contain_text(
        "None of the sources it cites is published: publish a source first."
    )
    expect(desk.locator("ul.messagelist li.success")).to_have_count(0)
    quote.refresh_from_db()
    assert quote.state == "draft"

    # ... so publishes the source first, then the round and the quote.
    run_action(desk, "/admin/negotiations/source/", source.pk, "publish_selected", "Published 1.")
    run_action(desk, "/admin/negotiations/round/", round_.pk, "publish_selected", "Published 1.")
    run_action(desk, "/admin/negotiations/quote/", quote.pk, "publish_selected", "Published 1.")
    for record in (source, round_, quote):
        record.refresh_from_db()
        assert record.state == "published", record

    # The reader finds the round, with its delegations, agenda and quote.
    reader.goto("/rounds/")
    # Listed once, and drawn on the timeline above the list (with its row in the table).
    expect(reader.locator(f'main ol.rounds a[href="/rounds/{ROUND["slug"]}/"]')).to_have_count(1)
    expect(reader.locator(f'.picture-svg a[href="/rounds/{ROUND["slug"]}/"]')).to_have_count(1)
    assert reader.goto(f"/rounds/{ROUND['slug']}/").status == 200
    main = reader.locator("main")
    expect(main.locator("h1")).to_have_text(ROUND["title"])
    expect(main).to_contain_text("Madrid, Spain")
    expect(main).to_contain_text("September 2025")
    for side, official in (("United States", "Scott Bessent"), ("China", "Li Chenggang")):
        # The participants are listed under a heading per side, up to the agenda's heading.
        delegation = main.locator(
            f'xpath=.//h2[@id="participants"]/following-sibling::h3[normalize-space()="{side}"]'
            "/following-sibling::ul[1]"
        )
        expect(delegation.locator("li")).to_have_text(
            re.compile(rf"^{official}\b.*: Lead negotiator$")
        )
    expect(main.locator("section.agenda-item", has_text="Tariffs")).to_contain_text("Raised")
    expect(main.locator(f'ul.quotes a[href="/quotes/{quote.pk}/"]')).to_contain_text(
        "verifiable progress on purchases"
    )

    # ... and the quote on the page, and follows it to the marked passage.
    reader.goto("/issues/tariffs/")
    reader.locator(f'main ul.quotes a[href="/quotes/{quote.pk}/"]').click()
    reader.wait_for_url(lambda url: urlsplit(url).path == f"/quotes/{quote.pk}/")
    link = reader.locator('main a[href*="#cite-"]')
    expect(link).to_have_count(1)
    href = f"/sources/{SOURCE['slug']}/#cite-{citation.pk}"
    expect(link).to_have_attribute("href", href)
    link.click()
    reader.wait_for_url(lambda url: path_and_fragment(url) == href)
    assert marked_passage(reader, citation.pk) == STORED_PASSAGE


# Test 2 --------------------------------------------------------------------------------------


def refusal(page):
    return page.locator("form .errorlist.nonfield").first


def test_a_stale_save_is_refused_and_the_first_save_survives(page, open_page, make_user):
    ann = make_user("ann_editor", EDITORS)
    ben = make_user("ben_editor", EDITORS)
    round_ = Round.objects.get(slug=SEED_ROUND)
    # A draft, which editors change directly (their change to a published round waits for a
    # reviewer: tests/browser/test_reviews.py).
    publishing.unpublish(records=[round_])
    round_.refresh_from_db()
    original_outcome = round_.outcome
    agenda_item = round_.agenda_items.order_by("pk").first()
    participant = round_.participants.order_by("pk").first()
    new_role = "delegate" if participant.role != "delegate" else "spokesperson"
    change = f"/admin/negotiations/round/{round_.pk}/change/"

    log_in(page, ann)
    b = open_page()
    log_in(b, ben)
    # Both open the round before either saves.
    page.goto(change)
    b.goto(change)

    ann_summary = "Ann's summary: the third meeting since April, no breakthrough."
    page.locator("#id_summary").fill(ann_summary)
    save(page)
    expect_success(page, "was changed successfully")

    ben_outcome = "Ben's outcome: the truce extension was left to President Trump."
    b.locator("#id_outcome").fill(ben_outcome)
    save(b)
    expect(b.locator(".errornote")).to_be_visible()
    expect(refusal(b)).to_contain_text(
        re.compile(rf"^{ann.username} saved a newer version of this round at ")
    )
    expect(refusal(b)).to_contain_text("nothing was saved")
    expect(b.locator("#id_outcome")).to_have_value(ben_outcome)
    round_.refresh_from_db()
    assert (round_.summary, round_.outcome) == (ann_summary, original_outcome)

    # An edit inside an inline row is a save of the round too.
    ann_note = "Ann's note: tariffs could go back up without a deal."
    page.goto(change)
    inline_field(page, "agenda_items", agenda_item.pk, "note").fill(ann_note)
    save(page)
    expect_success(page, "was changed successfully")
    agenda_item.refresh_from_db()
    assert agenda_item.note == ann_note

    # Ben's refused form still has his outcome; he also changes a participant's role.
    inline_field(b, "participants", participant.pk, "role").select_option(new_role)
    save(b)
    expect(refusal(b)).to_contain_text(
        re.compile(rf"^{ann.username} saved a newer version of this round at ")
    )
    # The agenda row Ann edited is reported where it stands, and now shows her note.
    expect(b.locator("#agenda_items-group .errorlist.nonfield")).to_contain_text(
        f"{ann.username} saved a newer version of this agenda item"
    )
    expect(inline_field(b, "agenda_items", agenda_item.pk, "note")).to_have_value(ann_note)
    expect(b.locator("#id_outcome")).to_have_value(ben_outcome)
    expect(inline_field(b, "participants", participant.pk, "role")).to_have_value(new_role)
    participant.refresh_from_db()
    agenda_item.refresh_from_db()
    round_.refresh_from_db()
    # The refused form now carries the version it was refused against.
    expect(b.locator("#id_loaded_version")).to_have_value(str(round_.version))
    assert participant.role != new_role
    assert agenda_item.note == ann_note
    assert (round_.summary, round_.outcome) == (ann_summary, original_outcome)

    # Having been told, Ben saves again: his form now carries the current version and Ann's
    # changes in the fields he did not touch, so his edits land and hers survive.
    save(b)
    expect_success(b, "was changed successfully")
    round_.refresh_from_db()
    participant.refresh_from_db()
    agenda_item.refresh_from_db()
    assert round_.outcome == ben_outcome
    assert participant.role == new_role
    assert round_.summary == ann_summary
    assert agenda_item.note == ann_note
    assert round_.history.order_by("-history_date").first().history_user == ben
