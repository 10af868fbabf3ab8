"""Which passages of a text report someone's words, and whose (pure text)."""

from negotiations.checking.quotations import passages


def found(text):
    return [(p.kind, p.words, p.name) for p in passages(text)]


def test_curly_and_straight_quotations_with_the_attribution_on_either_side():
    text = (
        "“We are not going to raise tariffs on soybeans,” Bessent said on Monday.\n"
        '"Straight marks count as much as curly ones," said He Lifeng.\n'
        "Greer told reporters: “The deadline will not move this time.”"
    )
    assert found(text) == [
        ("quotation", "We are not going to raise tariffs on soybeans,", "Bessent"),
        ("quotation", "Straight marks count as much as curly ones,", "He Lifeng"),
        ("quotation", "The deadline will not move this time.", "Greer"),
    ]


def test_nested_quotations_check_the_outer_one_only():
    text = "“The talks have ‘real momentum’ now and will go on,” Bessent said."
    assert found(text) == [
        ("quotation", "The talks have ‘real momentum’ now and will go on,", "Bessent")
    ]


def test_other_marks_and_offsets_in_code_points():
    text = (
        "📈 Li said: «Both sides agreed to keep talking soon.» Then 「双方同意继续保持沟通联系」."
    )
    result = passages(text)
    assert [p.words for p in result][0] == "Both sides agreed to keep talking soon."
    first = result[0]
    assert text[first.start : first.end] == first.words


def test_scare_quotes_and_unclosed_marks_are_not_quotations():
    text = "The so-called “phase one” deal held.\n“This opening mark is never closed\nBut “this one is closed on its line,” Greer said."
    assert found(text) == [("quotation", "this one is closed on its line,", "Greer")]


def test_reported_speech_with_or_without_that_and_not_for_pronouns_or_quotations():
    text = (
        "Bessent said the talks had stalled over export controls.\n"
        "Li Chenggang told reporters that the two sides had reached a framework.\n"
        "He said the meeting went on for hours and hours.\n"
        "Greer said “the deadline will not move at all” on Friday.\n"
        "The ministry said it would respond in due course."
    )
    assert found(text) == [
        ("reported", "the talks had stalled over export controls", "Bessent"),
        ("reported", "the two sides had reached a framework", "Li Chenggang"),
        ("quotation", "the deadline will not move at all", "Greer"),
    ]


def test_reported_speech_runs_past_abbreviations_to_the_end_of_its_sentence():
    text = "Greer said that the U.S. would cut tariffs on steel by June. The ministry disagreed."
    assert found(text) == [("reported", "the U.S. would cut tariffs on steel by June", "Greer")]
