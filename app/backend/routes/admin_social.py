"""Operator API for early warning: a live feed of public posts (the `social` scope, for a
feed's own token), and the warnings their bursts open, which whoever runs the status page
(the `status` scope) acknowledges, dismisses or publishes as an incident."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.backend.deps import HubDep, TokenDep, require_scope
from app.backend.early_warning import store
from app.schemas.warnings import (
    EarlyWarning,
    IngestResult,
    PostBatch,
    WarningAction,
    WarningState,
)

router = APIRouter(prefix="/v1/admin/social", tags=["operator"])
SocialScope = Depends(require_scope("social"))
StatusScope = Depends(require_scope("status"))


@router.post("/posts", response_model=IngestResult, dependencies=[SocialScope])
def ingest_posts(body: PostBatch, hub: HubDep) -> IngestResult:
    """Store the posts not stored yet (same `source` and `id`: ignored), their text
    trimmed and their author dropped, and open warnings for the bursts they make."""
    detection = store.detection_of(hub.settings)
    with hub.db.write() as conn:
        added = store.add_posts(conn, body.posts)
        since = min((post.created_at for post in added), default=None)
        opened = store.detect(conn, since=since, detection=detection) if since is not None else 0
    return IngestResult(received=len(body.posts), added=len(added), warnings_opened=opened)


@router.get("/warnings", response_model=list[EarlyWarning], dependencies=[StatusScope])
def list_warnings(
    hub: HubDep,
    state: WarningState | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[EarlyWarning]:
    """Warnings, most recently detected first."""
    with hub.db.read() as conn:
        return store.list_warnings(conn, state=state, limit=limit)


@router.post("/warnings/{warning_id}", response_model=EarlyWarning, dependencies=[StatusScope])
def act_on_warning(
    warning_id: str, body: WarningAction, hub: HubDep, caller: TokenDep
) -> EarlyWarning:
    """Acknowledge, dismiss, or publish (an incident prefilled from the warning, its id
    in `incident_id`; or, given `incident_id`, link that incident); audited. A published
    warning answers 409, an unknown one 404, an unknown incident 422."""
    with hub.db.write() as conn:
        return store.act(conn, caller, warning_id, body)
