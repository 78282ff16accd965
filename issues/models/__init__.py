"""The domain of summit dossiers, one module per concern; import models from here."""

from .dossiers import (
    AssessmentCitation,
    Event,
    EventCitation,
    Issue,
    OutlookAssessment,
    Position,
    Topic,
)
from .drafts import Draft
from .people import Country, Leader, Office
from .publishing import (
    PUBLISH_DRAFTS,
    SEE_DRAFTS,
    Publishable,
    can_publish,
    can_see_drafts,
    published_revisions,
    revisions_visible_to,
)
from .scales import (
    DatePrecision,
    Effect,
    Likelihood,
    MeetingStatus,
    PositionKind,
    Posture,
    PublicationStatus,
    Salience,
    Scale,
    ScaleLabel,
    SourceKind,
)
from .sources import Source
from .summits import Meeting, Scenario, Summit

__all__ = [
    "PUBLISH_DRAFTS",
    "SEE_DRAFTS",
    "AssessmentCitation",
    "Country",
    "DatePrecision",
    "Draft",
    "Effect",
    "Event",
    "EventCitation",
    "Issue",
    "Leader",
    "Likelihood",
    "Meeting",
    "MeetingStatus",
    "Office",
    "OutlookAssessment",
    "Position",
    "Publishable",
    "PositionKind",
    "Posture",
    "PublicationStatus",
    "Salience",
    "Scale",
    "ScaleLabel",
    "Scenario",
    "Source",
    "SourceKind",
    "Summit",
    "Topic",
    "can_publish",
    "can_see_drafts",
    "published_revisions",
    "revisions_visible_to",
]
