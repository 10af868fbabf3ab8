"""After a bulk load: what is derived from the knowledge base in bulk, made again once, for rows
written without the signals that keep it right one write at a time (the synthetic generator, a
restore)."""

from .. import search
from . import changes, facets


def finish():
    """Count the facets again, bring the search index up to date, and leave cached pages
    behind. Call it inside the load's transaction or after it; minutes at a million quotes."""
    facets.rebuild()
    search.optimize()  # the triggers indexed each row; merge and analyse once
    changes.note_change()
