"""An editor imports an article from a web page in a real Chromium: the import form, the
review in the source's form, the save as a draft; and a refused import, said in the form.

The article is served by the local test server of tests/importing (a fixture page)."""

import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group, User

from negotiations.models import Outlet, PublicationState, Retrieval, Source
from negotiations.roles import EDITORS
from tests.importing.conftest import pages_server  # noqa: F401 (a fixture)

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails in CI) and says what to install
    expect = None

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def editor_page(page, seeded):
    user = User.objects.create_user("importer", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/admin/")
    return page


def open_import(page):
    page.goto("/admin/negotiations/source/")
    page.get_by_role("link", name="Import from a web page").click()
    expect(page.get_by_role("heading", name="Import a source from a web page")).to_be_visible()


def test_an_editor_imports_reviews_and_saves_a_draft(editor_page, pages_server):  # noqa: F811
    page = editor_page
    sources_before = Source.objects.count()
    open_import(page)
    page.get_by_label("Address of the page (URL)").fill(f"{pages_server}/world/london-talks.html")
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()

    # The review: the source's add form, filled from the page.
    assert urlsplit(page.url).path == "/admin/negotiations/source/add/"
    expect(page.locator("ul.messagelist li.info")).to_contain_text("Fetched from")
    expect(page.locator("#id_title")).to_have_value("US and China agree framework in London talks")
    expect(page.locator("#id_author")).to_have_value("Jane Fixture")
    expect(page.locator("#id_published_on")).to_have_value("10/06/2025")  # en-GB
    expect(page.locator("#id_published_precision")).to_have_value("day")
    expect(page.locator("#id_language")).to_have_value("en-GB")
    expect(page.get_by_label("New outlet")).to_have_value("Test Wire")
    expect(page.locator("#id_archive_url")).to_be_visible()  # the retrieval fieldset is open
    expect(page.locator("#id_body")).to_have_value(re.compile(r"^LONDON — Negotiators"))

    # The editor corrects what the page left out, and saves.
    page.locator("#id_published_as_printed").fill("Tuesday 10 June 2025")
    with page.expect_navigation():
        page.locator('input[type="submit"][name="_save"]').click()
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    expect(page.locator(".errornote")).to_have_count(0)

    assert Source.objects.count() == sources_before + 1
    source = Source.objects.get(slug="us-and-china-agree-framework-in-london-talks")
    assert source.state == PublicationState.DRAFT
    assert source.published_as_printed == "Tuesday 10 June 2025"
    assert source.outlet == Outlet.objects.get(name="Test Wire")
    assert "\r" not in source.body and "Lancaster House" in source.body
    retrieval = Retrieval.objects.get(source=source)
    assert retrieval.final_url == f"{pages_server}/world/london-talks.html"

    # Its page shows the retrieval, with the original to download.
    page.goto(f"/admin/negotiations/source/{source.pk}/change/")
    link = page.get_by_role("link", name="download the original as retrieved")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(f"retrieval-{retrieval.pk}-")


def test_a_refused_import_says_why_in_the_form(editor_page, pages_server):  # noqa: F811
    page = editor_page
    open_import(page)
    field = page.get_by_label("Address of the page (URL)")
    field.fill(f"{pages_server}/report.pdf")
    field.press("Enter")  # the keyboard submits it too
    expect(page.locator(".errornote")).to_contain_text("not a web page (HTML)")
    expect(page.get_by_label("Address of the page (URL)")).to_have_value(
        f"{pages_server}/report.pdf"
    )
    assert Retrieval.objects.count() == 0
