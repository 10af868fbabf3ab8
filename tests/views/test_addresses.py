"""Permanent addresses: every page of a record under a former slug answers with a 301 to the same
page under its current slug, whichever path renamed it (``negotiations.addresses``)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from negotiations.models import Official, PublicationState, Round, Source, StickingPoint
from tests.factories import make_official, make_round, make_source, make_sticking_point
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

MAKERS = {
    "round": make_round,
    "issue": make_sticking_point,
    "official": make_official,
    "source": make_source,
}
PLURALS = {"round": "rounds", "issue": "issues", "official": "officials", "source": "sources"}

# Each kind's pages under its address, as the path after /<plural>/<slug>/, and a query string.
PAGES = [
    (kind, suffix, query)
    for kind in MAKERS
    for suffix, query in [
        ("", ""),
        ("", "?format=json"),
        ("versions/1/", ""),
        ("versions/1/", "?format=json"),
        ("history/", ""),
        ("history/", "?format=json&page=1"),
    ]
] + [
    ("source", "text/", ""),
    ("source", "annotations/", "?page=1"),
    ("source", "", "?format=annotations"),
]


def rename(record, slug):
    record.slug = slug
    record.save()


@pytest.mark.parametrize("kind,suffix,query", PAGES)
def test_every_page_under_an_old_slug_redirects_permanently(client, kind, suffix, query):
    record = MAKERS[kind](slug="before")
    rename(record, "after")
    response = client.get(f"/{PLURALS[kind]}/before/{suffix}{query}")
    assert response.status_code == 301
    assert response["Location"] == f"/{PLURALS[kind]}/after/{suffix}{query}"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("kind", MAKERS)
def test_a_slug_renamed_twice_redirects_straight_to_the_newest(client, kind):
    record = MAKERS[kind](slug="first")
    rename(record, "second")
    rename(record, "third")
    for old in ("first", "second"):
        response = client.get(f"/{PLURALS[kind]}/{old}/")
        assert (response.status_code, response["Location"]) == (301, f"/{PLURALS[kind]}/third/")


@pytest.mark.parametrize("kind", MAKERS)
def test_the_current_holder_of_a_reused_slug_wins(client, kind):
    old = MAKERS[kind](slug="shared")
    rename(old, "moved")
    new = MAKERS[kind](slug="shared")
    assert client.get(f"/{PLURALS[kind]}/shared/").status_code == 200
    assert client.get(f"/{PLURALS[kind]}/shared/").context["object"] == new
    # Even while the new holder is a draft: the public sees its 404, never the old holder.
    new.state = PublicationState.DRAFT
    new.save()
    assert client.get(f"/{PLURALS[kind]}/shared/").status_code == 404


@pytest.mark.parametrize("kind", MAKERS)
def test_a_drafts_old_slug_reveals_nothing(client, admin_client, kind):
    record = MAKERS[kind](slug="secret-before", state=PublicationState.DRAFT)
    rename(record, "secret-after")
    assert client.get(f"/{PLURALS[kind]}/secret-before/").status_code == 404
    # Staff, who preview drafts, are sent on.
    assert admin_client.get(f"/{PLURALS[kind]}/secret-before/").status_code == 301


@pytest.mark.parametrize("kind", MAKERS)
def test_an_old_slug_of_a_record_unpublished_or_deleted_since_is_not_found(client, kind):
    record = MAKERS[kind](slug="gone-before")
    rename(record, "gone-after")
    record.state = PublicationState.DRAFT
    record.save()
    assert client.get(f"/{PLURALS[kind]}/gone-before/").status_code == 404
    record.delete()
    assert client.get(f"/{PLURALS[kind]}/gone-before/").status_code == 404


def test_a_slug_no_record_ever_had_is_still_not_found(client):
    make_source(slug="real")
    assert client.get("/sources/never-was/").status_code == 404
    assert client.get("/sources/real/versions/99/").status_code == 404  # its holder's 404


def test_a_hit_costs_nothing_and_a_miss_one_query(client):
    source = make_source(slug="before")
    rename(source, "after")
    with CaptureQueriesContext(connection) as unknown:
        assert client.get("/sources/never-was/text/").status_code == 404
    with CaptureQueriesContext(connection) as moved:
        assert client.get("/sources/before/text/").status_code == 301
    with CaptureQueriesContext(connection) as hit:
        assert client.get("/sources/after/text/").status_code == 200
    history = Source.history.model._meta.db_table
    assert len(moved) == len(unknown) == len(hit) + 1
    assert history in moved.captured_queries[-1]["sql"]
    assert not any(history in query["sql"] for query in hit.captured_queries)


@pytest.mark.parametrize("model", [Round, StickingPoint, Official, Source])
def test_the_history_tables_index_the_slug(model):
    table = model.history.model._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert any(c["index"] and c["columns"] == ["slug"] for c in constraints.values())


def test_a_published_records_slug_field_says_its_address_will_redirect(reviewer_client):
    round_ = make_round(slug="geneva")
    page = reviewer_client.get(admin_url(Round, "change", round_.pk)).text
    assert "Part of the public address: /rounds/&lt;slug&gt;/." in page
    assert "its present address /rounds/geneva/ and every page under it will redirect" in page
    draft = make_round(slug="draft", state=PublicationState.DRAFT)
    assert "will redirect" not in reviewer_client.get(admin_url(Round, "change", draft.pk)).text


def test_a_slug_changed_in_the_admin_redirects_and_the_editor_is_told(reviewer_client):
    source = make_source(slug="admin-before")
    url = admin_url(Source, "change", source.pk)
    data = form_data(reviewer_client.get(url))
    data["slug"] = "admin-after"
    response = reviewer_client.post(url, data, follow=True)
    told = [str(message) for message in response.context["messages"]]
    assert any("/sources/admin-before/" in m and "/sources/admin-after/" in m for m in told), told
    answer = Client().get("/sources/admin-before/")
    assert (answer.status_code, answer["Location"]) == (301, "/sources/admin-after/")


def test_a_drafts_slug_changed_in_the_admin_promises_nothing(reviewer_client):
    official = make_official(slug="draft-before", state=PublicationState.DRAFT)
    url = admin_url(Official, "change", official.pk)
    data = form_data(reviewer_client.get(url))
    data["slug"] = "draft-after"
    response = reviewer_client.post(url, data, follow=True)
    assert not any("redirect" in str(m) for m in response.context["messages"])


def test_restoring_an_old_slug_from_history_redirects_the_newer_one(reviewer_client):
    round_ = make_round(slug="london-talks")
    original = round_.history.order_by("history_id").last()
    rename(round_, "london-talks-2025")
    url = reverse("admin:negotiations_round_simple_history", args=[round_.pk, original.pk])
    reviewer_client.post(url, form_data(reviewer_client.get(url)))
    round_.refresh_from_db()
    assert round_.slug == "london-talks"
    public = Client()
    answer = public.get("/rounds/london-talks-2025/")
    assert (answer.status_code, answer["Location"]) == (301, "/rounds/london-talks/")
    assert public.get("/rounds/london-talks/").status_code == 200


def test_an_editors_rename_of_a_published_record_waits_and_says_so(editor_client):
    source = make_source(slug="pending-before")
    url = admin_url(Source, "change", source.pk)
    data = form_data(editor_client.get(url))
    data["slug"] = "pending-after"
    response = editor_client.post(url, data, follow=True)
    told = " ".join(str(message) for message in response.context["messages"])
    assert "Once a reviewer approves this change, the old address /sources/pending-before/" in told
    public = Client()
    assert public.get("/sources/pending-before/").status_code == 200  # unchanged meanwhile
    assert public.get("/sources/pending-after/").status_code == 404
