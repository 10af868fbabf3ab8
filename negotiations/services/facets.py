"""Keeping the facet counts (``models.facets``) right after any write, and rebuilding them.

``refresh(subject, ids)``: the records named were written (saved, deleted, linked, published,
updated in bulk): each one's facet values are read again, compared with its signature (the
cells it was counted in), and the counts moved by the difference, in a few statements
whatever the number of cells. ``services.derivation`` calls it at the end of every derivation,
so every write path that derivation hears of moves the counts too (see ``receivers``).

``rebuild()`` counts everything again from the records (after a bulk load or a repair),
``discrepancies()`` says where the kept counts differ from a recount (``check_integrity``).
"""

import json
import logging
from collections import Counter, defaultdict
from itertools import combinations, islice

from django.apps import apps
from django.db import connection, transaction

from ..models import PublicationState
from ..models.facets import SUBJECTS, FacetCount, FacetSignature

logger = logging.getLogger(__name__)

CHUNK = 2_000  # records read at a time: bounded memory and SQL parameters
TOTAL = ("", "", "", "")  # the cell counting every published record of a subject


def model_of(subject):
    return apps.get_model("negotiations", SUBJECTS[subject].model)


def _chunks(ids, size=CHUNK):
    ids = iter(ids)
    while chunk := list(islice(ids, size)):
        yield chunk


def values_of(subject, ids):
    """{record id: {facet: sorted values}} of the published records among ``ids`` (a record
    not published, or gone, is absent: it is counted nowhere)."""
    records = model_of(subject).objects.filter(pk__in=ids, state=PublicationState.PUBLISHED)
    found = {pk: {} for pk in records.values_list("pk", flat=True)}
    if not found:
        return found
    for facet in SUBJECTS[subject].facets:
        for way in facet.ways:  # several: their values unioned
            # One filter() call: the conditions hold on the same related rows as the value.
            rows = records.filter(**{f"{way.lookup}__isnull": False}, **dict(way.where))
            rows = rows.values_list("pk", way.lookup)
            for pk, value in rows.order_by().distinct():
                found[pk].setdefault(facet.name, set()).add(str(value))
    return {pk: {f: sorted(v) for f, v in facets.items()} for pk, facets in found.items()}


def cells_of(subject, values):
    """The cells a record with these facet values is counted in (none for None)."""
    if values is None:
        return []
    cells = [TOTAL]
    paired = {f.name for f in SUBJECTS[subject].facets if f.paired}
    for facet, facet_values in values.items():
        cells.extend((facet, value, "", "") for value in facet_values)
    pairs = [(f, v) for f, vs in values.items() if f in paired for v in vs]
    for (f1, v1), (f2, v2) in combinations(pairs, 2):
        if f1 != f2:
            cells.append((f1, v1, f2, v2))
            cells.append((f2, v2, f1, v1))
    return cells


def _apply(subject, deltas):
    """Move the cells by ``deltas`` ({cell: signed change}); cells left at zero go."""
    rows = [(subject, *cell, delta) for cell, delta in deltas.items() if delta]
    if not rows:
        return
    table = FacetCount._meta.db_table
    columns = "subject, facet, value, by_facet, by_value"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({columns}, count) VALUES (%s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (subject, by_facet, by_value, facet, value) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            rows,
        )
        gone = [row[:5] for row in rows if row[5] < 0]
        if gone:
            cursor.executemany(
                f"DELETE FROM {table} WHERE subject = %s AND facet = %s AND value = %s "
                f"AND by_facet = %s AND by_value = %s AND count <= 0",
                gone,
            )


def refresh(subject, ids):
    """Move the counts of ``subject`` by what changed in the records ``ids``."""
    ids = {pk for pk in ids if pk}
    if not ids:
        return
    with transaction.atomic():
        for chunk in _chunks(sorted(ids)):
            now = values_of(subject, chunk)
            kept = FacetSignature.objects.filter(subject=subject, record_id__in=chunk)
            if connection.features.has_select_for_update:
                kept = kept.select_for_update()  # two writers of one record take turns
            before = dict(kept.values_list("record_id", "cells"))
            deltas = Counter()
            for pk in chunk:
                old, new = before.get(pk), now.get(pk)
                if old == new:
                    continue
                deltas.update(cells_of(subject, new))
                deltas.subtract(cells_of(subject, old))
            _apply(subject, deltas)
            gone = [pk for pk in chunk if pk in before and pk not in now]
            FacetSignature.objects.filter(subject=subject, record_id__in=gone).delete()
            changed = [pk for pk in now if before.get(pk) != now[pk]]
            FacetSignature.objects.bulk_create(
                [FacetSignature(subject=subject, record_id=pk, cells=now[pk]) for pk in changed],
                update_conflicts=True,
                unique_fields=["subject", "record_id"],
                update_fields=["cells"],
            )


def _streamed_values(subject):
    """(record id, values) of every published record, in id order: one query per facet way,
    each read in id order and merged here, so that a million records cost a few sequential
    reads, not a query per chunk of ids."""
    records = model_of(subject).objects.filter(state=PublicationState.PUBLISHED).order_by("pk")
    ids = records.values_list("pk", flat=True).iterator(chunk_size=10_000)
    streams = []
    for facet in SUBJECTS[subject].facets:
        for way in facet.ways:
            rows = records.filter(**{f"{way.lookup}__isnull": False}, **dict(way.where))
            rows = rows.values_list("pk", way.lookup).distinct().order_by("pk", way.lookup)
            streams.append((facet.name, rows.iterator(chunk_size=10_000)))
    heads = [next(stream, None) for _name, stream in streams]
    for pk in ids:
        found = {}
        for n, (name, stream) in enumerate(streams):
            while heads[n] is not None and heads[n][0] <= pk:
                if heads[n][0] == pk:
                    found.setdefault(name, set()).add(str(heads[n][1]))
                heads[n] = next(stream, None)
        yield pk, {f: sorted(v) for f, v in found.items()}


def _recount(subject):
    """(cells Counter, {record id: values}) of every published record."""
    counts, signatures = Counter(), {}
    for pk, values in _streamed_values(subject):
        counts.update(cells_of(subject, values))
        signatures[pk] = values
    return counts, signatures


def rebuild(subjects=None):
    """Count every subject again from its records: after a bulk load or a repair. Written
    with plain SQL in batches (a million signatures would otherwise be a million model
    instances and, deleted through the ORM, a million signals)."""
    cells_table = FacetCount._meta.db_table
    signatures_table = FacetSignature._meta.db_table
    for subject in subjects or SUBJECTS:
        with transaction.atomic(), connection.cursor() as cursor:
            counts, signatures = _recount(subject)
            cursor.execute(f"DELETE FROM {cells_table} WHERE subject = %s", [subject])
            cursor.execute(f"DELETE FROM {signatures_table} WHERE subject = %s", [subject])
            cells = ((subject, *cell, n) for cell, n in counts.items())
            for batch in _chunks(cells, 5_000):
                cursor.executemany(
                    f"INSERT INTO {cells_table} (subject, facet, value, by_facet, by_value, count)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    batch,
                )
            rows = (
                (subject, pk, json.dumps(values, separators=(",", ":"), sort_keys=True))
                for pk, values in signatures.items()
            )
            for batch in _chunks(rows, 5_000):
                cursor.executemany(
                    f"INSERT INTO {signatures_table} (subject, record_id, cells)"
                    " VALUES (%s, %s, %s)",
                    batch,
                )


def discrepancies(subjects=None):
    """Where the kept counts and signatures differ from a recount, in words (none: all
    right)."""
    found = []
    for subject in subjects or SUBJECTS:
        counts, signatures = _recount(subject)
        kept = defaultdict(int)
        rows = FacetCount.objects.filter(subject=subject).values_list(
            "facet", "value", "by_facet", "by_value", "count"
        )
        for facet, value, by_facet, by_value, count in rows.iterator(chunk_size=CHUNK):
            kept[(facet, value, by_facet, by_value)] = count
        for cell in set(kept) | set(counts):
            if kept.get(cell, 0) != counts.get(cell, 0):
                facet, value, by_facet, by_value = cell
                where = f"{facet or 'all'}={value}" + (
                    f" with {by_facet}={by_value}" if by_facet else ""
                )
                found.append(
                    f"{subject} {where}: kept {kept.get(cell, 0)}, counted {counts.get(cell, 0)}"
                )
        kept_signatures = FacetSignature.objects.filter(subject=subject).values_list(
            "record_id", "cells"
        )
        stale = sum(
            1
            for pk, values in kept_signatures.iterator(chunk_size=CHUNK)
            if signatures.pop(pk, None) != values
        ) + len(signatures)
        if stale:
            found.append(f"{subject}: {stale} records' facet signatures are out of step")
    return sorted(found)
