"""Caching for anonymous visitors (``negotiations.caching``), above the pages: validators and
304s keyed on the knowledge base's change stamp, Cache-Control, and the page cache, in local
memory and in a real Redis server; the stamp moving on every write path, once per transaction.

Most tests run inside a transaction that is rolled back afterwards and never commits, so what a
write leaves for its commit (the stamp moving on) is run by ``commit()`` where the commit would
come. ``TestRealCommits`` writes through the admin with real commits instead.
"""

import io
import math
import os
import re
import shutil
import socket
import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError, connection, transaction
from django.test import Client
from django.utils import timezone
from django.utils.http import http_date, parse_http_date

from negotiations.models import ChangeStamp, Claim, Outlet, Quote, StickingPoint
from negotiations.services import backup, changes
from tests.factories import make_official
from tests.helpers import admin_url, form_data

pytestmark = pytest.mark.django_db

WEAK_ETAG = re.compile(r'^W/"[0-9a-f]{32}"$')
MAX_AGE = 60


# The real Redis server ---------------------------------------------------------------------------


def missing_redis(message):
    """Skip on a developer's machine; fail in CI, where the Redis tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {message}. The Redis tests never skip in CI.", pytrace=False)
    pytest.skip(message)


def answers(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """``REDIS_URL`` when set (CI starts one); otherwise a ``redis-server`` of this test process
    on a free port, in a temporary folder, persisting nothing, stopped after the tests."""
    try:
        import redis  # noqa: F401
    except ImportError:
        missing_redis("the redis package is missing: pip install -r requirements.txt")
    url = os.environ.get("REDIS_URL")
    if url:
        if not answers(url):
            missing_redis(f"REDIS_URL={url} does not answer")
        yield url
        return
    server = shutil.which("redis-server")
    if server is None:
        missing_redis("redis-server is missing: apt-get install redis-server")
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder)]
        + ["--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while not answers(url):
            if process.poll() is not None or time.monotonic() > deadline:
                missing_redis(f"redis-server did not start on port {port}")
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


# Fixtures and helpers --------------------------------------------------------------------------


@pytest.fixture
def http_cache(settings):
    """As in production: browsers may keep a public page a minute; no page cache."""
    settings.HTTP_CACHE = True
    settings.HTTP_CACHE_MAX_AGE = MAX_AGE
    settings.PAGE_CACHE_SECONDS = 0
    return settings


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, http_cache):
    """The page cache on, in local memory or in the real Redis server, with keys of this test's
    own (test processes run side by side and may share one Redis)."""
    prefix = f"test-caching-{os.getpid()}-{uuid.uuid4().hex}"
    if request.param == "redis":
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": request.getfixturevalue("redis_url"),
            "KEY_PREFIX": prefix,
        }
    else:
        backend = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    http_cache.CACHES = {"default": backend}
    http_cache.PAGE_CACHE_SECONDS = 120
    return request.param


@pytest.fixture
def visitor():
    """An anonymous visitor, apart from the staff clients (which share pytest's ``client``)."""
    return Client()


def commit():
    """Run what the writes so far left for their commit, as the commit would (once, then gone);
    the test's own transaction is still rolled back afterwards."""
    pending = list(connection.run_on_commit)
    connection.run_on_commit.clear()
    for _savepoints, callback, _robust in pending:
        callback()


def stamp():
    return ChangeStamp.objects.get()


def stamp_moved_back(seconds=5):
    """The last change some seconds ago, so that its second has passed and Last-Modified shows."""
    ChangeStamp.objects.update(changed_at=timezone.now() - timedelta(seconds=seconds))
    return stamp()


def kept(response):
    """The page kept in the cache for the anonymous request that got ``response``, if any."""
    return cache.get(response.wsgi_request.public_answer.key)


def assert_not_shared(response):
    """For this visitor alone, checked again before each use: no validator, no public copy."""
    assert response["Cache-Control"] == "private, no-cache"
    assert not response.has_header("ETag") and not response.has_header("Last-Modified")


def assert_private(response):
    """As ``assert_not_shared``, and the page cache never even consulted."""
    assert_not_shared(response)
    assert not hasattr(response.wsgi_request, "public_answer")


# Validators, 304s and Cache-Control ---------------------------------------------------------------


class TestValidators:
    def test_an_anonymous_page_has_an_etag_a_last_modified_and_public_cache_control(
        self, seeded, http_cache, visitor
    ):
        changed_at = stamp_moved_back().changed_at
        response = visitor.get("/quotes/")
        assert response.status_code == 200
        assert WEAK_ETAG.match(response["ETag"])
        assert response["Last-Modified"] == http_date(math.ceil(changed_at.timestamp()))
        assert response["Cache-Control"] == f"public, max-age={MAX_AGE}"
        assert "Cookie" in response["Vary"]

    def test_if_none_match_is_answered_304_with_one_query(
        self, seeded, http_cache, visitor, django_assert_num_queries
    ):
        etag = visitor.get("/rounds/")["ETag"]
        with django_assert_num_queries(1):  # the stamp, and nothing of the page
            response = visitor.get("/rounds/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert response["Cache-Control"] == f"public, max-age={MAX_AGE}"
        assert visitor.get("/rounds/", HTTP_IF_NONE_MATCH='W/"other"').status_code == 200
        assert visitor.get("/rounds/", HTTP_IF_NONE_MATCH=f'W/"x", {etag}').status_code == 304
        # "*" means "any copy": only computing the page tells whether there is one.
        assert visitor.get("/rounds/nowhere/", HTTP_IF_NONE_MATCH="*").status_code == 404

    def test_if_modified_since_is_answered_304_with_one_query(
        self, seeded, http_cache, visitor, django_assert_num_queries
    ):
        stamp_moved_back()
        last_modified = visitor.get("/issues/")["Last-Modified"]
        with django_assert_num_queries(1):
            response = visitor.get("/issues/", HTTP_IF_MODIFIED_SINCE=last_modified)
        assert response.status_code == 304
        earlier = http_date(parse_http_date(last_modified) - 1)
        assert visitor.get("/issues/", HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
        # A date later than the database's clock is not a date the site gave: ignored.
        future = http_date(time.time() + 3600)
        assert visitor.get("/issues/", HTTP_IF_MODIFIED_SINCE=future).status_code == 200

    def test_if_none_match_decides_over_if_modified_since(self, seeded, http_cache, visitor):
        stamp_moved_back()
        last_modified = visitor.get("/issues/")["Last-Modified"]
        response = visitor.get(
            "/issues/", HTTP_IF_NONE_MATCH='W/"old"', HTTP_IF_MODIFIED_SINCE=last_modified
        )
        assert response.status_code == 200

    def test_no_last_modified_within_the_second_of_a_change(self, seeded, http_cache, visitor):
        # A second change within that second would share it, and be missed by If-Modified-Since.
        ChangeStamp.objects.update(changed_at=timezone.now() + timedelta(seconds=5))
        response = visitor.get("/issues/")
        assert response.has_header("ETag") and not response.has_header("Last-Modified")

    def test_json_csv_and_html_each_have_their_own_etag(self, seeded, http_cache, visitor):
        etags = {
            path: visitor.get(path)["ETag"]
            for path in ("/quotes/", "/quotes/?format=json", "/quotes/?format=csv", "/quotes/?q=a")
        }
        assert len(set(etags.values())) == 4
        html = etags["/quotes/"]
        assert visitor.get("/quotes/?format=json", HTTP_IF_NONE_MATCH=html).status_code == 200

    def test_head_has_the_same_validators_and_is_answered_304(self, seeded, http_cache, visitor):
        get = visitor.get("/claims/")
        head = visitor.head("/claims/")
        assert head.status_code == 200 and head.content == b""
        assert head["ETag"] == get["ETag"]
        assert head["Cache-Control"] == f"public, max-age={MAX_AGE}"
        assert visitor.head("/claims/", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304

    def test_the_admin_and_the_health_check_are_left_alone(self, seeded, http_cache, visitor):
        for path in ("/admin/login/", "/healthz"):
            response = visitor.get(path)
            assert not response.has_header("ETag"), path
            assert "public" not in response.get("Cache-Control", ""), path

    def test_nothing_at_all_when_switched_off(self, seeded, http_cache, visitor):
        http_cache.HTTP_CACHE = False
        response = visitor.get("/quotes/")
        assert not response.has_header("ETag") and not response.has_header("Cache-Control")
        assert visitor.get("/quotes/", HTTP_IF_NONE_MATCH="*").status_code == 200


# Who gets a shared page ------------------------------------------------------------------------


class TestStaff:
    def test_staff_get_private_no_cache_and_never_a_304(
        self, seeded, page_cache, visitor, reviewer_client
    ):
        etag = visitor.get("/quotes/")["ETag"]
        response = reviewer_client.get("/quotes/", HTTP_IF_NONE_MATCH=etag)
        assert response.status_code == 200
        assert_private(response)
        assert "Cookie" in response["Vary"]

    def test_a_draft_preview_is_never_kept_nor_shown_to_anyone_else(
        self, seeded, page_cache, visitor, reviewer_client
    ):
        draft = make_official(name="Unpublished Negotiator", state="draft")
        url = draft.get_absolute_url()
        commit()  # the stamp moves as it would for a draft saved in the admin
        for path in (url, f"{url}?format=json"):
            preview = reviewer_client.get(path)
            assert preview.status_code == 200 and b"Unpublished Negotiator" in preview.content
            assert_private(preview)
            anonymous = visitor.get(path)
            assert anonymous.status_code == 404
            assert b"Unpublished Negotiator" not in anonymous.content
            assert kept(anonymous) is None
            assert_not_shared(anonymous)

    def test_staff_are_never_served_a_kept_page(
        self, seeded, page_cache, visitor, reviewer_client, django_assert_max_num_queries
    ):
        visitor.get("/issues/")
        response = reviewer_client.get("/issues/")
        assert_private(response)
        with django_assert_max_num_queries(1):
            visitor.get("/issues/")  # and the anonymous page is still there for visitors


class TestNeverShared:
    @pytest.mark.parametrize(
        "path, status",
        [
            ("/quotes/?format=json&said_after=not-a-date", 400),
            ("/quotes/?format=csv&said_after=not-a-date", 400),
            ("/quotes/?format=xml", 400),
            ("/rounds/no-such-round/", 404),
            ("/claims/999999/?format=json", 404),
        ],
    )
    def test_errors_are_not_kept_and_have_no_validators(
        self, seeded, page_cache, visitor, path, status
    ):
        for _ in range(2):
            response = visitor.get(path)
            assert response.status_code == status
            assert_not_shared(response)
            assert kept(response) is None

    def test_a_statement_stopped_by_the_limit_is_a_503_not_kept(self, seeded, page_cache, visitor):
        def too_long(execute, sql, params, many, context):
            if "negotiations_claim" in sql:
                raise OperationalError("interrupted")  # as SQLite says when the limit stops it
            return execute(sql, params, many, context)

        with connection.execute_wrapper(too_long):
            response = visitor.get("/claims/?format=json")
        assert response.status_code == 503
        assert_not_shared(response)
        assert kept(response) is None
        assert visitor.get("/claims/?format=json").status_code == 200

    def test_a_page_with_a_message_is_not_shared(self, seeded, page_cache, visitor):
        visitor.get("/rounds/")  # the plain list, kept
        response = visitor.get("/rounds/?year=0")
        assert response.status_code == 200 and "between 1900 and 2100" in response.text
        assert_not_shared(response)
        assert kept(response) is None

    def test_a_visitor_with_a_message_waiting_gets_the_page_made_for_them(
        self, seeded, page_cache, visitor, rf
    ):
        visitor.get("/sources/")  # kept, without the message
        storage = CookieStorage(rf.get("/"))
        storage.add(constants.INFO, "Your suggestion was received.")
        carrier = Client().get("/healthz")
        storage.update(carrier)
        visitor.cookies["messages"] = carrier.cookies["messages"].value
        response = visitor.get("/sources/")
        assert "Your suggestion was received." in response.text
        assert_private(response)

    def test_a_response_that_sets_a_cookie_is_not_shared(self, seeded, page_cache, visitor):
        visitor.cookies["sessionid"] = "a-session-that-no-longer-exists"
        response = visitor.get("/officials/")
        assert response.status_code == 200
        assert "sessionid" in response.cookies  # Django deletes the stale cookie
        assert_not_shared(response)
        assert kept(response) is None


# The page cache --------------------------------------------------------------------------------


class TestPageCache:
    def test_a_kept_page_is_served_with_one_query(
        self, seeded, page_cache, visitor, django_assert_num_queries
    ):
        first = visitor.get("/integrity/")
        assert kept(first) is not None
        with django_assert_num_queries(1):
            again = visitor.get("/integrity/")
        assert again.status_code == 200
        assert again.content == first.content
        assert again["ETag"] == first["ETag"]
        assert again["Content-Type"] == first["Content-Type"]
        assert again["Cache-Control"] == f"public, max-age={MAX_AGE}"
        # The headers of the middleware around it are on a kept answer too.
        for header in (
            "Content-Security-Policy",
            "X-Frame-Options",
            "X-Content-Type-Options",
            "Permissions-Policy",
        ):
            assert again[header] == first[header], header

    def test_json_and_csv_are_kept_apart_from_html(
        self, seeded, page_cache, visitor, django_assert_num_queries
    ):
        first = {fmt: visitor.get(f"/claims/?format={fmt}") for fmt in ("html", "json")}
        for fmt, response in first.items():
            with django_assert_num_queries(1):
                again = visitor.get(f"/claims/?format={fmt}")
            assert again.content == response.content
            assert again["Content-Type"] == response["Content-Type"]
        assert first["json"].json()["count"] > 0
        # CSV streams every result as it is read: never kept whole, in a cache or in memory.
        csv_response = visitor.get("/claims/?format=csv")
        assert csv_response.streaming and kept(csv_response) is None
        assert csv_response["Content-Type"].startswith("text/csv")
        assert csv_response["Content-Disposition"] == 'attachment; filename="claims.csv"'
        assert visitor.get("/claims/?format=csv").getvalue() == csv_response.getvalue()

    def test_head_is_answered_from_the_kept_page(
        self, seeded, page_cache, visitor, django_assert_num_queries
    ):
        get = visitor.get("/officials/")
        with django_assert_num_queries(1):
            head = visitor.head("/officials/")
        assert head.status_code == 200 and head.content == b""
        assert head["Content-Length"] == get["Content-Length"]

    def test_off_when_the_setting_is_0(self, seeded, page_cache, settings, visitor):
        settings.PAGE_CACHE_SECONDS = 0
        first = visitor.get("/quotes/")
        assert kept(first) is None
        assert first["Cache-Control"] == f"public, max-age={MAX_AGE}"  # validators stay
        assert visitor.get("/quotes/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    # Only the Redis variant of the page cache: the question is about the Redis server itself.
    @pytest.mark.parametrize("page_cache", ["redis"], indirect=True)
    def test_pages_are_kept_in_the_redis_server(self, seeded, page_cache, visitor, redis_url):
        import redis

        response = visitor.get("/issues/")
        server = redis.Redis.from_url(redis_url)
        prefix = cache.key_prefix
        assert server.exists(cache.make_key(response.wsgi_request.public_answer.key))
        assert 0 < server.ttl(cache.make_key(response.wsgi_request.public_answer.key)) <= 120
        assert all(key.startswith(prefix.encode()) for key in server.keys(f"{prefix}*"))

    def test_a_cache_that_does_not_answer_is_a_miss(self, seeded, http_cache, visitor):
        http_cache.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{free_port()}/0",  # nothing listens there
            }
        }
        http_cache.PAGE_CACHE_SECONDS = 120
        for _ in range(2):
            response = visitor.get("/quotes/")
            assert response.status_code == 200 and response.has_header("ETag")


# Every write moves the stamp on, once per transaction; no stale page, no stale 304 ---------


def rename_issue_in_the_admin(client, issue, name):
    page = client.get(admin_url(StickingPoint, "change", issue.pk))
    data = form_data(page)
    data["name"] = name
    response = client.post(admin_url(StickingPoint, "change", issue.pk), data)
    assert response.status_code == 302, response.content


def published_issue():
    return StickingPoint.objects.published().with_counts().filter(quote_count__gt=0).first()


class TestWrites:
    def test_an_admin_save_leaves_no_stale_page_and_no_stale_304(
        self, seeded, page_cache, visitor, reviewer_client, django_assert_num_queries
    ):
        issue = published_issue()
        before = visitor.get("/issues/")
        assert issue.name in before.text
        counter = stamp().counter

        rename_issue_in_the_admin(reviewer_client, issue, "Tariffs and duties, renamed")
        commit()

        assert stamp().counter == counter + 1
        after = visitor.get("/issues/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200
        assert "Tariffs and duties, renamed" in after.text
        assert after["ETag"] != before["ETag"]
        with django_assert_num_queries(1):
            assert visitor.get("/issues/").content == after.content  # kept anew

    def test_a_history_revert_moves_the_stamp(self, seeded, page_cache, visitor, reviewer_client):
        issue = published_issue()
        rename_issue_in_the_admin(reviewer_client, issue, "Renamed for a while")
        commit()
        renamed = visitor.get(issue.get_absolute_url())
        assert "Renamed for a while" in renamed.text
        original = issue.history.order_by("history_date").first()
        url = admin_url(StickingPoint, "simple_history", issue.pk, original.pk)
        reviewer_client.post(url, form_data(reviewer_client.get(url)))
        commit()
        restored = visitor.get(issue.get_absolute_url(), HTTP_IF_NONE_MATCH=renamed["ETag"])
        assert restored.status_code == 200
        assert issue.name in restored.text and "Renamed for a while" not in restored.text

    def test_a_queryset_delete_moves_the_stamp(self, seeded, page_cache, visitor):
        claim = Claim.objects.published().order_by("pk").first()
        before = visitor.get("/claims/?format=json")
        assert claim.get_absolute_url() in before.text
        counter = stamp().counter
        Claim.objects.filter(pk=claim.pk).delete()  # its citations go with it
        commit()
        assert stamp().counter == counter + 1
        after = visitor.get("/claims/?format=json")
        assert claim.get_absolute_url() not in after.text
        assert after.json()["count"] == before.json()["count"] - 1

    def test_a_many_to_many_change_moves_the_stamp(self, seeded, page_cache, visitor):
        issue = published_issue()
        quote = Quote.objects.published().filter(sticking_points=issue).first()
        before = visitor.get(f"{issue.get_absolute_url()}?format=json")
        counter = stamp().counter
        quote.sticking_points.remove(issue)
        commit()
        assert stamp().counter == counter + 1
        after = visitor.get(f"{issue.get_absolute_url()}?format=json")
        assert after["ETag"] != before["ETag"]
        assert quote.get_absolute_url() in before.text
        assert quote.get_absolute_url() not in after.text

    def test_update_moves_nothing_and_the_seed_load_that_repairs_it_does(
        self, seeded, page_cache, visitor
    ):
        issue = published_issue()
        before = visitor.get("/issues/")
        counter = stamp().counter
        # QuerySet.update() sends no signal: the stamp stays, and so does the kept page; code
        # that writes this way calls changes.note_change() itself.
        StickingPoint.objects.filter(pk=issue.pk).update(name="Changed behind the model layer")
        commit()
        assert stamp().counter == counter
        assert visitor.get("/issues/").content == before.content

        call_command("load_seed", verbosity=0)  # puts the seed's name back
        commit()
        assert stamp().counter == counter + 1
        after = visitor.get("/issues/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and issue.name in after.text

    def test_a_seed_load_that_changes_nothing_moves_nothing(self, seeded):
        counter = stamp().counter
        call_command("load_seed", verbosity=0)
        commit()
        assert stamp().counter == counter

    def test_an_import_moves_the_stamp(self, seeded, page_cache, visitor):
        exported = io.BytesIO()
        backup.export_kb(stream=exported)
        before = visitor.get("/sources/")
        with connection.cursor() as cursor:  # as a database just migrated
            for model in reversed(backup.knowledge_base_models()):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
        commit()
        assert visitor.get("/sources/").content == before.content  # raw SQL: nothing moved
        counter = stamp().counter
        backup.import_kb(stream=io.BytesIO(exported.getvalue()))
        commit()
        assert stamp().counter == counter + 1
        assert visitor.get("/sources/", HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200

    def test_check_integrity_repair_moves_the_stamp(self, seeded):
        counter = stamp().counter
        call_command("check_integrity", "--repair", "--no-crawl", verbosity=0)
        commit()
        assert stamp().counter == counter + 1


class TestOncePerTransaction:
    def test_many_writes_in_one_transaction_move_it_once(self, seeded):
        counter = stamp().counter
        with transaction.atomic():
            for n in range(20):
                outlet = Outlet.objects.create(name=f"Wire {n}", slug=f"wire-{n}")
                outlet.name = f"Wire {n}, renamed"
                outlet.save()
            Outlet.objects.filter(slug__startswith="wire-").delete()
        commit()
        assert stamp().counter == counter + 1

    def test_writes_rolled_back_move_nothing(self, seeded):
        counter = stamp().counter
        with pytest.raises(RuntimeError), transaction.atomic():
            Outlet.objects.create(name="Gone Wire", slug="gone-wire")
            raise RuntimeError("rolled back")
        commit()
        assert stamp().counter == counter
        # A write after a savepoint rolled back still counts.
        with transaction.atomic():
            with pytest.raises(RuntimeError), transaction.atomic():
                Outlet.objects.create(name="Gone Wire", slug="gone-wire")
                raise RuntimeError("rolled back")
            Outlet.objects.create(name="Kept Wire", slug="kept-wire")
        commit()
        assert stamp().counter == counter + 1

    def test_note_change_is_what_code_writing_around_signals_calls(self, seeded):
        counter = stamp().counter
        with transaction.atomic():
            Outlet.objects.update(website="https://example.org")
            changes.note_change()
            changes.note_change()
        commit()
        assert stamp().counter == counter + 1

    def test_the_stamp_comes_back_after_a_flush(self, seeded):
        ChangeStamp.objects.all().delete()
        assert ChangeStamp.objects.current().counter == 0
        changes.note_change()
        commit()
        assert stamp().counter == 1


@pytest.mark.django_db(transaction=True)
class TestRealCommits:
    """With real commits: the admin's save commits, its on_commit moves the stamp, and the next
    request is answered from the database again, in local memory and in Redis alike."""

    def test_an_admin_save_commits_and_the_next_request_recomputes(
        self, seeded, page_cache, visitor, reviewer_client
    ):
        issue = published_issue()
        before = visitor.get("/issues/")
        assert kept(before) is not None
        counter = stamp().counter
        rename_issue_in_the_admin(reviewer_client, issue, "Renamed and committed")
        assert stamp().counter == counter + 1  # once, for everything that save wrote
        after = visitor.get("/issues/", HTTP_IF_NONE_MATCH=before["ETag"])
        assert after.status_code == 200 and "Renamed and committed" in after.text
        assert visitor.get("/issues/", HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304
