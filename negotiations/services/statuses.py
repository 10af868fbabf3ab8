"""Claim statuses: corroborated, single source, disputed or unsupported, derived from a claim's
citations and stored on the claim, never typed.

Only what a reader can check counts: citations whose passage is still at its place in the text
(anchored), into published sources. Supporting sources are counted by origin
(``Source.origin``): sources that copy or rewrite the same report count once.
"""

from django.db.models import Count
from django.db.models.functions import Coalesce

from ..models import AnchorStatus, Citation, Claim, ClaimStatus, PublicationState, Stance

BATCH = 1000


def derive_status(*, supporting_origins, disputing_citations):
    if disputing_citations:
        return ClaimStatus.DISPUTED
    if supporting_origins >= 2:
        return ClaimStatus.CORROBORATED
    if supporting_origins == 1:
        return ClaimStatus.SINGLE_SOURCE
    return ClaimStatus.UNSUPPORTED


def evidence_counts(claim_ids):
    """{claim id: (independent supporting origins, disputing citations)} from the database."""
    rows = (
        Citation.objects.filter(
            claim__in=claim_ids,
            anchor_status=AnchorStatus.ANCHORED,
            source__state=PublicationState.PUBLISHED,
            stance__in=(Stance.SUPPORTS, Stance.DISPUTES),
        )
        .values("claim", "stance")
        .annotate(
            origins=Count(Coalesce("source__origin", "source"), distinct=True),
            citations=Count("pk"),
        )
        .order_by()
    )
    counts = {claim_id: [0, 0] for claim_id in claim_ids}
    for row in rows:
        if row["stance"] == Stance.SUPPORTS:
            counts[row["claim"]][0] = row["origins"]
        else:
            counts[row["claim"]][1] = row["citations"]
    return {claim_id: tuple(pair) for claim_id, pair in counts.items()}


def derive_statuses(claims):
    """{claim: (fresh status, independent origins)} for the given claims (a QuerySet),
    read-only, in batches."""
    ids = list(claims.order_by("pk").values_list("pk", flat=True))
    fresh = {}
    for offset in range(0, len(ids), BATCH):
        batch = ids[offset : offset + BATCH]
        counts = evidence_counts(batch)
        for claim in Claim.objects.filter(pk__in=batch).only(
            "pk", "text", "status", "independent_sources"
        ):
            origins, disputes = counts[claim.pk]
            status = derive_status(supporting_origins=origins, disputing_citations=disputes)
            fresh[claim] = (status, origins)
    return fresh


def refresh_claim_statuses(*, claims=None):
    """Derive the status of the given claims (a QuerySet; all by default), saving those that
    changed. Returns how many changed."""
    claims = Claim.objects.all() if claims is None else claims
    changed = []
    for claim, (status, origins) in derive_statuses(claims).items():
        if (claim.status, claim.independent_sources) != (status, origins):
            claim.status, claim.independent_sources = status, origins
            changed.append(claim)
    Claim.objects.bulk_update(changed, ["status", "independent_sources"], batch_size=BATCH)
    return len(changed)
