"""The quote checker's pages through HTTP: /check/ (the form and its JSON API), a kept report
(/check/<key>/) and its embeddable summary, on the real database with the seed's records.

The issue's five cases (one verbatim seed quote, one reworded, one misattributed, one piece of
reported speech and one invented quotation) are checked in the page and in JSON; then every bad
input, kept reports with and without their text, the embed's headers, and the query count.
"""

import json
import re

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations import checking
from negotiations.models import ChangeStamp, CheckReport, Citation, Quote
from negotiations.services import derivation
from tests.factories import cite, make_official, make_quote

pytestmark = pytest.mark.django_db

VERBATIM = (
    "Given the scale and complexity of the issues on the table, I think it’s going to "
    "require leadership-level intervention,"
)
FIVE_CASES = (
    "Washington, May 2025. The talks have slowed. "
    f"“{VERBATIM}” Bessent said on Fox News.\n\n"
    "“The Chinese will engage seriously when they know President Trump is really involved,” "
    "Bessent said.\n\n"
    "“His signals carry weight in Beijing,” Mao Ning said.\n\n"
    "Greer said the country is on track to reduce that deficit by $50 billion this year.\n\n"
    "“We will remove every tariff on Chinese goods by Friday,” Greer said.\n"
)
EXPECTED = ["verbatim", "variant", "misattributed", "reported", "not_found"]


def post_json(client, data, path="/check/"):
    return client.post(path, data=json.dumps(data), content_type="application/json")


def post_form(client, text, *, keep=True, share_text=False, path="/check/", **extra):
    data = {"text": text, **({"keep": "on"} if keep else {})}
    if share_text:
        data["share_text"] = "on"
    return client.post(path, data, **extra)


def payload_of(client, text=FIVE_CASES):
    return post_json(client, {"text": text}).json()


def page(response):
    return Page(lxml.html.fromstring(response.content))


SIMPLE = re.compile(r"(?P<tag>\w+)?(?P<rest>(?:[.#][\w-]+|\[[^\]]+\])*)")
PART = re.compile(r"\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|\[(?P<attr>[\w-]+)(?:=(?P<value>[^\]]+))?\]")


def xpath_of(selector):
    """The XPath of a small subset of CSS (tags, classes, ids, attributes, descendants): what
    these tests ask of a page, without another dependency."""
    steps = []
    for simple in selector.split():
        match = SIMPLE.fullmatch(simple)
        assert match, simple
        tests = []
        for part in PART.finditer(match["rest"]):
            if part["cls"]:
                tests.append(
                    f"contains(concat(' ', normalize-space(@class), ' '), ' {part['cls']} ')"
                )
            elif part["id"]:
                tests.append(f"@id='{part['id']}'")
            elif part["value"] is not None:
                tests.append(f"@{part['attr']}='{part['value'].strip(chr(39))}'")
            else:
                tests.append(f"@{part['attr']}")
        steps.append((match["tag"] or "*") + "".join(f"[{t}]" for t in tests))
    return ".//" + "//".join(steps)


class Page:
    """An element, with ``cssselect`` in the subset above."""

    def __init__(self, element):
        self.element = element

    def cssselect(self, selector):
        return [Page(found) for found in self.element.xpath(xpath_of(selector))]

    def __getattr__(self, name):
        return getattr(self.element, name)


def words(element):
    return " ".join(element.text_content().split())


def shown_findings(tree):
    return [
        (item.get("data-verdict"), words(item.cssselect(".check-verdict")[0]))
        for item in tree.cssselect("li.check-finding")
    ]


def shown_counts(tree):
    return {
        item.get("data-verdict"): int(item.get("data-count"))
        for item in tree.cssselect(".check-report .check-count")
    }


class TestTheFiveCases:
    def test_json_reports_each_case_with_its_verdict(self, seeded, client):
        response = post_json(client, {"text": FIVE_CASES})
        assert response.status_code == 200, response.content
        payload = response.json()
        verdicts = [finding["verdict"] for finding in payload["findings"]]
        assert verdicts == EXPECTED
        assert payload["counts"] == {name: 1 for name in checking.VERDICTS} | {
            v: payload["counts"][v] for v in payload["counts"] if v not in EXPECTED
        }
        assert payload["report"] is None  # the API keeps nothing unless asked
        for finding in payload["findings"]:
            assert finding["label"] == checking.VERDICTS[finding["verdict"]]
            # The offsets are code points of the text as sent: the quoted words are there.
            quoted = FIVE_CASES[finding["start"] : finding["end"]]
            if finding["kind"] == "quotation":
                assert quoted == finding["words"]

        verbatim, variant, misattributed, reported, invented = payload["findings"]
        quote = Quote.objects.published().get(text=VERBATIM)
        assert verbatim["match"]["quote"]["id"] == quote.pk
        assert verbatim["match"]["quote"]["speaker"]["slug"] == "scott-bessent"
        expected_links = {c.get_absolute_url() for c in Citation.objects.filter(quote=quote)}
        assert {c["url"] for c in verbatim["match"]["citations"]} == expected_links
        kinds = {piece["kind"] for piece in variant["match"]["diff"]}
        assert {"only_here", "only_there"} <= kinds
        assert misattributed["attribution"]["as_written"] == "Mao Ning"
        assert misattributed["match"]["quote"]["speaker"]["slug"] == "scott-bessent"
        assert reported["kind"] == "reported"
        assert invented["match"] is None

    def test_the_page_reports_each_case_in_words_with_links(self, seeded, client):
        response = post_form(client, FIVE_CASES, keep=False)
        assert response.status_code == 200
        tree = page(response)
        findings = shown_findings(tree)
        assert [verdict for verdict, _label in findings] == EXPECTED
        # The verdict is said in words, not only by a colour.
        assert [label for _verdict, label in findings] == [checking.VERDICTS[v] for v in EXPECTED]
        assert shown_counts(tree) == {name: 1 for name in checking.VERDICTS}
        verbatim, variant, misattributed, reported, invented = tree.cssselect("li.check-finding")
        quote = Quote.objects.published().get(text=VERBATIM)
        links = {a.get("href") for a in verbatim.cssselect("a")}
        assert quote.get_absolute_url() in links and "/officials/scott-bessent/" in links
        assert {c.get_absolute_url() for c in Citation.objects.filter(quote=quote)} <= links
        # The reworded quotation: the word diff, in the quote page's markup.
        assert variant.cssselect(".check-diff mark.diff")
        assert "Mao Ning" in words(misattributed)
        assert "Scott Bessent" in words(misattributed)
        # Its words are the record's but for the comma before the closing mark: no diff shown.
        assert not misattributed.cssselect(".check-diff")
        # The reported speech matches a reporter's paraphrase: never shown as a quotation.
        paraphrase = Quote.objects.get(pk=payload_of(client)["findings"][3]["match"]["quote"]["id"])
        assert paraphrase.kind == "paraphrase"
        assert f"“{paraphrase.text}”" not in response.text
        assert paraphrase.text in words(reported)
        assert not invented.cssselect(".check-match")
        # The form keeps the text; the text is shown with each quotation marked and linked.
        assert tree.cssselect("textarea#check-text")[0].text_content().strip() == FIVE_CASES.strip()
        marks = tree.cssselect(".check-text a.check-mark")
        assert [a.get("href") for a in marks] == [f"#finding-{n}" for n in range(1, 6)]
        assert words(marks[0].cssselect("mark")[0]) == " ".join(VERBATIM.split())
        assert tree.cssselect("#finding-1 a[href='#quoted-1']")
        # Nothing kept: no permanent link offered.
        assert not tree.cssselect(".check-kept")
        assert not CheckReport.objects.exists()

    def test_a_kept_report_says_the_same_in_the_page_and_in_json(self, seeded, client):
        response = post_json(client, {"text": FIVE_CASES, "keep": True})
        report = response.json()["report"]
        assert report["url"] == f"/check/{report['key']}/"
        assert report["embed_url"] == f"/check/{report['key']}/embed/"
        kept = client.get(report["url"] + "?format=json").json()
        assert [f["verdict"] for f in kept["findings"]] == EXPECTED
        assert kept["report"] == report and kept["text"] is None
        tree = page(client.get(report["url"]))
        assert [verdict for verdict, _label in shown_findings(tree)] == EXPECTED


def test_a_quotation_with_two_words_changed_is_a_variant(seeded, client):
    # Found nothing between fc14ae2 and bb87e8b (the engine's quotations then).
    text = (
        "“The Chinese will engage seriously once they know President Trump is really "
        "involved,” Bessent said."
    )
    (finding,) = payload_of(client, text)["findings"]
    assert finding["verdict"] == "variant"


class TestTheForm:
    def test_the_form_and_its_defaults(self, client):
        response = client.get("/check/")
        assert response.status_code == 200
        tree = page(response)
        assert tree.cssselect("title")[0].text_content().startswith("Check quotations ·")
        assert words(tree.cssselect("h1")[0]) == "Check quotations"
        form = tree.cssselect("form.check-form")[0]
        assert form.get("method") == "post"
        assert form.cssselect("input[name=csrfmiddlewaretoken]")
        assert form.cssselect("label[for=check-text]") and form.cssselect("textarea#check-text")
        assert form.cssselect("#check-keep")[0].get("checked") is not None
        assert form.cssselect("#check-share-text")[0].get("checked") is None
        assert "kept" in words(form.cssselect("#check-kept-note")[0])
        # Every page links to it; on its own page the link is the current one.
        nav = tree.cssselect("nav[aria-label=Main] a[aria-current=page]")
        assert [words(a) for a in nav] == ["Check quotes"]
        assert "Check quotes" in client.get("/").text

    def test_the_html_form_keeps_csrf_protection(self, client):
        strict = type(client)(enforce_csrf_checks=True)
        assert strict.post("/check/", {"text": FIVE_CASES}).status_code == 403
        # The API uses no session and no login: no token needed.
        response = strict.post(
            "/check/", json.dumps({"text": "“x,” he said."}), content_type="application/json"
        )
        assert response.status_code == 200
        assert strict.post("/check/?format=json", {"text": "“x,” he said."}).status_code == 200

    def test_a_kept_report_from_the_form_offers_its_link_and_embed(self, seeded, client):
        response = post_form(client, FIVE_CASES, keep=True)
        report = CheckReport.objects.get()
        assert report.text == "" and not report.text_shared
        assert report.characters == len(FIVE_CASES)
        tree = page(response)
        link = tree.cssselect(".check-kept a.check-permalink")[0]
        assert link.get("href") == f"/check/{report.key}/"
        snippet = tree.cssselect("textarea#check-embed-code")[0].text_content()
        assert f'src="http://testserver/check/{report.key}/embed/"' in snippet
        assert snippet.startswith("<iframe ")

    def test_crlf_line_breaks_from_a_browser_are_checked_as_lf(self, seeded, client):
        text = FIVE_CASES.replace("\n", "\r\n")
        response = post_form(client, text, keep=True, share_text=True)
        assert response.status_code == 200
        assert CheckReport.objects.get().text == FIVE_CASES


class TestBadInput:
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "   \n\t ",
            "PK\x03\x04\x00\x00binary\x00zip",
            "\x01\x02\x03\x04\x05\x06\x07\x08" * 200,
            "x" * (checking.MAX_CHARACTERS + 1),
        ],
        ids=["empty", "blank", "nul-bytes", "control-characters", "over-the-limit"],
    )
    def test_refused_texts_get_the_engines_message(self, client, text):
        try:
            checking.check(text)
        except checking.CheckRefused as refusal:
            message = str(refusal)
        else:
            pytest.fail(f"the engine checked {text[:20]!r}")
        api = post_json(client, {"text": text})
        assert api.status_code == 400
        assert api.json() == {"errors": [message]}
        response = post_form(client, text)
        assert response.status_code == 400
        tree = page(response)
        assert message in words(tree.cssselect("#check-errors")[0])
        assert tree.cssselect("textarea#check-text")[0].get("aria-invalid") == "true"
        assert not tree.cssselect(".check-report")
        assert not CheckReport.objects.exists()

    def test_a_binary_file_uploaded_as_the_text(self, client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
        upload = SimpleUploadedFile("photo.png", png, content_type="image/png")
        response = client.post("/check/?format=json", {"text": upload})
        assert response.status_code == 400
        assert response.json()["errors"]
        upload = SimpleUploadedFile("photo.png", png, content_type="image/png")
        response = client.post("/check/", {"text": upload})
        assert response.status_code == 400
        assert page(response).cssselect("#check-errors")

    def test_a_text_file_uploaded_as_the_text_is_checked(self, seeded, client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("draft.txt", FIVE_CASES.encode(), content_type="text/plain")
        response = client.post("/check/?format=json", {"text": upload})
        assert response.status_code == 200
        assert [f["verdict"] for f in response.json()["findings"]] == EXPECTED

    @pytest.mark.parametrize(
        "body, message",
        [
            (b"[1, 2]", "must be a JSON object"),
            (b'"text"', "must be a JSON object"),
            (b"null", "must be a JSON object"),
            (b"{not json", "not valid JSON"),
            (b'{"text": 42}', "“text” must be a string"),
            (b'{"text": ["a"]}', "“text” must be a string"),
            (b'{"text": null}', "“text” must be a string"),
            (b'{"text": "x", "keep": "yes"}', "“keep” must be true or false"),
            (b'{"text": "x", "share_text": 1}', "“share_text” must be true or false"),
            (b'{"text": "caf\xe9"}', "not UTF-8"),
            (b"\xff\xfe{\x00}\x00", "not UTF-8"),
        ],
    )
    def test_json_that_cannot_be_read_is_a_400_saying_why(self, client, body, message):
        response = client.post("/check/", data=body, content_type="application/json")
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert any(message in error for error in errors), errors

    def test_a_form_body_that_is_not_utf8(self, client):
        body = b"text=%E9t%E9+%22Bessent%22&keep=on"  # Latin-1 bytes, percent-encoded
        kind = "application/x-www-form-urlencoded"
        api = client.post("/check/?format=json", data=body, content_type=kind)
        assert api.status_code == 400 and "not UTF-8" in api.json()["errors"][0]
        response = client.post("/check/", data=body, content_type=kind)
        assert response.status_code == 400 and "not UTF-8" in response.text

    def test_a_body_too_large_to_read(self, client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
        response = post_json(client, {"text": "x" * 2000})
        assert response.status_code == 400
        assert "too large" in response.json()["errors"][0]

    def test_a_get_with_a_huge_query_string(self, client):
        huge = "&".join(f"text{n}={'x' * 50}" for n in range(2000))
        assert client.get(f"/check/?{huge}").status_code < 500
        response = client.get("/check/?text=" + "x" * 200_000)
        assert response.status_code == 200
        assert "x" * 1000 not in response.text  # a GET checks nothing and echoes nothing

    def test_other_formats_and_methods(self, client):
        assert client.get("/check/?format=csv").status_code == 400
        response = client.get("/check/?format=json")
        assert response.status_code == 405 and "POST" in response.json()["errors"][0]
        assert client.put("/check/").status_code == 405


class TestKeptReports:
    def test_kept_without_text(self, seeded, client):
        report = post_json(client, {"text": FIVE_CASES, "keep": True}).json()["report"]
        kept = CheckReport.objects.get(key=report["key"])
        assert kept.text == "" and kept.text_shared is False
        response = client.get(report["url"])
        assert response.status_code == 200
        tree = page(response)
        assert not tree.cssselect(".check-text")  # the text was not shared
        assert "Mao Ning" in response.text  # the quotations found are part of the findings
        assert "The talks have slowed" not in response.text  # the rest of the text is not
        assert client.get(report["url"] + "?format=json").json()["text"] is None

    def test_kept_with_text(self, seeded, client):
        data = {"text": FIVE_CASES, "keep": True, "share_text": True}
        report = post_json(client, data).json()["report"]
        assert CheckReport.objects.get(key=report["key"]).text == FIVE_CASES
        tree = page(client.get(report["url"]))
        text = tree.cssselect(".check-text")[0]
        assert len(text.cssselect("a.check-mark")) == 5
        for number in text.cssselect("sup.check-mark-number"):
            number.drop_tree()
        assert text.text_content() == FIVE_CASES  # as written, line breaks and all
        assert client.get(report["url"] + "?format=json").json()["text"] == FIVE_CASES

    def test_the_report_page(self, seeded, client):
        report = post_json(client, {"text": FIVE_CASES, "keep": True}).json()["report"]
        response = client.get(report["url"])
        tree = page(response)
        assert tree.cssselect("title")[0].text_content().startswith("Quote check report ·")
        assert tree.cssselect("meta[name=robots]")[0].get("content") == "noindex"
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert "Set-Cookie" not in response.headers and not response.cookies
        snippet = tree.cssselect("textarea#check-embed-code")[0].text_content()
        assert f"http://testserver{report['embed_url']}" in snippet
        # The rest of the site is not framed by others.
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]

    def test_the_embed_may_be_framed_by_any_site(self, seeded, client):
        report = post_json(client, {"text": FIVE_CASES, "keep": True}).json()["report"]
        response = client.get(report["embed_url"])
        assert response.status_code == 200
        assert "X-Frame-Options" not in response.headers
        policy = response.headers["Content-Security-Policy"]
        assert "frame-ancestors *" in policy and "script-src 'self'" in policy
        assert response.headers["X-Robots-Tag"] == "noindex"
        assert "Set-Cookie" not in response.headers and not response.cookies
        tree = page(response)
        assert shown_counts_in(tree) == {name: 1 for name in checking.VERDICTS}
        link = tree.cssselect("a[target=_blank]")[0]
        assert link.get("href") == report["url"] and link.get("rel") == "noopener"
        assert not tree.cssselect("nav")  # compact: no site header

    @pytest.mark.parametrize("suffix", ["", "embed/", "?format=json"])
    def test_an_unknown_key_is_a_404(self, client, suffix):
        response = client.get(f"/check/no-such-key/{suffix}")
        assert response.status_code == 404
        if suffix == "?format=json":
            assert response.json()["errors"]

    def test_keeping_leaves_the_change_stamp_and_deleting_moves_it(
        self, seeded, client, django_capture_on_commit_callbacks
    ):
        before = ChangeStamp.objects.current().counter
        with django_capture_on_commit_callbacks(execute=True):
            report = post_json(client, {"text": FIVE_CASES, "keep": True}).json()["report"]
        # A reader's report is not a change of the record: every cached page stays.
        assert ChangeStamp.objects.current().counter == before
        with django_capture_on_commit_callbacks(execute=True):
            CheckReport.objects.filter(key=report["key"]).delete()  # the shell's way
        # Its page may be kept by caches under the stamp: moved on, it is gone everywhere.
        assert ChangeStamp.objects.current().counter == before + 1
        assert client.get(report["url"]).status_code == 404


def shown_counts_in(tree):
    return {
        item.get("data-verdict"): int(item.get("data-count"))
        for item in tree.cssselect(".check-count")
    }


def grow(speaker, start, stop):
    """Published quotes ``start`` to ``stop``, each cited: the base the checker looks in."""
    with derivation.deferred():
        for n in range(start, stop):
            cite(make_quote(speaker=speaker, text=f"the talks number {n} were quite stalled"))


def test_the_query_count_of_check_does_not_grow_with_the_base(client):
    text = "“the talks number 3 were quite stalled,” Bessent said. Bessent said it had stalled."
    speaker = make_official(name="Scott Bessent", slug="scott-bessent")

    def queries(data):
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/check/", json.dumps(data), content_type="application/json")
        assert response.status_code == 200, response.content
        return len(captured)

    grow(speaker, 0, 5)
    small = [queries({"text": text}), queries({"text": text, "keep": True})]
    grow(speaker, 5, 50)
    large = [queries({"text": text}), queries({"text": text, "keep": True})]
    assert small == large
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/check/", {"text": text, "keep": "on"})
    assert response.status_code == 200
    assert len(captured) == large[1]  # the page costs what the API does
