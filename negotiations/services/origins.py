"""Source origins: sources linked by "derived from" (one copies or rewrites the other) or "same
report as" (both rewrite one report that is not in the base) form one origin, and count once
when a claim's support is counted.

An origin is stored on every source as the lowest-numbered source of its group
(``Source.origin``), so that counting independent origins is one indexed SQL count.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import Source

DERIVED = Source.derived_from.through
SAME_REPORT = Source.same_report_as.through


def _neighbours(ids):
    """Sources linked to any of ``ids`` in either direction, by either relation."""
    found = set()
    for through in (DERIVED, SAME_REPORT):
        links = through.objects.filter(Q(from_source__in=ids) | Q(to_source__in=ids)).values_list(
            "from_source", "to_source"
        )
        for pair in links:
            found.update(pair)
    return found


def group_of(source_ids):
    """Every source connected to the given ones (themselves included)."""
    group, frontier = set(source_ids), set(source_ids)
    while frontier:
        frontier = _neighbours(frontier) - group
        group |= frontier
    return group


def refresh_origins(*, source_ids):
    """Store the origin of every source in the groups of ``source_ids``; return the ids of
    sources whose origin changed (their claims' statuses must be derived again)."""
    changed = set()
    remaining = set(source_ids)
    while remaining:
        group = group_of({remaining.pop()})
        remaining -= group
        origin = min(group)
        stale = Source.objects.filter(pk__in=group).exclude(origin=origin)
        changed |= set(stale.values_list("pk", flat=True))
        stale.update(origin=origin)
    return changed


def fresh_origins():
    """{source id: the origin it should have} for every source: its group's lowest id."""
    parent = {pk: pk for pk in Source.objects.values_list("pk", flat=True)}

    def root(pk):
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for through in (DERIVED, SAME_REPORT):
        for a, b in through.objects.values_list("from_source", "to_source"):
            low, high = sorted((root(a), root(b)))
            parent[high] = low
    return {pk: root(pk) for pk in parent}


def refresh_all_origins():
    """Store every source's origin, from every link at once."""
    fresh = fresh_origins()
    stale = [
        Source(pk=pk, origin_id=fresh[pk])
        for pk, stored in Source.objects.values_list("pk", "origin")
        if stored != fresh[pk]
    ]
    Source.objects.bulk_update(stale, ["origin"], batch_size=1000)
    return {source.pk for source in stale}


def derivation_cycles():
    """Sources that derive from themselves, directly or through others."""
    edges = defaultdict(set)
    for child, parent in DERIVED.objects.values_list("from_source", "to_source"):
        edges[child].add(parent)
    in_cycle = set()
    for start in list(edges):
        seen, frontier = set(), set(edges[start])
        while frontier:
            if start in frontier:
                in_cycle.add(start)
                break
            seen |= frontier
            frontier = set().union(*(edges.get(n, set()) for n in frontier)) - seen
    return in_cycle


def sources_derived_from(source_id):
    """Every source that ``source_id`` derives from, directly or through others."""
    ancestors, frontier = set(), {source_id}
    while frontier:
        parents = set(
            DERIVED.objects.filter(from_source__in=frontier).values_list("to_source", flat=True)
        )
        frontier = parents - ancestors
        ancestors |= frontier
    return ancestors


def derivation_problem(source, parents):
    """Why ``source`` cannot derive from ``parents`` (sources or ids), in an editor's words, or
    None: no source derives from itself, directly or through others."""
    parent_ids = {getattr(p, "pk", p) for p in parents}
    if source.pk in parent_ids:
        return _("A source cannot be derived from itself.")
    for parent_id in parent_ids:
        if source.pk in sources_derived_from(parent_id) | {parent_id}:
            parent = Source.objects.filter(pk=parent_id).first()
            return _(
                "“%(parent)s” already derives from this source (directly or through others): "
                "two sources cannot each derive from the other."
            ) % {"parent": parent.title if parent else parent_id}
    return None


def refuse_derivation_cycle(source, parents):
    problem = derivation_problem(source, parents)
    if problem:
        raise ValidationError({"derived_from": problem})
