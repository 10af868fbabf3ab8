"""The text side of search, the same for both databases: how a text is prepared for indexing,
how a reader's words become a query, and how a snippet the database cut becomes HTML.

No database here; ``negotiations.search.backends`` sends what this module makes to SQLite's
FTS5 or PostgreSQL's full-text search.

**Preparing a text** (``index_text``). Both databases index what this function returns, never
the raw text (SQLite calls it as the SQL function ``negotiations_search_text``, which
``backends`` registers on every connection; PostgreSQL has the same function in PL/pgSQL,
written after migrate from ``POSTGRES_INDEX_TEXT_SQL`` below, and a test holds the two
equal). It changes only what a tokenizer would get wrong, and only in ways ``display_text``
undoes exactly, so that a snippet shows the stored words, character for character:

- the United States, written "US", "U.S.", "U.S", "USA", "U.S.A." or "U.S.A" (in capitals,
  as a word), becomes one word, ``zqusa``, whose capitals say which form it was. "us" the
  pronoun stays "us", and PostgreSQL's stop word list, which drops "us", is not used;
- each Chinese or Japanese character is set apart by zero-width spaces, so that a name such as
  李成钢 is found as the phrase of its characters inside running text, where no spaces divide
  words;
- a zero-width space follows each ASCII punctuation mark, so that both databases split
  "30.5", "x@y.com" and "co-operation" into the same words (PostgreSQL's parser would keep
  them whole);
- private-use characters become spaces (they mark the highlights in a snippet).

**A reader's query** (``parse``): words, "quoted phrases", ``or`` between alternatives and
``-`` before what must not match, as in ``websearch_to_tsquery``. Every word matches as a word
and by its stem (tariff, tariffs), never as part of another word; common English words outside
phrases are left out when other words remain; a query of punctuation alone has no words.
"U.S." and "USA" in any case mean the country, and so does "us" outside quotes; inside quotes
"us" is the country only in capitals, as in the texts. The query is rendered from this module's own parse, so that no typed character reaches
either database's query syntax: FTS5 gets only quoted strings joined by AND, OR and NOT, and
``websearch_to_tsquery`` gets only quoted phrases, ``or`` and ``-``.
"""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Highlight marks in the snippets the databases cut (private-use characters: no stored text
# holds one once ``index_text`` has replaced them).
MARK_START = "\ue000"
MARK_END = "\ue001"
ZERO_WIDTH_SPACE = "\u200b"

# The United States' forms, longest first, each with the word it becomes: one word for all,
# the capitals telling them apart again for display.
COUNTRY_FORMS = (
    ("U.S.A.", "ZqusA"),
    ("U.S.A", "ZQusA"),
    ("U.S.", "Zqusa"),
    ("U.S", "ZQusa"),
    ("USA", "zqusA"),
    ("US", "zqusa"),
)
COUNTRY_WORD = "zqusa"
# A form counts as a word when no ASCII letter or digit touches it.
_BEFORE = r"(?<![A-Za-z0-9])"
_AFTER = r"(?![A-Za-z0-9])"
_COUNTRY_PASSES = [
    (re.compile(_BEFORE + re.escape(form) + _AFTER), word) for form, word in COUNTRY_FORMS
]
# In a query, any case: "u.s." and "usa" are never anything else; "us" only outside quotes.
_COUNTRY_ANY_CASE = re.compile(_BEFORE + r"(?:u\.s\.a\.?|u\.s\.?|usa|us)" + _AFTER, re.IGNORECASE)
_COUNTRY_UNAMBIGUOUS_ANY_CASE = re.compile(
    _BEFORE + r"(?:u\.s\.a\.?|u\.s\.?|usa)" + _AFTER, re.IGNORECASE
)
_PLACEHOLDER = re.compile(_BEFORE + COUNTRY_WORD + _AFTER, re.IGNORECASE)
_FORM_OF = {word: form for form, word in COUNTRY_FORMS}

_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Kana and Han ideographs (with the extension planes): written without spaces between words.
_CJK_CLASS = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]"
_CJK = re.compile(f"({_CJK_CLASS})")
_ASCII_PUNCTUATION_CLASS = r"[\u0021-\u002f\u003a-\u0040\u005b-\u0060\u007b-\u007e]"
_ASCII_PUNCTUATION = re.compile(f"({_ASCII_PUNCTUATION_CLASS})")
_WORD_CHARACTER = re.compile(r"[^\W_]")


def index_text(value):
    """``value`` as both databases index it (see the module's docstring); None stays None."""
    if value is None:
        return None
    value = _PRIVATE_USE.sub(" ", value)
    for pattern, word in _COUNTRY_PASSES:
        value = pattern.sub(word, value)
    value = _CJK.sub(ZERO_WIDTH_SPACE + r"\1" + ZERO_WIDTH_SPACE, value)
    return _ASCII_PUNCTUATION.sub(r"\1" + ZERO_WIDTH_SPACE, value)


def _sql_regexp_replace(expression, pattern, replacement):
    return f"regexp_replace({expression}, '{pattern}', E'{replacement}', 'g')"


def postgres_index_text_sql(argument):
    """The SQL expression that does on PostgreSQL what ``index_text`` does (the same patterns:
    PostgreSQL's regular expressions read these as Python's do)."""
    sql = _sql_regexp_replace(argument, "[\\ue000-\\uf8ff]", " ")
    for form, word in COUNTRY_FORMS:
        sql = _sql_regexp_replace(sql, _BEFORE + re.escape(form) + _AFTER, word)
    # In the replacements (E'' strings), \u200b is the character itself, \\1 the group.
    sql = _sql_regexp_replace(sql, f"({_CJK_CLASS})", "\\u200b\\\\1\\u200b")
    return _sql_regexp_replace(sql, f"({_ASCII_PUNCTUATION_CLASS})", "\\\\1\\u200b")


def display_text(indexed):
    """Undo ``index_text``: the stored characters again (highlight marks are kept)."""
    text = indexed.replace(ZERO_WIDTH_SPACE, "")
    return _PLACEHOLDER.sub(lambda m: _FORM_OF.get(m.group(), m.group()), text)


_HIGHLIGHT = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def plain_snippet(snippet):
    """A snippet cut by the database as plain text (the stored characters, no marks)."""
    if not snippet:
        return ""
    return display_text(snippet).replace(MARK_START, "").replace(MARK_END, "")


def render_snippet(snippet):
    """A snippet cut by the database (from an indexed text, with highlight marks) as safe
    HTML: the stored text escaped, each match in ``<mark>``; empty for None."""
    if not snippet:
        return mark_safe("")
    # Marks side by side (the characters of 李成钢, each a word) become one.
    text = escape(display_text(snippet).replace(MARK_END + MARK_START, ""))
    text = _HIGHLIGHT.sub(r"<mark>\1</mark>", text)
    return mark_safe(text.replace(MARK_START, "").replace(MARK_END, ""))


# Left out of a query outside phrases, where other words remain (PostgreSQL's English list;
# "us" is the country in a query).
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "did",
        "do",
        "does",
        "doing",
        "don",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "t",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
    ]
)


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query, as indexed text (``index_text``)."""

    text: str
    phrase: bool

    def fts5(self):
        return '"' + self.text.replace('"', '""') + '"'

    def websearch(self):
        return '"' + self.text.replace('"', " ") + '"'

    @property
    def is_stop_word(self):
        return not self.phrase and self.text.lower() in STOP_WORDS


@dataclass(frozen=True)
class Query:
    """A reader's query: every group must match (one of its terms will do) and no excluded
    term may."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...] = ()

    def fts5(self):
        """The query in FTS5's syntax: quoted strings, AND, OR, NOT and parentheses only."""
        expression = " AND ".join(
            "(" + " OR ".join(term.fts5() for term in group) + ")" for group in self.groups
        )
        for term in self.excluded:
            expression = f"({expression}) NOT {term.fts5()}"
        return expression

    def websearch(self):
        """The query for PostgreSQL's ``websearch_to_tsquery``: quoted phrases, or, -."""
        parts = [" or ".join(term.websearch() for term in group) for group in self.groups]
        parts += ["-" + term.websearch() for term in self.excluded]
        return " ".join(parts)


# A piece of the reader's text: an optionally excluded "quoted phrase" (its closing quote may be
# missing), or a run of other characters.
_PIECES = re.compile(r'(-?)"([^"]*)"?|([^\s"]+)')


def _term(text, phrase):
    country = _COUNTRY_UNAMBIGUOUS_ANY_CASE if phrase else _COUNTRY_ANY_CASE
    text = country.sub(lambda m: m.group().upper(), text)
    if not _WORD_CHARACTER.search(text):
        return None
    return Term(index_text(text), phrase)


def parse(text):
    """The reader's ``text`` as a Query, or None when it asks for nothing that could match
    (no words, or only excluded ones)."""
    groups, excluded = [], []
    join_next = False  # after "or": the next term joins the last group
    for piece in _PIECES.finditer(text or ""):
        bare = piece.group(3)
        if bare is None:
            negated, term = piece.group(1) == "-", _term(piece.group(2), phrase=True)
        elif bare.lower() == "or":
            join_next = bool(groups)
            continue
        else:
            negated = bare.startswith("-") and len(bare) > 1
            term = _term(bare[1:] if negated else bare, phrase=False)
        if term is None:
            continue
        if negated:
            excluded.append(term)
        elif join_next:
            groups[-1] = (*groups[-1], term)
        else:
            groups.append((term,))
        join_next = False
    meaningful = [group for group in groups if not all(term.is_stop_word for term in group)]
    groups = meaningful or groups
    if not groups:
        return None
    return Query(tuple(groups), tuple(excluded))


def words(text):
    """The distinct words of a plain text (a quote as typed, a name), as terms of a query:
    not a reader's query, so quotation marks, ``or`` and ``-`` are words or punctuation like
    any other. Common English words are left out; punctuation alone is no word."""
    found = {}
    for piece in (text or "").split():
        term = _term(piece, phrase=False)
        if term is not None and not term.is_stop_word:
            found.setdefault(term.text.casefold(), term)
    return list(found.values())
