"""A passage selected in a source's stored text: code-point offsets (a character outside the BMP
counts once, as in Python), the passage and its context read from the stored text, bad offsets
refused with a message; and the anchor taken at the selected offsets without a search."""

import pytest

from negotiations import anchoring
from negotiations.selection import SelectionError, from_query, select
from tests.factories import make_source

pytestmark = pytest.mark.django_db

# “📈” and “𝐔𝐒” are outside the BMP: two UTF-16 units each in a browser, one character here.
BODY = (
    "📈 Markets rose. 𝐔𝐒 Treasury Secretary Scott Bessent said: “We are not going to lower "
    "tariffs until we see verifiable progress.”\n\nNo joint statement was issued."
)
PASSAGE = "We are not going to lower tariffs"


def test_offsets_are_code_points_and_the_passage_is_read_from_the_stored_text():
    source = make_source(body=BODY)
    start = BODY.index(PASSAGE)
    assert start == len("📈 Markets rose. 𝐔𝐒 Treasury Secretary Scott Bessent said: “")
    assert start != len(BODY[:start].encode("utf-16-le")) // 2  # a browser counts 3 more
    passage = from_query(f"{source.pk}:{start}:{start + len(PASSAGE)}")
    assert passage.anchor.exact == PASSAGE
    assert passage.anchor.prefix == BODY[start - anchoring.CONTEXT_LENGTH : start]
    assert passage.anchor.suffix == BODY[start + len(PASSAGE) :][: anchoring.CONTEXT_LENGTH]
    assert passage.query == f"{source.pk}:{start}:{start + len(PASSAGE)}"
    assert passage.citation_initial["selected_start"] == start


def test_white_space_at_the_edges_of_a_selection_is_left_out():
    source = make_source(body=BODY)
    start = BODY.index("\n\nNo joint")
    passage = select(source=source, start=start, end=start + len("\n\nNo joint "))
    assert passage.anchor.exact == "No joint"
    assert passage.anchor.start == start + 2


def test_a_quote_prints_the_words_inside_the_quotation_marks():
    source = make_source(body=BODY)
    start = BODY.index("Bessent said")
    end = BODY.index("progress.”") + len("progress.”")
    assert select(source=source, start=start, end=end).quoted_words == (
        "We are not going to lower tariffs until we see verifiable progress."
    )
    start = BODY.index("“We are")
    assert select(source=source, start=start, end=end).quoted_words.startswith("We are")
    start = BODY.index("No joint")
    assert select(source=source, start=start, end=len(BODY)).quoted_words == (
        "No joint statement was issued."
    )


@pytest.mark.parametrize(
    ("cite", "message"),
    [
        ("{pk}:40:20", "selects nothing"),
        ("{pk}:20:20", "selects nothing"),
        ("{pk}:10:100000", "lies outside the stored text"),
        ("{pk}:{length}:{after}", "lies outside the stored text"),
        ("{pk}:{blank}:{blank_end}", "only white space"),
        ("{pk}:-1:5", "is not a selection"),
        ("{pk}:one:5", "is not a selection"),
        ("", "is not a selection"),
        ("999999:1:5", "There is no source 999999"),
    ],
)
def test_bad_offsets_are_refused_with_a_message(cite, message):
    source = make_source(body=BODY)
    blank = BODY.index("\n\n")
    value = cite.format(
        pk=source.pk, length=len(BODY), after=len(BODY) + 1, blank=blank, blank_end=blank + 2
    )
    with pytest.raises(SelectionError, match=message):
        from_query(value)


class TestAnchoringAtSelectedOffsets:
    # The sentence repeats with the same 32 characters around it: only the offsets tell which.
    UNIT = "At the briefing the spokesperson repeated: we oppose the tariffs firmly. "
    TEXT = UNIT * 3

    def test_the_selected_occurrence_is_anchored(self):
        second = self.TEXT.index("we oppose", len(self.UNIT))
        end = second + len("we oppose the tariffs")
        around = anchoring.make_anchor(self.TEXT, second, end)
        found = anchoring.at_offsets(
            self.TEXT,
            "we oppose the tariffs",
            second,
            end,
            prefix=around.prefix,
            suffix=around.suffix,
        )
        assert (found.start, found.end) == (second, end)
        with pytest.raises(anchoring.AmbiguousPassage):  # a search could not have chosen it
            anchoring.find_passage(
                self.TEXT, "we oppose the tariffs", prefix=around.prefix, suffix=around.suffix
            )

    def test_context_posted_without_its_line_breaks_still_agrees(self):
        text = "First paragraph ends here.\n\nWe oppose the tariffs."
        start = text.index("We oppose")
        prefix = "paragraph ends here."  # a one-line form field dropped the "\n\n"
        found = anchoring.at_offsets(text, "We oppose", start, start + 9, prefix=prefix)
        assert found.start == start

    @pytest.mark.parametrize(
        ("passage", "prefix", "shift"),
        [
            ("we oppose the tariff", "", 0),  # the passage was edited
            ("we oppose the tariffs", "the briefing someone said: ", 0),  # the context was
            ("we oppose the tariffs", "", 1),  # the text changed: the words are elsewhere
            ("we oppose the tariffs", "", 10_000),  # out of range
        ],
    )
    def test_anything_else_is_left_to_the_search(self, passage, prefix, shift):
        start = self.TEXT.index("we oppose") + shift
        end = start + len("we oppose the tariffs")  # as selected
        assert anchoring.at_offsets(self.TEXT, passage, start, end, prefix=prefix) is None
