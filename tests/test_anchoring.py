"""Finding a pasted passage in stored text (pure text work, no database)."""

import pytest

from negotiations.anchoring import (
    AmbiguousPassage,
    AnchorError,
    PassageNotFound,
    find_passage,
    locate,
    make_anchor,
)

TEXT = "Bessent said talks were “a bit stalled,” and Li Chenggang (李成钢) — China’s negotiator — agreed."


def test_exact_passage():
    anchor = find_passage(TEXT, "a bit stalled")
    assert TEXT[anchor.start : anchor.end] == "a bit stalled"
    assert anchor.prefix.endswith("talks were “")
    assert anchor.suffix.startswith(",” and")


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ('"a bit stalled,"', "“a bit stalled,”"),
        ("“a  bit\nstalled,”", "“a bit stalled,”"),
        (
            "Li Chenggang (李成钢) - China's negotiator",
            "Li Chenggang (李成钢) — China’s negotiator",
        ),
        ("\u00a0李成钢 ", "李成钢"),
    ],
)
def test_tolerates_quotes_dashes_and_whitespace(pasted, expected):
    anchor = find_passage(TEXT, pasted)
    assert anchor.exact == expected
    assert TEXT[anchor.start : anchor.end] == expected


def test_passage_at_start_and_end():
    assert find_passage(TEXT, "Bessent said").start == 0
    assert find_passage(TEXT, "agreed.").end == len(TEXT)


def test_missing_passage_shows_the_closest():
    with pytest.raises(PassageNotFound) as error:
        find_passage(TEXT, "Li Chenggang (李成钢) — China’s chief negotiator")
    assert "Li Chenggang" in error.value.closest


def test_repeated_passage_needs_context():
    text = "The talks stalled. Then the talks stalled again."
    with pytest.raises(AmbiguousPassage):
        find_passage(text, "talks stalled")
    assert find_passage(text, "talks stalled", prefix="Then the").start == text.rindex(
        "talks stalled"
    )
    assert find_passage(text, "talks stalled", suffix=". Then").start == text.index("talks stalled")


def test_empty_passage_is_refused():
    with pytest.raises(AnchorError):
        find_passage(TEXT, "   ")


def test_locate_survives_an_edit_before_the_passage():
    anchor = find_passage(TEXT, "a bit stalled")
    edited = "UPDATED: " + TEXT
    found = locate(edited, anchor)
    assert edited[found.start : found.end] == "a bit stalled"
    assert locate(TEXT.replace("a bit stalled", "moving"), anchor) is None


def test_make_anchor_refuses_an_empty_span():
    with pytest.raises(AnchorError):
        make_anchor(TEXT, 3, 3)
