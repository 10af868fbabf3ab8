"""Importing a source in the admin: the import form, the review in the source's add form, the
save as a draft linked to its retrieval; each failure a message in the form with nothing saved;
a page imported twice found instead of saved twice."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from negotiations.models import Outlet, PublicationState, Retrieval, Source
from tests.helpers import admin_url, form_data
from tests.importing.conftest import BIG, page

pytestmark = pytest.mark.django_db

IMPORT = "/admin/negotiations/source/import/"
LONDON = "/world/london-talks.html"
CANONICAL = "https://testwire.example/world/london-talks-framework/"


def rows():
    return (Retrieval.objects.count(), Source.objects.count(), Outlet.objects.count())


def import_url(client, url):
    return client.post(IMPORT, {"url": url})


def review(client, response):
    """Follow the import to its review form."""
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(admin_url(Source, "add") + "?retrieval=")
    return client.get(response["Location"])


def errors(response):
    return " ".join(response.context["form"].non_field_errors())


def save_review(client, review_page, **changes):
    data = form_data(review_page)
    data.update(changes)
    return client.post(review_page.wsgi_request.get_full_path(), data)


def test_the_import_is_offered_on_the_list_and_the_add_form(editor_client):
    for view in ("changelist", "add"):
        html = editor_client.get(admin_url(Source, view)).content.decode()
        assert f'href="{IMPORT}"' in html
        assert "Import from a web page" in html
    page_ = editor_client.get(IMPORT)
    assert page_.status_code == 200
    assert "Address of the page (URL)" in page_.text
    assert 'value="Import"' in page_.text


def test_an_imported_article_is_reviewed_then_saved_as_a_draft(editor_client, pages_server):
    review_page = review(editor_client, import_url(editor_client, pages_server + LONDON))
    assert rows() == (1, 0, 0)  # the retrieval only: no source, no outlet yet
    form = review_page.context["adminform"].form
    assert form["title"].value() == "US and China agree framework in London talks"
    assert form["slug"].value() == "us-and-china-agree-framework-in-london-talks"
    assert form["url"].value() == CANONICAL
    assert form["author"].value() == "Jane Fixture"
    assert form["language"].value() == "en-GB"
    assert str(form["published_on"].value()) == "2025-06-10"
    assert form["published_precision"].value() == "day"
    assert form["body"].value().startswith("LONDON — Negotiators")
    assert form["outlet"].value() is None
    assert form["proposed_outlet"].value() == "Test Wire"
    assert 'name="archive_url"' in review_page.text
    retrieval = Retrieval.objects.get()
    assert str(form["retrieved_on"].value()) == str(retrieval.retrieved_at.date())
    assert "Fetched from" in review_page.text and retrieval.final_url in review_page.text

    # The editor corrects the date line and saves.
    saved = save_review(editor_client, review_page, published_as_printed="10 June 2025")
    assert saved.status_code == 302, saved.content.decode()[:3000]
    source = Source.objects.get()
    assert source.state == PublicationState.DRAFT
    assert source.body == form["body"].value()  # as reviewed, stored with LF line endings
    assert source.outlet.name == "Test Wire"
    assert source.outlet.website == "https://testwire.example"
    assert source.retrieved_on == retrieval.retrieved_at.date()
    retrieval.refresh_from_db()
    assert retrieval.source == source
    assert retrieval.requested_url == retrieval.final_url == pages_server + LONDON
    assert retrieval.http_status == 200
    assert retrieval.content_type == "text/html; charset=utf-8"
    assert bytes(retrieval.content) == page("london-talks.html")
    assert retrieval.sha256 == hashlib.sha256(page("london-talks.html")).hexdigest()

    # The source's page shows where it came from, and the original as stored.
    change = editor_client.get(admin_url(Source, "change", source.pk))
    original = reverse("admin:negotiations_source_retrieval_original", args=[retrieval.pk])
    assert original in change.text and retrieval.sha256[:16] in change.text
    download = editor_client.get(original)
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.content == page("london-talks.html")


def test_the_stored_text_has_lf_line_endings(editor_client, pages_server):
    review_page = review(editor_client, import_url(editor_client, pages_server + LONDON))
    data = form_data(review_page)
    data["body"] = data["body"].replace("\n", "\r\n")  # as a browser posts a textarea
    editor_client.post(review_page.wsgi_request.get_full_path(), data)
    body = Source.objects.get().body
    assert "\r" not in body and "\n\nUS Commerce Secretary" in body


def test_an_existing_outlet_is_matched_by_its_website(editor_client, pages_server):
    wire = Outlet.objects.create(name="TW", slug="tw", website="https://www.testwire.example/")
    review_page = review(editor_client, import_url(editor_client, pages_server + LONDON))
    form = review_page.context["adminform"].form
    assert form["outlet"].value() == wire.pk
    assert not form["proposed_outlet"].value()
    save_review(editor_client, review_page)
    assert Source.objects.get().outlet == wire
    assert Outlet.objects.count() == 1


def test_a_cleared_proposal_leaves_the_outlet_unknown(editor_client, pages_server):
    review_page = review(editor_client, import_url(editor_client, pages_server + LONDON))
    save_review(editor_client, review_page, proposed_outlet="")
    assert Source.objects.get().outlet is None
    assert Outlet.objects.count() == 0


def test_a_page_imported_twice_names_the_source_it_became(editor_client, pages_server):
    review_page = review(editor_client, import_url(editor_client, pages_server + LONDON))
    save_review(editor_client, review_page)
    source = Source.objects.get()
    before = rows()
    for address in (
        pages_server + LONDON,  # the same address
        pages_server + LONDON + "?utm_source=newsletter#top",  # spelled otherwise
        pages_server + "/old/london",  # a redirect to it: found by the final address
        CANONICAL + "?utm_medium=social",  # its canonical address
    ):
        response = import_url(editor_client, address)
        assert response.status_code == 200, address
        assert "already in the knowledge base as the source" in errors(response)
        assert admin_url(Source, "change", source.pk) in response.text
    assert rows() == before


def test_a_source_entered_by_hand_is_found_by_its_address(editor_client, pages_server):
    Source.objects.create(title="Typed", slug="typed", body="Text.", url=CANONICAL)
    response = import_url(editor_client, pages_server + LONDON)
    assert "already in the knowledge base" in errors(response)
    assert Retrieval.objects.count() == 0


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/report.pdf", "The address gives application/pdf, not a web page"),
        ("/chart.png", "The address gives image/png, not a web page"),
        ("/missing.html", "The server answered 404"),
        ("/broken.html", "The server answered 500"),
        ("/empty.html", "No article text was found on this page"),
        ("/loop", "redirects more than 5 times"),
        ("/to-ftp", "Only http and https"),
    ],
)
def test_a_failed_import_says_why_and_saves_nothing(editor_client, pages_server, path, message):
    response = import_url(editor_client, pages_server + path)
    assert response.status_code == 200
    assert message in errors(response)
    assert rows() == (0, 0, 0)


@override_settings(IMPORT_MAX_BYTES=BIG // 3)
def test_an_oversized_page_says_so_and_saves_nothing(editor_client, pages_server):
    response = import_url(editor_client, pages_server + "/big-unannounced.html")
    assert "The page is larger than 100,000 bytes" in errors(response)
    assert rows() == (0, 0, 0)


@override_settings(IMPORT_TIMEOUT=0.5)
def test_a_slow_server_says_so_and_saves_nothing(editor_client, pages_server):
    response = import_url(editor_client, pages_server + "/slow.html")
    assert "did not answer within 0.5 seconds" in errors(response)
    assert rows() == (0, 0, 0)


@override_settings(IMPORT_ALLOW_PRIVATE_ADDRESSES=False)
def test_a_private_address_is_refused_and_nothing_saved(editor_client, pages_server):
    response = import_url(editor_client, pages_server + LONDON)
    assert "leads to a loopback address (127.0.0.1)" in errors(response)
    assert rows() == (0, 0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Give the address of the page, or upload a saved page."),
        ({"url": "ftp://testwire.example/x.html"}, "Only http and https addresses"),
        ({"url": "file:///etc/passwd"}, "Only http and https addresses"),
    ],
)
def test_bad_input_is_a_message(editor_client, data, message):
    response = editor_client.post(IMPORT, data)
    assert response.status_code == 200
    assert message in errors(response)
    assert rows() == (0, 0, 0)


def test_a_paywall_stub_is_imported_with_a_warning(editor_client, pages_server):
    review_page = review(editor_client, import_url(editor_client, pages_server + "/paywalled.html"))
    assert "The text found is short (" in review_page.text
    assert "paywall" in review_page.text
    form = review_page.context["adminform"].form
    assert form["body"].value().startswith("The framework agreed in London")


def test_a_page_without_a_date_keeps_it_unknown(editor_client, pages_server):
    review_page = review(
        editor_client, import_url(editor_client, pages_server + "/explainers/rare-earths.html")
    )
    form = review_page.context["adminform"].form
    assert form["published_on"].value() is None
    assert form["published_precision"].value() == "unknown"
    assert "No publication date was found" in review_page.text
    assert not form["proposed_outlet"].value()  # the page names no site: nothing proposed
    save_review(editor_client, review_page)
    source = Source.objects.get()
    assert source.published_on is None and source.outlet is None


def test_a_saved_page_is_uploaded(editor_client):
    saved = b"<!-- saved from url=(0032)https://testwire.example/london -->\n"
    upload = SimpleUploadedFile("london.html", saved + page("london-talks.html"), "text/html")
    review_page = review(editor_client, editor_client.post(IMPORT, {"upload": upload}))
    retrieval = Retrieval.objects.get()
    assert retrieval.uploaded_name == "london.html"
    assert retrieval.requested_url == "" and retrieval.http_status is None
    assert retrieval.final_url == "https://testwire.example/london"
    assert "Uploaded as the file" in review_page.text
    form = review_page.context["adminform"].form
    assert form["url"].value() == CANONICAL
    save_review(editor_client, review_page)
    assert Source.objects.get().retrievals.get() == retrieval


def test_an_upload_that_is_not_a_page_is_refused(editor_client):
    upload = SimpleUploadedFile("chart.png", b"\x89PNG\r\n\x1a\n\x00\x00fixture", "image/png")
    response = editor_client.post(IMPORT, {"upload": upload})
    assert "not a saved web page" in errors(response)
    assert rows() == (0, 0, 0)


def test_a_review_already_saved_is_not_saved_twice(editor_client, pages_server):
    review_page = review(editor_client, import_url(editor_client, pages_server + LONDON))
    address = review_page.wsgi_request.get_full_path()
    save_review(editor_client, review_page)
    again = editor_client.get(address)
    assert "already in the knowledge base as the source" in again.text
    assert again.context["adminform"].form["title"].value() in (None, "")


def test_an_unsaved_import_stays_unlinked(editor_client, pages_server):
    review(editor_client, import_url(editor_client, pages_server + LONDON))
    assert list(Retrieval.objects.unlinked()) == list(Retrieval.objects.all())
    # and importing the page again is not refused: nothing was saved from it
    assert import_url(editor_client, pages_server + LONDON).status_code == 302


def test_the_import_and_the_original_are_for_staff_with_permission(client, pages_server, db):
    assert client.get(IMPORT).status_code == 302  # to the login page
    retrieval = Retrieval.objects.create(
        retrieved_at="2025-06-11T00:00:00Z", content=b"<html></html>"
    )
    original = reverse("admin:negotiations_source_retrieval_original", args=[retrieval.pk])
    assert client.get(original)["Location"].startswith(reverse("admin:login"))
