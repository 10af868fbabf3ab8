"""The speaker guessed for a selected passage: from the attribution nearest it, in the shapes news
reports use (most sentences below are the seed articles' own), and no guess where the text is
not plain about who speaks."""

from dataclasses import dataclass

import pytest

from negotiations.attribution import guess_speaker, names_near, surname


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    native_name: str = ""
    country: str = "US"


BESSENT = Person(1, "Scott Bessent")
GREER = Person(2, "Jamieson Greer")
TRUMP = Person(3, "Donald Trump")
LI = Person(4, "Li Chenggang", "李成钢", "CN")
HE = Person(5, "He Yongqian", "何咏前", "CN")
MAO = Person(6, "Mao Ning", "毛宁", "CN")
XI = Person(7, "Xi Jinping", "习近平", "CN")
OFFICIALS = [BESSENT, GREER, TRUMP, LI, HE, MAO, XI]


def guess(text, passage, officials=OFFICIALS):
    start = text.index(passage)
    return guess_speaker(text, start, start + len(passage), officials)


def guessed(text, passage, officials=OFFICIALS):
    found = guess(text, passage, officials)
    return (found.official, found.words) if found else None


@pytest.mark.parametrize(
    ("text", "passage", "speaker", "words"),
    [
        (  # “…,” X said — the passage a part of the quotation
            "“I think that given the magnitude of the talks, given the complexity, that this is "
            "going to require [leaders of both countries] to weigh in with each other,” Bessent "
            "said. He added that US President Donald Trump and Chinese President Xi Jinping have "
            "maintained a “very good relationship”.",
            "given the magnitude of the talks",
            BESSENT,
            "Bessent said",
        ),
        (  # “…,” said <title> X
            "China’s Foreign Ministry condemned the move as politically motivated:\n“The U.S. "
            "decision is fully unjustified,” said spokesperson Mao Ning. “It weaponizes ideology "
            "and national security under false pretenses.”",
            "The U.S. decision is fully unjustified",
            MAO,
            "said spokesperson Mao Ning",
        ),
        (  # the quotation after “…,” said X. is X's too
            "“The U.S. decision is fully unjustified,” said spokesperson Mao Ning. “It weaponizes "
            "ideology and national security under false pretenses.”",
            "It weaponizes ideology",
            MAO,
            "said spokesperson Mao Ning",
        ),
        (  # a capital “He” inside a sentence is a name (He Yongqian), not a pronoun
            "“China again urges the U.S. to immediately correct its wrong practices and work with "
            "us to uphold the consensus achieved in Geneva,” He said, according to a CNBC "
            "translation of her remarks.",
            "uphold the consensus achieved in Geneva",
            HE,
            "He said",
        ),
        (  # X said: “…”
            "Tariffs dominated the agenda. Speaking to reporters after the second day of talks, "
            "Bessent said: “We are not going to lower tariffs until we see verifiable progress.”",
            "We are not going to lower tariffs",
            BESSENT,
            "Bessent said",
        ),
        (  # X said that … (an indirect quote), with the title before the name
            "US Treasury Secretary Scott Bessent recently said that the fate of the trade truce "
            "now rests completely on President Trump.",
            "the fate of the trade truce now rests completely on President Trump",
            BESSENT,
            "US Treasury Secretary Scott Bessent recently said",
        ),
        (  # X told reporters …
            "Greer told reporters in Geneva that the talks had been productive.",
            "the talks had been productive",
            GREER,
            "Greer told",
        ),
        (  # according to X
            "The deal is close, according to Treasury Secretary Scott Bessent.",
            "The deal is close",
            BESSENT,
            "according to Treasury Secretary Scott Bessent",
        ),
        (  # X, <apposition>, said
            "“We hope for stable and predictable relations,” Li Chenggang, China’s chief trade "
            "negotiator, said on Tuesday.",
            "stable and predictable relations",
            LI,
            "Li Chenggang, China’s chief trade negotiator, said",
        ),
        (  # the surname alone, Chinese order
            "“The consultations were candid,” Li said.",
            "The consultations were candid",
            LI,
            "Li said",
        ),
        (  # the passage names its speaker itself
            "Bessent said: “We are not going to lower tariffs.” Li did not comment.",
            "Bessent said: “We are not going to lower tariffs.”",
            BESSENT,
            "Bessent said",
        ),
        (  # the native-script name
            "李成钢表示，“双方进行了坦诚深入的交流。”",
            "双方进行了坦诚深入的交流",
            LI,
            "李成钢表示",
        ),
        (  # two officials named: the attributed one is guessed
            "“Li and I had a good meeting,” Bessent said after the talks with Li Chenggang.",
            "Li and I had a good meeting",
            BESSENT,
            "Bessent said",
        ),
    ],
)
def test_the_attributed_official_is_guessed(text, passage, speaker, words):
    assert guessed(text, passage) == (speaker, words)


@pytest.mark.parametrize(
    ("text", "passage"),
    [
        # a pronoun: whoever “he” is, the text does not say here
        (
            "“A couple [of deals] are very close,” he said. “A couple are more complicated.”",
            "A couple [of deals] are very close",
        ),
        ("Bessent met Li in Geneva. He said: “We made progress.”", "We made progress"),
        # the attribution is in another sentence
        (
            "Bessent said the talks went well. The deal, however, is far from done.",
            "The deal, however, is far from done",
        ),
        # the nearest attribution names someone who is not an official
        ("Bessent spoke first. “It was a good day,” Smith said.", "It was a good day"),
        # two speakers for one quotation
        ("“We will meet again in London,” said Bessent and Greer.", "We will meet again"),
        ("“We will meet again in London,” Bessent and Greer said.", "We will meet again"),
        # another speaker's attribution sits between the passage and the name
        (
            "Bessent said the talks went well and Chinese officials said “they were constructive”.",
            "they were constructive",
        ),
        # no attribution at all
        ("Tariffs fell from 145% to 30%.", "Tariffs fell"),
        # a day name after the verb is not a speaker, and the name before it is used
        # (but “Bessent said Tuesday” leads in: Bessent)
        ("“We will see,” said Tuesday.", "We will see"),
    ],
)
def test_no_guess_where_the_text_is_not_plain(text, passage):
    assert guess(text, passage) is None


def test_a_surname_two_officials_share_is_no_guess():
    wang_yi, wang_wentao = Person(8, "Wang Yi", country="CN"), Person(9, "Wang Wentao", "", "CN")
    text = "“We oppose unilateral tariffs,” Wang said."
    assert guess(text, "We oppose unilateral tariffs", [*OFFICIALS, wang_yi, wang_wentao]) is None
    assert guessed(text, "We oppose unilateral tariffs", [*OFFICIALS, wang_yi]) == (
        wang_yi,
        "Wang said",
    )


def test_a_day_after_the_verb_leaves_the_speaker_before_it():
    text = "Bessent said Tuesday: “We are close to a deal.”"
    assert guessed(text, "We are close to a deal") == (BESSENT, "Bessent said")


def test_a_sentence_opening_he_is_a_pronoun_even_with_an_official_named_he():
    text = "He Yongqian spoke on Thursday. He said: “Channels remain open.”"
    assert guess(text, "Channels remain open") is None


def test_surnames_and_the_words_to_look_officials_up_by():
    assert surname(BESSENT) == "Bessent" and surname(LI) == "Li"
    text = "“The deal is close,” Treasury Secretary Scott Bessent said."
    start = text.index("The deal")
    assert names_near(text, start, start + 17) == {"Treasury", "Secretary", "Scott", "Bessent"}
