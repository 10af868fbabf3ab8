"""The knowledge base's records, one module per concept.

base (publication state, partial dates, word search), sources, retrievals (pages fetched
for import, kept as fetched), people (officials), issues
(sticking points), rounds (with participants and agenda), quotes (with statements), claims,
citations; the facet counts kept on write (facets); and the change stamp (changes), the version of all of them that caches are keyed
on; and the changes to published records waiting for a reviewer (reviews); the quote
checker's saved reports (checks), which are not records of the knowledge base. A module imports only the ones listed before it (citations: sources and rounds;
quotes and claims: citations too); a module reaches the records that point at its own through
their reverse relation (``base.related_model``), never by importing a later module.
"""

from .base import DatePrecision, PublicationState, format_partial_date
from .changes import ChangeStamp
from .checks import CheckReport
from .citations import AnchorStatus, Citation, Stance
from .claims import (
    CLAIM_STATUS_EXPLANATIONS,
    TARIFF_SERIES,
    Claim,
    ClaimMeasure,
    ClaimStatus,
    ClaimUnit,
    ValueQualifier,
)
from .facets import FacetCount, FacetSignature
from .issues import StickingPoint, StickingPointCategory
from .people import Official, Position, Side
from .quotes import VERIFICATION_EXPLANATIONS, Quote, QuoteKind, Statement, Verification
from .retrievals import Retrieval
from .reviews import ChangeKind, PendingChange, ReviewStatus
from .rounds import AgendaItem, AgendaStatus, Participant, ParticipantRole, Round, RoundKind
from .sources import Outlet, Reliability, Source, SourceKind

__all__ = [
    "AgendaItem",
    "AgendaStatus",
    "AnchorStatus",
    "CLAIM_STATUS_EXPLANATIONS",
    "ChangeKind",
    "ChangeStamp",
    "CheckReport",
    "Citation",
    "Claim",
    "ClaimMeasure",
    "ClaimStatus",
    "FacetCount",
    "FacetSignature",
    "ClaimUnit",
    "DatePrecision",
    "Official",
    "Outlet",
    "Participant",
    "PendingChange",
    "ParticipantRole",
    "Position",
    "PublicationState",
    "Quote",
    "QuoteKind",
    "Reliability",
    "Retrieval",
    "ReviewStatus",
    "Round",
    "RoundKind",
    "Side",
    "Source",
    "SourceKind",
    "Stance",
    "Statement",
    "StickingPoint",
    "StickingPointCategory",
    "TARIFF_SERIES",
    "VERIFICATION_EXPLANATIONS",
    "ValueQualifier",
    "Verification",
    "format_partial_date",
]
