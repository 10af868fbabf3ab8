"""The knowledge base's records, one module per concept."""

from .base import DatePrecision, PublicationState, format_partial_date
from .evidence import (
    CLAIM_STATUS_EXPLANATIONS,
    VERIFICATION_EXPLANATIONS,
    AnchorStatus,
    Citation,
    Claim,
    ClaimStatus,
    ClaimUnit,
    Quote,
    QuoteKind,
    Stance,
    Statement,
    Verification,
)
from .people import Official, Position, Side
from .rounds import (
    AgendaItem,
    AgendaStatus,
    Participant,
    ParticipantRole,
    Round,
    RoundKind,
    StickingPoint,
    StickingPointCategory,
)
from .sources import Outlet, Reliability, Source, SourceKind

__all__ = [
    "AgendaItem",
    "AgendaStatus",
    "Citation",
    "CLAIM_STATUS_EXPLANATIONS",
    "VERIFICATION_EXPLANATIONS",
    "AnchorStatus",
    "Verification",
    "Claim",
    "ClaimStatus",
    "ClaimUnit",
    "DatePrecision",
    "Official",
    "Outlet",
    "Participant",
    "ParticipantRole",
    "Position",
    "PublicationState",
    "Quote",
    "QuoteKind",
    "Reliability",
    "Round",
    "RoundKind",
    "Side",
    "Source",
    "SourceKind",
    "Stance",
    "Statement",
    "StickingPoint",
    "StickingPointCategory",
    "format_partial_date",
]
