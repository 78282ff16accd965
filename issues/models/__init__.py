"""The domain of summit dossiers, one module per concern; import models from here."""

from .analysis import Analysis
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
from .outcomes import IssueOutcome, MeetingOutcome, MeetingResult, Resolution, ScenarioOutcome
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
from .scores import Rescore, Score, ScoreKind, ScoreStatus
from .sources import Source
from .summits import Meeting, Scenario, Summit

__all__ = [
    "PUBLISH_DRAFTS",
    "SEE_DRAFTS",
    "Analysis",
    "AssessmentCitation",
    "Country",
    "DatePrecision",
    "Draft",
    "Effect",
    "Event",
    "EventCitation",
    "Issue",
    "IssueOutcome",
    "Leader",
    "Likelihood",
    "Meeting",
    "MeetingOutcome",
    "MeetingResult",
    "MeetingStatus",
    "Office",
    "OutlookAssessment",
    "Position",
    "Publishable",
    "PositionKind",
    "Posture",
    "PublicationStatus",
    "Rescore",
    "Resolution",
    "Salience",
    "Scale",
    "ScaleLabel",
    "Scenario",
    "ScenarioOutcome",
    "Score",
    "ScoreKind",
    "ScoreStatus",
    "Source",
    "SourceKind",
    "Summit",
    "Topic",
    "can_publish",
    "can_see_drafts",
    "published_revisions",
    "revisions_visible_to",
]
