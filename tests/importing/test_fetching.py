"""Fetching a page for import: only http(s), bounded in time and size, redirects followed and
checked hop by hop, private addresses refused unless allowed, the checked address connected to."""

import ipaddress

import pytest
from django.test import override_settings

from negotiations import fetching
from tests.importing.conftest import BIG


def refused(url):
    with pytest.raises(fetching.FetchError) as refusal:
        fetching.fetch(url)
    return str(refusal.value)


def test_a_page_is_fetched_with_what_the_server_said(pages_server):
    page = fetching.fetch(f"{pages_server}/world/london-talks.html")
    assert page.status == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert page.final_url == page.requested_url == f"{pages_server}/world/london-talks.html"
    assert b"Lancaster House" in page.content


def test_redirects_are_followed_and_the_final_address_kept(pages_server):
    page = fetching.fetch(f"{pages_server}/short/london")
    assert page.requested_url == f"{pages_server}/short/london"
    assert page.final_url == f"{pages_server}/world/london-talks.html"


def test_endless_redirects_stop(pages_server):
    assert "redirects more than 5 times" in refused(f"{pages_server}/loop")


def test_a_redirect_to_another_scheme_is_refused(pages_server):
    assert "Only http and https" in refused(f"{pages_server}/to-ftp")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/a.html", "file:///etc/passwd", "javascript:alert(1)", "gopher://x"]
)
def test_other_schemes_are_refused(url):
    assert "Only http and https addresses can be imported" in refused(url)


@pytest.mark.parametrize(
    ("path", "kind"), [("/report.pdf", "application/pdf"), ("/chart.png", "image/png")]
)
def test_a_non_html_answer_is_refused(pages_server, path, kind):
    message = refused(pages_server + path)
    assert f"The address gives {kind}, not a web page" in message


@pytest.mark.parametrize(("path", "status"), [("/missing.html", 404), ("/broken.html", 500)])
def test_an_error_status_is_refused(pages_server, path, status):
    assert f"The server answered {status}" in refused(pages_server + path)


@pytest.mark.parametrize("path", ["/big.html", "/big-unannounced.html"])
def test_an_oversized_page_is_refused(pages_server, path):
    with override_settings(IMPORT_MAX_BYTES=BIG // 3):
        assert "The page is larger than 100,000 bytes" in refused(pages_server + path)


def test_a_slow_server_times_out(pages_server):
    with override_settings(IMPORT_TIMEOUT=0.5):
        assert "did not answer within 0.5 seconds" in refused(f"{pages_server}/slow.html")


def test_an_unknown_host_is_said_so():
    assert "was not found" in refused("http://no-such-host.invalid/article.html")


@override_settings(IMPORT_ALLOW_PRIVATE_ADDRESSES=False)
def test_a_loopback_address_is_refused_when_not_allowed(pages_server):
    message = refused(f"{pages_server}/world/london-talks.html")
    assert "leads to a loopback address (127.0.0.1)" in message
    assert "upload it" in message


@override_settings(IMPORT_ALLOW_PRIVATE_ADDRESSES=False)
def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(fetching, "resolve", lambda host, port: ["93.184.215.14", "10.1.2.3"])
    assert "private network address (10.1.2.3)" in refused("http://news.example/article")


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.8", "private"),
        ("172.16.4.4", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "reserved"),
        ("240.0.0.1", "reserved"),
    ],
)
def test_addresses_behind_the_server_are_named(address, reason):
    assert reason in fetching.refused_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::6810:85e5", "8.8.8.8"])
def test_public_addresses_pass(address):
    assert fetching.refused_address(ipaddress.ip_address(address)) is None


def test_the_connection_goes_to_the_address_checked(pages_server, monkeypatch):
    """The name is resolved once and the checked address connected to: a second answer (DNS
    rebinding) is never asked for. The Host header keeps the name."""
    port = pages_server.rsplit(":", 1)[1]
    answers = []

    def resolve(host, port):
        answers.append(host)
        return ["127.0.0.1"] if len(answers) == 1 else ["10.9.9.9"]

    monkeypatch.setattr(fetching, "resolve", resolve)
    page = fetching.fetch(f"http://talks.example:{port}/world/london-talks.html")
    assert answers == ["talks.example"]
    assert b"Lancaster House" in page.content
