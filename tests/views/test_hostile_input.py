"""Hostile and heavy input: no parameter, however odd, gives an error page, and none asks for an
unbounded query. Property-based (Hypothesis, a fixed example budget) over every public address,
plus the cases that gave 500s or ran for half a minute before."""

import os

import pytest
from django.db import OperationalError, connection, transaction
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiations import guards, pagination
from negotiations.models import Quote

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HYPOTHESIS_FUZZ_EXAMPLES", "120"))

PATHS = [
    "/",
    "/rounds/",
    "/issues/",
    "/officials/",
    "/quotes/",
    "/claims/",
    "/sources/",
    "/integrity/",
    "/search/",
    "/charts/tariff-rates/",
    "/charts/issues-by-round/",
    "/rounds/geneva-talks-2025-05/",
    "/issues/tariffs/",
    "/officials/scott-bessent/",
    "/sources/bessent-fox-yahoo/",
    "/sources/bessent-fox-yahoo/history/",
    "/sources/bessent-fox-yahoo/versions/1/",
    "/rounds/geneva-talks-2025-05/history/",
    "/issues/tariffs/versions/1/",
    "/quotes/feed/",
    "/claims/feed/",
    "/sources/feed/",
    "/rounds/feed/",
    "/issues/feed/",
    "/officials/feed/",
    "/sitemap.xml",
    "/sitemap-quotes.xml",
    "/sources/bessent-fox-yahoo/annotations/",
    "/sources/bessent-fox-yahoo/text/",
    "/citations/1/",
    "/check/",
    "/check/no-such-key/",
    "/check/no-such-key/embed/",
]
NAMES = [
    "speaker",
    "issue",
    "round",
    "source",
    "said_after",
    "said_before",
    "verification",
    "q",
    "status",
    "year",
    "kind",
    "official",
    "outlet",
    "reliability",
    "published_after",
    "published_before",
    "country",
    "sort",
    "page",
    "after",
    "before",
    "format",
    "p",
]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)  # any unicode, NUL too
values = st.one_of(
    text,
    st.sampled_from(["json", "csv", "html", "xml", "0", "-1", "10000", "2025", "2025-99-99"]),
    st.sampled_from(["csl-json", "ris", "bibtex"]),
    st.sampled_from(["annotations", "last", "1"]),
    # Page tokens as they are made (base64 of JSON), holding values of any type.
    st.lists(st.one_of(text, st.integers(), st.none(), st.booleans()), max_size=4).map(
        lambda values: pagination.encode(values, 2)
    ),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text("x ", min_size=3000, max_size=5000),  # huge, and many words
    st.just("\x00"),
    st.sampled_from(["scott-bessent", "tariffs", "geneva-talks-2025-05", "newest", "oldest"]),
)
names = st.one_of(st.sampled_from(NAMES), st.sampled_from(NAMES).map(lambda n: n + "[]"), text)
parameters = st.lists(st.tuples(names, values), max_size=6)  # repeats allowed: ?a=1&a=2


def query(pairs):
    data = QueryDict(mutable=True)
    for name, value in pairs:
        data.appendlist(name, value)
    return data


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(PATHS), pairs=parameters)
def test_no_parameters_give_a_server_error(seeded, client, path, pairs):
    response = client.get(f"{path}?{query(pairs).urlencode()}")
    assert response.status_code < 500, (path, pairs, response.status_code)
    if response.streaming:  # an export fails as it is written, if at all: write it all
        b"".join(response.streaming_content)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    path=st.sampled_from(["/quotes/", "/claims/", "/sources/bessent-fox-yahoo/", "/citations/1/"]),
    accept=st.one_of(
        text,
        st.lists(
            st.sampled_from(["text/html", "application/ld+json", "*/*", ";q=0", ";q=x", ",", " "]),
            max_size=8,
        ).map("".join),
        st.text(",;=q*/ ", min_size=3000, max_size=5000),
    ),
)
def test_no_accept_header_gives_a_server_error(seeded, client, path, accept):
    response = client.get(path, HTTP_ACCEPT=accept)
    assert response.status_code < 500, (path, accept)


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    kind=st.sampled_from(
        ["rounds", "issues", "officials", "quotes", "claims", "sources", "citations"]
    ),
    segment=st.one_of(text, st.integers(min_value=0, max_value=10**40).map(str)),
)
def test_no_address_gives_a_server_error(seeded, client, kind, segment):
    response = client.get(f"/{kind}/{segment}/".replace("//", "/x/"))
    assert response.status_code < 500, (kind, segment)


@pytest.mark.parametrize(
    "path, message",
    [
        ("/rounds/?year=0", "between 1900 and 2100"),
        ("/rounds/?year=-1", "between 1900 and 2100"),
        ("/rounds/?year=10000", "between 1900 and 2100"),
        ("/rounds/?year=99999999999999999999", "between 1900 and 2100"),
        ("/rounds/?year=2025.5", "between 1900 and 2100"),
        ("/search/?q=%00", "Null characters are not allowed"),
        ("/quotes/?speaker=%00", "Null characters are not allowed"),
        ("/quotes/?q=" + "+".join(["word"] * 1000), "at most 12 words"),
        ("/quotes/?q=" + "x" * 300, "at most 200 characters"),
        ("/search/?q=" + "+".join(["word"] * 1000), "at most 12 words"),
    ],
)
def test_input_that_gave_errors_or_ran_long_gets_a_clear_message(seeded, client, path, message):
    response = client.get(path)
    assert response.status_code == 200
    assert message in response.text


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    base=st.sampled_from(["/sources/bessent-fox-yahoo/", "/officials/scott-bessent/"]),
    segment=st.one_of(text, st.integers(min_value=-(10**40), max_value=10**40).map(str)),
)
def test_no_version_address_gives_a_server_error(seeded, client, base, segment):
    response = client.get(f"{base}versions/{segment}/".replace("//", "/x/"))
    assert response.status_code < 500, (base, segment)


@pytest.mark.parametrize(
    "number",
    [
        "0",
        "-1",
        "abc",
        "1.5",
        "1e3",
        "+1",
        "%20",
        "%00",
        "2147483648",
        "9999999999",
        "99999999999999999999",
        "1" * 400,
    ],
)
def test_a_version_number_that_names_no_version_is_not_found(seeded, client, number):
    quote = Quote.objects.published().order_by("pk").first()
    for base in (quote.get_absolute_url(), "/sources/bessent-fox-yahoo/"):
        for query in ("", "?format=json"):
            assert client.get(f"{base}versions/{number}/{query}").status_code == 404


@pytest.mark.parametrize("page", ["abc", "-1", "0", "10" * 30, "%00", "1.5"])
def test_a_history_page_number_that_names_no_page_gives_a_page(seeded, client, page):
    response = client.get(f"/sources/bessent-fox-yahoo/history/?page={page}&format=json")
    assert response.status_code == 200
    assert response.json()["results"]


def test_a_record_number_too_large_for_the_database_is_not_found(seeded, client):
    assert client.get("/quotes/99999999999999999999/").status_code == 404
    assert client.get("/claims/9223372036854775807/").status_code == 404


def test_a_statement_past_the_limit_is_stopped_and_answered_503(seeded, client):
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET statement_timeout = 50")
            slow = "SELECT pg_sleep(2)"
        else:
            connection.statement_clock.limit = 0.05
            slow = (
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) "
                "SELECT count(*) FROM n"
            )
        try:
            with pytest.raises(OperationalError) as stopped, transaction.atomic():
                cursor.execute(slow)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET statement_timeout = 5000")
            else:
                connection.statement_clock.limit = 5
    assert guards.stopped_for_time(stopped.value)
    response = guards.StatementLimitMiddleware(lambda r: None).process_exception(
        client.get("/").wsgi_request, stopped.value
    )
    assert response.status_code == 503 and b"took too long" in response.content


def test_reconnecting_keeps_one_statement_clock(seeded, client):
    # A worker reconnects to SQLite for each request; each must not wrap the connection again
    # (hundreds of wrappers deep, a worker's calls ran out of stack: RecursionError, 500s).
    # PostgreSQL limits statements by its own statement_timeout: no wrapper at all.
    if connection.vendor == "sqlite":
        for _ in range(30):
            connection.close()
            connection.ensure_connection()
    expected = [connection.statement_clock] if connection.vendor == "sqlite" else []
    assert connection.execute_wrappers == expected
