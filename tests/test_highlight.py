"""Marking cited passages in a stored text: every passage marked once, well-formed HTML however
the passages overlap, the text itself unchanged and escaped."""

import re
from html.parser import HTMLParser

from negotiations.highlight import Span, render_marked_text

TEXT = "Alpha beta gamma delta epsilon zeta."


def span(id_, passage, text=TEXT, label=None, **fields):
    start = text.index(passage)
    label = label or f"quote {id_}"
    return Span(id_, start, start + len(passage), f"/quotes/{id_}/", label, **fields)


def plain(html):
    """The text a reader sees: marks and backlinks removed."""
    return re.sub(r"<a [^>]*>\[\d+\]</a>|<[^>]+>", "", html)


class Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.balanced = [], True

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        self.balanced = self.balanced and bool(self.stack) and self.stack.pop() == tag


def well_formed(html):
    checker = Balance()
    checker.feed(html)
    return checker.balanced and not checker.stack


def test_one_passage_is_marked_with_its_id_and_a_backlink():
    html = render_marked_text(TEXT, [span(7, "gamma delta")])
    assert '<mark class="cite cite-supports" id="cite-7" data-cite="7" tabindex="-1">' in html
    assert "gamma delta</mark>" in html
    assert '<a class="cite-ref" href="/quotes/7/" aria-label="Citation 1: quote 7">[1]</a>' in html
    assert plain(html) == TEXT


def test_backlinks_are_numbered_in_reading_order():
    html = render_marked_text(TEXT, [span(9, "epsilon"), span(3, "Alpha")])
    assert html.index("[1]") < html.index("[2]")
    assert 'aria-label="Citation 1: quote 3"' in html


def test_crossing_passages_stay_well_formed_and_each_id_appears_once():
    spans = [span(1, "beta gamma delta"), span(2, "gamma delta epsilon"), span(3, "gamma")]
    html = render_marked_text(TEXT, spans)
    assert well_formed(html)
    for id_ in (1, 2, 3):
        assert html.count(f'id="cite-{id_}"') == 1
    assert 'class="cite cite-supports cite-cont" data-cite="2"' in html  # continued piece
    assert plain(html) == TEXT


def test_the_stance_is_a_class():
    html = render_marked_text(TEXT, [span(1, "zeta", stance="disputes")])
    assert 'class="cite cite-disputes"' in html


def test_spans_outside_the_text_are_left_out():
    html = render_marked_text(TEXT, [Span(1, 30, 99, "/x/", "x"), Span(2, 5, 5, "/y/", "y")])
    assert "<mark" not in html
    assert html == TEXT


def test_the_text_is_escaped_and_labels_too():
    text = "<script>alert(1)</script> & “quoted”"
    html = render_marked_text(text, [span(1, "quoted", text=text, label='a "label" <b>')])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html
    assert "&quot;label&quot; &lt;b&gt;" in html
