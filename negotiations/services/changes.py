"""Moving the change stamp on: once per transaction that changed the knowledge base, at its
commit (``models.ChangeStamp``, read by ``negotiations.caching``).

``note_change()`` is called for every save, delete and many-to-many change of the app's models
(``negotiations.receivers``) and by the bulk services, which write around those signals: the
seed loader, ``import_kb``, ``check_integrity --repair`` (``integrity.repair``) and the synthetic
generator's ``bulk_load.finish()``. Writes that skip the model layer (``QuerySet.update()``,
``bulk_update()``, ``bulk_create()``, raw SQL) send no signal: code that writes that way calls
``note_change()`` itself.

Once per transaction, not once per row: a seed load of thousands of rows moves the stamp once,
and no bulk write queues behind one hot row. At the commit, not before: a page computed while
the transaction was still open is stored under the old stamp, which the commit then leaves
behind; a transaction rolled back (or a savepoint whose writes were) moves nothing.
"""

import logging

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from ..models import ChangeStamp

logger = logging.getLogger(__name__)


def _advance():
    try:
        ChangeStamp.objects.advance()
    except Exception:  # the data is committed already: say so, and let the request finish
        # Pages cached under the old stamp stay reachable until the next change; the page cache
        # still drops them after DJANGO_PAGE_CACHE_SECONDS.
        logger.exception("The knowledge base changed but its change stamp could not be moved on")


def note_change(*, using=DEFAULT_DB_ALIAS):
    """The knowledge base changed: move the stamp on when this transaction commits (at once
    outside a transaction), once however often it is called before that."""
    connection = connections[using]
    # on_commit keeps (savepoint ids, callback, robust) per callback and drops those of a
    # savepoint rolled back; so the callback is queued again after such a rollback.
    if any(entry[1] is _advance for entry in connection.run_on_commit):
        return
    transaction.on_commit(_advance, using=using)
