"""The checker against the record: verdicts, links to the marked passages, refusals, and a
fixed number of queries whatever the text's length or the number of quotes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations import checking
from negotiations.models import Citation, PublicationState, Quote
from tests.factories import cite, make_official, make_quote

# The five cases, on the seed: a verbatim quote, a reworded one, one given to the wrong
# official, reported speech and an invented quotation.
FIVE_CASES = """Trade talks resumed in Geneva this week.

“Nothing is agreed until we speak with President Trump,” Bessent said on Monday.

“Given the scale and complexity of the issues on the table, I think it is going to require leader-level intervention,” Bessent told reporters.

“It weaponizes ideology and national security under false pretenses,” said Scott Bessent.

Greer said the country is on track to reduce that deficit by $50 billion this year.

“We will lift every tariff on Chinese goods by Friday,” Mao Ning said.
"""


def verdicts(payload):
    return [(f["verdict"], f["words"][:30]) for f in payload["findings"]]


@pytest.mark.usefixtures("seeded")
def test_the_five_cases_on_the_seed():
    payload = checking.as_json(checking.check(FIVE_CASES))
    assert verdicts(payload) == [
        ("verbatim", "Nothing is agreed until we spe"),
        ("variant", "Given the scale and complexity"),
        ("misattributed", "It weaponizes ideology and nat"),
        ("reported", "the country is on track to red"),
        ("not_found", "We will lift every tariff on C"),
    ]
    assert payload["counts"] == {
        "verbatim": 1,
        "variant": 1,
        "misattributed": 1,
        "reported": 1,
        "not_found": 1,
    }
    verbatim, variant, misattributed, reported, invented = payload["findings"]
    recorded = Quote.objects.get(pk=verbatim["match"]["quote"]["id"])
    assert recorded.text.startswith("Nothing is agreed until we speak with President Trump")
    assert verbatim["match"]["quote"]["speaker"]["slug"] == "scott-bessent"
    citation = Citation.objects.get(pk=verbatim["match"]["citations"][0]["id"])
    assert citation.quote_id == recorded.pk
    assert verbatim["match"]["citations"][0]["url"] == (
        f"{citation.source.get_absolute_url()}#cite-{citation.pk}"
    )
    # The variant's diff shows both sides' words; the record's are the seed's.
    only_here = " ".join(p["text"] for p in variant["match"]["diff"] if p["kind"] == "only_here")
    only_there = " ".join(p["text"] for p in variant["match"]["diff"] if p["kind"] == "only_there")
    assert only_here.split() == ["it", "is", "leader"]
    assert only_there.split() == ["it's", "leadership"]  # normalised
    assert misattributed["attribution"]["official"]["slug"] == "scott-bessent"
    assert misattributed["match"]["quote"]["speaker"]["slug"] == "mao-ning"
    assert "Mao Ning" in misattributed["summary"]
    assert reported["kind"] == "reported"
    assert reported["match"]["quote"]["speaker"]["slug"] == "jamieson-greer"
    assert invented["match"] is None
    text = checking.check(FIVE_CASES).text
    for finding in payload["findings"]:
        assert text[finding["start"] : finding["end"]] == finding["words"]


@pytest.mark.django_db
def test_numbers_and_negations_are_compared_in_a_variant():
    speaker = make_official(name="Scott Bessent", slug="scott-bessent")
    cite(
        make_quote(
            speaker,
            text="We will cut the tariffs by 20 percent next year, not sooner",
            kind="direct",
        )
    )
    payload = checking.as_json(
        checking.check("“We will cut the tariffs by 30 percent next year, sooner,” Bessent said.")
    )
    (finding,) = payload["findings"]
    assert finding["verdict"] == "variant"
    assert finding["match"]["notes"] == [
        "Numbers differ: 30 here, 20 there.",
        "Negation differs: none here, not there.",
    ]


@pytest.mark.django_db
def test_a_pronoun_is_the_official_last_named_in_the_paragraph():
    speaker = make_official(name="Scott Bessent", slug="scott-bessent")
    cite(make_quote(speaker, text="The meetings were very constructive this week", kind="direct"))
    other = make_official(name="Mao Ning", slug="mao-ning")
    cite(make_quote(other, text="The ministry has no comment on the matter today", kind="direct"))
    text = (
        "Bessent spoke first. “We met for two days in Geneva,” Bessent said. He added: "
        "“The meetings were very constructive this week.”\n"
        "She said: “The ministry has no comment on the matter today.”"
    )
    findings = checking.as_json(checking.check(text))["findings"]
    assert [(f["verdict"], (f["attribution"] or {}).get("official")) for f in findings][1:] == [
        (
            "verbatim",
            {"name": "Scott Bessent", "slug": "scott-bessent", "url": "/officials/scott-bessent/"},
        ),
        ("verbatim", None),  # "She" names no one in a new paragraph: any speaker will do
    ]


@pytest.mark.django_db
def test_drafts_are_not_the_record():
    speaker = make_official(name="Scott Bessent")
    make_quote(speaker, text="Words only a draft holds about the soybean quota", kind="direct")
    (finding,) = checking.as_json(
        checking.check("“Words only a draft holds about the soybean quota,” Bessent said.")
    )["findings"]
    assert finding["verdict"] == "not_found"


@pytest.mark.django_db
def test_reported_speech_from_someone_the_record_does_not_know_is_not_checked():
    speaker = make_official(name="Scott Bessent")
    cite(make_quote(speaker, text="the talks had stalled over export controls", kind="paraphrase"))
    payload = checking.as_json(
        checking.check(
            "Smith said the talks had stalled over export controls.\n"
            "Bessent said the talks had stalled over the export controls."
        )
    )
    assert verdicts(payload) == [("reported", "the talks had stalled over the")]


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "empty"),
        ("   \n\t ", "empty"),
        ("PK\x03\x04\x00\x00binary", "binary"),
        ("".join(chr(c) for c in range(1, 32)) * 10, "binary"),
        ("a" * (checking.MAX_CHARACTERS + 1), "100,000"),
        (b"bytes", "plain text"),
    ],
)
def test_what_cannot_be_checked_is_refused_with_a_reason(text, message):
    with pytest.raises(checking.CheckRefused, match=message):
        checking.check(text)


@pytest.mark.django_db
def test_the_longest_text_allowed_is_checked_and_quotations_beyond_the_limit_are_counted():
    quotation = "“We will keep talking about soybeans,” Bessent said. "
    text = quotation * (checking.MAX_QUOTATIONS + 5)
    text += "x" * (checking.MAX_CHARACTERS - len(text))
    report = checking.check(text)
    assert len(report.findings) == checking.MAX_QUOTATIONS
    assert report.not_checked == 5


def queries(text):
    with CaptureQueriesContext(connection) as captured:
        checking.as_json(checking.check(text))
    return len(captured.captured_queries)


NAMES = ["Anna Alpha", "Bert Beta", "Carl Gamma"]


def quotations(n):
    return "\n".join(
        f"“Statement number {i} on the soybean purchases and tariffs,” {NAMES[i % 3]} said."
        for i in range(n)
    )


@pytest.mark.django_db
def test_queries_are_fixed_whatever_the_number_of_quotes_or_quotations():
    speakers = [make_official(name=name) for name in NAMES]

    def record(n):
        for i in range(n):
            quote = make_quote(
                speakers[i % 3],
                text=f"Statement number {i} on the soybean purchases and tariffs",
                kind="direct",
                state=PublicationState.PUBLISHED,
            )
            cite(quote)

    record(5)
    findings = checking.as_json(checking.check(quotations(5)))["findings"]
    assert [f["verdict"] for f in findings] == ["verbatim"] * 5
    assert [f["attribution"]["official"]["name"] for f in findings] == NAMES + NAMES[:2]
    few = queries(quotations(2)), queries(quotations(20))
    record(45)
    many = queries(quotations(2)), queries(quotations(20))
    assert few == many == (5, 5)


@pytest.mark.usefixtures("seeded")
def test_reported_speech_is_matched_against_statements_summaries():
    payload = checking.as_json(
        checking.check(
            "Bessent said the talks had stalled.\n"
            "Bessent said that nothing would be agreed until President Trump approved it.\n"
            "Bessent said the weather in Geneva was lovely all week."
        )
    )
    stalled, agreed, weather = payload["findings"]
    assert [f["verdict"] for f in payload["findings"]] == ["reported", "reported", "not_found"]
    assert "talks have stalled" in stalled["match"]["statement"]["summary"]
    assert stalled["summary"].startswith("Consistent with what the record has Scott Bessent")
    assert "nothing is agreed until President Trump" in agreed["match"]["statement"]["summary"]
    assert weather["match"] is None


@pytest.mark.usefixtures("seeded")
def test_two_words_changed_in_a_quotation_of_thirteen_is_a_variant():
    (finding,) = checking.as_json(
        checking.check(
            "“The Chinese will engage seriously once they know President Trump is really "
            "involved,” Bessent said."
        )
    )["findings"]
    assert finding["verdict"] == "variant"
    assert finding["match"]["quote"]["speaker"]["slug"] == "scott-bessent"
