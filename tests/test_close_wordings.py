"""A speaker's recorded wordings close to a new one: candidates from the search index (never all
of a speaker's quotes), compared word by word, the closest few above the threshold."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from negotiations import close_wordings, search
from negotiations.close_wordings import candidates
from negotiations.models import Quote
from tests.factories import make_official, make_quote

pytestmark = pytest.mark.django_db

RECORDED = "We are not going to lower tariffs until we see verifiable progress on purchases"
TYPED = "We won't lower tariffs until we see verifiable progress on purchases."


def found(speaker, text, **options):
    return [
        close.quote
        for close in close_wordings.close_wordings(speaker=speaker, text=text, **options)
    ]


def test_a_close_wording_of_the_same_speaker_is_found_with_its_diff():
    speaker = make_official(name="Scott Bessent")
    recorded = make_quote(speaker, text=RECORDED)
    make_quote(speaker, text="The talks were somewhat deadlocked right now")
    [close] = close_wordings.close_wordings(speaker=speaker, text=TYPED)
    assert close.quote == recorded
    assert close.likeness.ratio == pytest.approx(0.8)
    kinds = [(piece.kind, piece.text) for piece in close.pieces]
    assert ("only_there", "are not going to") in kinds
    assert ("only_here", "won't") in kinds
    assert close.notes == ["Negation differs: n’t here, not there."]


def test_other_speakers_wordings_are_never_offered():
    speaker, other = make_official(name="Scott Bessent"), make_official(name="He Lifeng")
    make_quote(other, text=RECORDED)
    make_quote(other, text=f"Scott Bessent said: {RECORDED}")  # names the speaker, is not his
    assert found(speaker, TYPED) == []
    assert found(other, TYPED) != []


def test_wordings_below_the_threshold_are_not_offered():
    speaker = make_official()
    make_quote(speaker, text="We will lower tariffs once purchases of soybeans resume in full")
    assert found(speaker, TYPED) == []
    alike = close_wordings.wording.likeness(TYPED, Quote.objects.get().text)
    assert 0 < alike.ratio < close_wordings.CLOSE_RATIO


def test_a_partial_quote_of_a_longer_recorded_wording_is_close():
    speaker = make_official()
    recorded = make_quote(
        speaker,
        text=(
            "I would say that they are a bit stalled, and I think that given the magnitude of "
            "the talks this is going to require the leaders to weigh in"
        ),
    )
    assert found(speaker, "the magnitude of the talks") == [recorded]


def test_fewer_than_four_words_ask_nothing():
    speaker = make_official()
    make_quote(speaker, text="a bit stalled")
    with CaptureQueriesContext(connection) as queries:
        assert found(speaker, "a bit stalled") == []
    assert len(queries) == 0


def test_the_quote_being_edited_is_left_out():
    speaker = make_official()
    quote = make_quote(speaker, text=RECORDED)
    assert found(speaker, TYPED) == [quote]
    assert found(speaker, TYPED, exclude=quote.pk) == []


def test_closest_first_and_no_more_than_shown():
    speaker = make_official()
    near = make_quote(speaker, text=RECORDED)
    nearer = make_quote(speaker, text=TYPED.replace("We won't", "We will not"))
    same = make_quote(speaker, text=TYPED)
    make_quote(speaker, text=RECORDED + " of soybeans")
    assert found(speaker, TYPED) == [same, nearer, near]
    assert found(speaker, TYPED, shown=1) == [same]


def test_the_candidates_are_those_holding_the_rarest_words(settings):
    """Twelve quotes hold "tariffs", one "verifiable": with room for 5 candidates, only the rarest
    words are asked for, and the common one is not."""
    speaker = make_official()
    for n in range(12):
        make_quote(speaker, text=f"tariffs number {n} stay where they are")
    recorded = make_quote(speaker, text=RECORDED)
    text = "lower tariffs until verifiable progress"
    original = close_wordings.CANDIDATES
    close_wordings.CANDIDATES = 5
    try:
        picked = list(candidates(speaker=speaker, text=text))
    finally:
        close_wordings.CANDIDATES = original
    assert picked == [recorded]
    assert len(list(candidates(speaker=speaker, text=text))) == 13


def test_when_every_word_is_common_the_candidates_hold_them_all():
    speaker = make_official()
    for n in range(4):
        make_quote(speaker, text=f"tariffs and talks, round {n}")
    both = make_quote(speaker, text="the tariffs talks went on")
    original = close_wordings.CANDIDATES
    close_wordings.CANDIDATES = 3
    try:
        assert list(candidates(speaker=speaker, text="tariffs talks went")) == [both]
    finally:
        close_wordings.CANDIDATES = original


def test_a_typed_text_is_words_not_a_search_query():
    """Quotation marks, "or" and "-" in a quote's text are its words and punctuation: a reader's
    query would read them as a phrase, an alternative and an exclusion."""
    speaker = make_official()
    recorded = make_quote(
        speaker, text="We will not go back to business as usual or retreat from the deal"
    )
    typed = 'We will not go back to "business as usual" or -retreat from the deal'
    assert found(speaker, typed) == [recorded]
    assert [term.text for term in search.words("the U.S. said")] == ["Zqusa", "said"]


@pytest.mark.parametrize("quotes", [10, 200])
def test_a_fixed_number_of_queries_whatever_the_speakers_size(quotes, django_assert_num_queries):
    speaker = make_official()
    Quote.objects.bulk_create(
        Quote(speaker=speaker, text=f"{RECORDED} (variant {n})", kind="direct")
        for n in range(quotes)
    )
    with django_assert_num_queries(2):  # the words counted, then the candidates read
        closest = close_wordings.close_wordings(speaker=speaker, text=TYPED)
    assert len(closest) == close_wordings.SHOWN
