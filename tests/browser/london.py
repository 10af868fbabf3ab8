"""The round the editor's journeys enter: talks in London in June 2025, reported by one article.

The article is written for these tests (its remarks are made up), with what a real report has:
a dateline, typographic quotation marks, attributions before and after the words. It is served
as a web page by the tests' local server and, on the paste path, pasted as the source's text.
"""

from html import escape

TITLE = "US and China agree on a framework in London talks"
AUTHOR = "Test Desk"
SITE = "Test Wire"
PUBLISHED = "2025-06-11"

PARAGRAPHS = [
    "LONDON — Negotiators from the United States and China ended two days of talks in London "
    "on Tuesday with what both sides called a framework to put their Geneva truce back on track.",
    "US Treasury Secretary Scott Bessent led the American delegation, with Trade Representative "
    "Jamieson Greer. China’s delegation was headed by its international trade representative Li "
    "Chenggang.",
    "“We have reached a framework to implement the Geneva consensus,” Li Chenggang told "
    "reporters after the talks ended late on Tuesday.",
    "Export controls on rare earths and on chip design software dominated the talks. “The "
    "framework removes the export restrictions on rare earth magnets,” Bessent said, adding "
    "that the two presidents would still have to approve it.",
    "The tariffs both sides put in place in May stay where they are while the framework is "
    "reviewed, according to officials on both sides.",
    "The framework will be taken back to Washington and Beijing for approval by the two "
    "leaders. No joint statement was issued.",
]
TEXT = "\n\n".join(PARAGRAPHS)

QUOTES = [
    {
        "passage": "“We have reached a framework to implement the Geneva consensus,”",
        "text": "We have reached a framework to implement the Geneva consensus.",
        "speaker": "Li Chenggang",
    },
    {
        "passage": "“The framework removes the export restrictions on rare earth magnets,”",
        "text": "The framework removes the export restrictions on rare earth magnets.",
        "speaker": "Scott Bessent",
    },
]
CLAIMS = [
    {
        "passage": "The tariffs both sides put in place in May stay where they are while the "
        "framework is reviewed",
        "text": "The tariffs put in place in May stay where they are while the framework is "
        "reviewed.",
        "issue": "Tariffs",
    },
    {
        "passage": "The framework will be taken back to Washington and Beijing for approval by "
        "the two leaders.",
        "text": "The London framework needs the approval of both leaders.",
        "issue": "Extending the truce",
    },
]
AGENDA = [
    {"issue": "Rare earths", "status": "raised", "passage": "Export controls on rare earths"},
    {
        "issue": "AI chips",
        "status": "raised",
        "passage": "chip design software dominated the talks",
    },
]
ROUND = {
    "title": "London talks, June 2025",
    "slug": "london-talks-2025-06-test",
    "city": "London",
    "country": "United Kingdom",
    "start_on": "2025-06-09",
    "end_on": "2025-06-10",
    "summary": "US and Chinese negotiators agreed on a framework to implement the Geneva truce.",
}
PARTICIPANTS = [("Scott Bessent", "US"), ("Li Chenggang", "CN")]


def article_html(*, published=PUBLISHED):
    """The article as a news site serves it: metadata in the head, the text in <article>, and
    the navigation and footer that extraction must leave out."""
    meta_date = (
        f'<meta property="article:published_time" content="{published}T08:00:00Z">'
        if published
        else ""
    )
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(TITLE)} | {SITE}</title>
<meta property="og:title" content="{escape(TITLE)}">
<meta property="og:site_name" content="{SITE}">
<meta name="author" content="{AUTHOR}">
{meta_date}
</head><body>
<nav><a href="/">Home</a> <a href="/world/">World</a> <a href="/business/">Business</a></nav>
<article><h1>{escape(TITLE)}</h1>
<p class="byline">By {AUTHOR}</p>
{paragraphs}
</article>
<footer><p>© {SITE}. Subscribe for more news.</p></footer>
</body></html>"""
