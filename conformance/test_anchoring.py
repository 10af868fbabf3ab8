"""Anchoring against the Hypothesis client's match-quote cases and Apache Annotator's text
quote match and describe cases (anchoring/anchoring_cases.json)."""

import pytest

from negotiations.matching import describe_quote, exact_matches, match_quote

from .conftest import load_cases

CASES = load_cases("anchoring/anchoring_cases.json")


def ids(cases):
    return [case["name"] for case in cases]


@pytest.mark.parametrize(
    "case", CASES.get("fuzzy_match", []), ids=ids(CASES.get("fuzzy_match", []))
)
def test_fuzzy_match(case, conformance_dir):
    context = case["context"]
    found = match_quote(
        case["text"],
        case["quote"],
        prefix=context.get("prefix", ""),
        suffix=context.get("suffix", ""),
        hint=context.get("hint"),
    )
    expected = case["expect"]
    if expected is None:
        assert found is None
        return
    assert found is not None
    if "matched_text" in expected:
        assert case["text"][found.start : found.end] == expected["matched_text"]
    if "start" in expected:
        assert found.start == expected["start"]
    if "score" in expected:
        assert found.score == pytest.approx(expected["score"])
    if "score_between" in expected:
        low, high = expected["score_between"]
        assert low < found.score < high


@pytest.mark.parametrize(
    "case", CASES.get("fuzzy_ordering", []), ids=ids(CASES.get("fuzzy_ordering", []))
)
def test_scores_fall_as_the_quote_or_its_context_is_edited_more(case, conformance_dir):
    scores = []
    for value in case["values"]:
        if case["kind"] == "quote":
            found = match_quote(case["text"], value)
        elif case["kind"] == "prefix":
            found = match_quote(case["text"], case["quote"], prefix=value)
        else:
            found = match_quote(case["text"], case["quote"], suffix=value)
        assert found is not None, value
        scores.append(found.score)
    assert scores == sorted(scores, reverse=True) and len(set(scores)) == len(scores)


@pytest.mark.parametrize(
    "case", CASES.get("exact_match", []), ids=ids(CASES.get("exact_match", []))
)
def test_exact_match(case, conformance_dir):
    selector = case["selector"]
    found = exact_matches(
        case["text"], selector["exact"], selector.get("prefix", ""), selector.get("suffix", "")
    )
    assert [[m.start, m.end] for m in found] == case["expected"]


@pytest.mark.parametrize(
    "case",
    CASES.get("describe_minimal_context", []),
    ids=ids(CASES.get("describe_minimal_context", [])),
)
def test_describe_with_minimal_context(case, conformance_dir):
    exact, prefix, suffix = describe_quote(case["text"], *case["range"])
    expected = case["expected"]
    assert (exact, prefix, suffix) == (expected["exact"], expected["prefix"], expected["suffix"])


def test_every_case_was_read(conformance_dir):
    assert {len(CASES.get(k, [])) for k in ("fuzzy_match", "exact_match")} != {0}
