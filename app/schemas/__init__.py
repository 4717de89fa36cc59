"""Wire models of protocol v1, shared by the customer app and the hub (the contract)."""

from app.schemas.callbacks import (
    AsapEstimate,
    Availability,
    Callback,
    CallbackMode,
    CallbackQueue,
    CallbackStatus,
    Slot,
)
from app.schemas.cases import Attachment, Case, CaseMessage, CaseStatus, MessageAuthor
from app.schemas.common import Page, Problem, ProblemField
from app.schemas.customers import (
    AuthStart,
    AuthStarted,
    AuthVerify,
    Customer,
    Session,
    Subscriptions,
)
from app.schemas.events import Event
from app.schemas.kb import Article, ArticleFeedback, Category
from app.schemas.status import (
    Component,
    ComponentState,
    Impact,
    Incident,
    IncidentAction,
    IncidentKind,
    IncidentStatus,
    IncidentUpdate,
    StatusSnapshot,
)
from app.schemas.sync import (
    Change,
    ChangeFeed,
    MutationIn,
    MutationName,
    MutationResult,
    PushRequest,
    PushResponse,
    Rejection,
)

__all__ = [
    "Article",
    "ArticleFeedback",
    "AsapEstimate",
    "Attachment",
    "AuthStart",
    "AuthStarted",
    "AuthVerify",
    "Availability",
    "Callback",
    "CallbackMode",
    "CallbackQueue",
    "CallbackStatus",
    "Case",
    "CaseMessage",
    "CaseStatus",
    "Category",
    "Change",
    "ChangeFeed",
    "Component",
    "ComponentState",
    "Customer",
    "Event",
    "Impact",
    "Incident",
    "IncidentAction",
    "IncidentKind",
    "IncidentStatus",
    "IncidentUpdate",
    "MessageAuthor",
    "MutationIn",
    "MutationName",
    "MutationResult",
    "Page",
    "Problem",
    "ProblemField",
    "PushRequest",
    "PushResponse",
    "Rejection",
    "Session",
    "Slot",
    "StatusSnapshot",
    "Subscriptions",
]
