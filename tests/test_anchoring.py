"""Finding a pasted passage in stored text (pure text work, no database)."""

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from negotiations.anchoring import (
    CONTEXT_LENGTH,
    AmbiguousPassage,
    AnchorError,
    PassageNotFound,
    find_passage,
    locate,
    make_anchor,
    text_fragment,
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


def test_the_closest_passage_is_whole_words():
    text = "He said: “China again urges the U.S. to immediately correct its wrong practices.”"
    with pytest.raises(PassageNotFound) as error:
        find_passage(text, "China urges the US to correct its wrong practices")
    closest = error.value.closest
    assert closest in text
    assert closest.split()[0] in text.split() and closest.split()[-1] in text.split()


@pytest.mark.parametrize("marks", ["“”", '""', "«»", "‘’"])
def test_the_closest_passage_is_quoted_once(marks):
    """The closest passage often starts or ends with the text's own quotation marks; the
    message, which puts it in quotation marks, showed them doubled: “"China … practices."”."""
    opening, closing = marks
    text = f"He said: {opening}China again urges the U.S. to correct its practices.{closing} Then"
    with pytest.raises(PassageNotFound) as error:
        find_passage(text, "China again urges the U.S. to correct its bad practices.")
    assert str(error.value).endswith(
        "The closest passage found is: “China again urges the U.S. to correct its practices.”"
    )


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
    assert not found.approximate
    assert edited[found.anchor.start : found.anchor.end] == "a bit stalled"
    assert locate(TEXT.replace("a bit stalled", "moving"), anchor) is None


def test_make_anchor_refuses_an_empty_span():
    with pytest.raises(AnchorError):
        make_anchor(TEXT, 3, 3)


def test_non_ascii_passage_keeps_its_offsets():
    text = "中方首席谈判代表李成钢表示，双方将继续沟通。Li Chenggang (李成钢) spoke."
    anchor = find_passage(text, "李成钢表示")
    assert text[anchor.start : anchor.end] == "李成钢表示"
    assert find_passage(text, "(李成钢)").exact == "(李成钢)"


def test_locate_survives_an_edit_after_the_passage():
    anchor = find_passage(TEXT, "a bit stalled")
    edited = TEXT + " A correction was appended."
    assert locate(edited, anchor).anchor == anchor


def test_locate_picks_the_occurrence_with_its_context_then_the_nearest():
    text = "Talks stalled. Xi spoke. Talks stalled. Trump spoke."
    second = find_passage(text, "Talks stalled", prefix="Xi spoke. ")
    edited = "Update. " + text
    found = locate(edited, second).anchor
    assert found.start == edited.index("Talks stalled", edited.index("Xi spoke"))


def test_edited_words_are_found_only_approximately_never_as_the_passage():
    anchor = find_passage(TEXT, "a bit stalled")
    edited = TEXT.replace("a bit stalled", "a bit stuck")
    found = locate(edited, anchor)
    assert found.approximate  # for an editor to accept or refuse, never taken as it is
    assert edited[found.anchor.start : found.anchor.end] == "a bit stuck"


# Property: a passage is found again after any edit that leaves it and its surroundings alone.
alphabet = st.sampled_from(list("abcdefghijklmnopqrstuvwxyz    .,—“”'李成钢\n"))
words = st.text("abcdefghijklmnopqrstuvwxyz李成钢’", min_size=1, max_size=10)
separators = st.sampled_from([" ", ", ", ". ", " — ", "\n", " “", "” ", "  "])
prose = st.lists(st.tuples(words, separators), min_size=10, max_size=60).map(
    lambda pairs: "".join(word + sep for word, sep in pairs)
)


@given(text=prose, data=st.data())
@settings(max_examples=300, deadline=None)
def test_a_passage_is_found_again_after_unrelated_edits(text, data):
    start = data.draw(st.integers(0, len(text) - 12), label="start")
    end = data.draw(st.integers(start + 12, min(len(text), start + 60)), label="end")
    if not text[start:end].strip():
        return
    anchor = make_anchor(text, start, end)
    before = data.draw(st.text(alphabet, max_size=50), label="inserted before")
    after = data.draw(st.text(alphabet, max_size=50), label="inserted after")
    cut_before = data.draw(st.integers(0, max(0, start - CONTEXT_LENGTH)), label="cut before")
    # The edits: text removed far before the passage, text inserted at both ends.
    edited = before + text[cut_before:start] + text[start:end] + text[end:] + after
    relocation = locate(edited, anchor)
    assert relocation is not None and not relocation.approximate
    found = relocation.anchor
    assert found.exact == anchor.exact
    assert edited[found.start : found.end] == anchor.exact
    true_start = len(before) + start - cut_before
    if _distinguishable(edited, anchor, true_start):
        assert found.start == true_start
    else:
        event("passage repeated: any copy will do (context is tested separately)")


def _distinguishable(text, anchor, true_start):
    """Whether the passage occurs once in the text (counting overlapping occurrences)."""
    occurrences = [i for i in range(len(text)) if text.startswith(anchor.exact, i)]
    return occurrences == [true_start]


def test_a_short_passage_is_one_text_fragment():
    assert text_fragment("somewhat  deadlocked") == "#:~:text=somewhat%20deadlocked"


def test_a_long_passage_is_its_first_and_last_words():
    passage = "one two three four five six seven eight nine ten"
    assert text_fragment(passage) == "#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"


def test_dashes_and_commas_are_escaped_so_the_fragment_stays_one_directive():
    assert text_fragment("tit-for-tat, again") == "#:~:text=tit%2Dfor%2Dtat%2C%20again"
    assert text_fragment("   ") == ""
