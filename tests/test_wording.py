"""Comparing two wordings of one statement: the word diff, and the numbers and negations that
change what was said."""

from types import SimpleNamespace

from negotiations.wording import (
    Likeness,
    Piece,
    compare,
    join,
    likeness,
    material_differences,
    tokens,
    word_diff,
)


def test_tokens_fold_quotes_and_keep_numbers_and_contractions_whole():
    assert tokens("Bessent said: “we won’t cut $295.5 billion”") == [
        "Bessent",
        "said",
        ":",
        '"',
        "we",
        "won't",
        "cut",
        "$",
        "295.5",
        "billion",
        '"',
    ]


def test_join_puts_no_space_before_closing_punctuation_or_after_a_dollar():
    assert join(["cut", "$", "50", "billion", ",", "he", "said", "."]) == (
        "cut $50 billion, he said."
    )


def test_the_diff_marks_words_on_each_side_and_ignores_case():
    assert word_diff("The talks were a bit stalled", "the talks were somewhat deadlocked") == [
        Piece("The talks were", "same"),
        Piece("a bit stalled", "only_here"),
        Piece("somewhat deadlocked", "only_there"),
    ]


def test_identical_wordings_are_one_shared_piece():
    assert word_diff("a bit stalled", "A bit stalled") == [Piece("a bit stalled", "same")]


def test_different_numbers_are_pointed_out():
    assert material_differences("cut by $50 billion", "cut by $15 billion") == [
        "Numbers differ: 50 here, 15 there."
    ]


def test_a_negation_on_one_side_only_is_pointed_out():
    assert material_differences("we will agree", "we won't agree") == [
        "Negation differs: none here, n’t there."
    ]
    assert material_differences("never", "not") == ["Negation differs: never here, not there."]


def test_rewordings_that_keep_numbers_and_negations_raise_nothing():
    assert material_differences("a bit stalled", "somewhat deadlocked") == []


def test_compare_gives_the_variant_its_diff_and_notes():
    here = SimpleNamespace(text="cut the deficit by $50 billion")
    there = SimpleNamespace(text="did not cut the deficit by $15 billion")
    comparison = compare(here, there)
    assert comparison.variant is there
    assert Piece("did not", "only_there") in comparison.pieces
    assert comparison.notes == [
        "Numbers differ: 50 here, 15 there.",
        "Negation differs: none here, not there.",
    ]


def test_likeness_lines_up_words_ignoring_case_and_punctuation():
    alike = likeness(
        "We are not going to lower tariffs until we see verifiable progress on purchases.",
        "we won't lower tariffs until we see verifiable progress on purchases",
    )
    assert round(alike.ratio, 2) == 0.8
    assert alike.shorter == 11
    assert likeness("A bit stalled.", "a bit, stalled") == Likeness(1.0, 1.0, 3)


def test_likeness_of_a_partial_quote_covers_the_shorter_wording():
    alike = likeness("somewhat deadlocked right now", "the talks are somewhat deadlocked right now")
    assert alike.covered == 1.0
    assert round(alike.ratio, 2) == 0.73  # 2 × 4 shared words / (4 + 7)


def test_likeness_bounded_below_the_asked_minimum_is_zero():
    text, other = "the talks stalled today", "rare earths flow again"
    assert likeness(text, other).ratio == 0.0  # no word in common
    far = likeness("tariffs will fall to thirty percent", "nothing about it", at_least=0.6)
    assert (far.ratio, far.covered) == (0.0, 0.0)
    assert likeness("", "words") == Likeness(0.0, 0.0, 0)
