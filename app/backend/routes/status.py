"""Public status: the app's document, Statuspage's summary, incident history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from app.backend import statuspage
from app.backend.caching import cached_json
from app.backend.crud import status
from app.backend.deps import HubDep
from app.backend.hub import Hub
from app.backend.util import now
from app.schemas import Incident, Page, StatusSnapshot

router = APIRouter(tags=["status"])
CACHED: dict[int | str, dict[str, Any]] = {
    200: {"description": "The document (ETag, Cache-Control)."},
    304: {"description": "Not modified since the ETag sent in If-None-Match."},
}


async def _snapshot_document(hub: Hub, name: str) -> tuple[bytes, str]:
    """Most requests are answered from memory: no query and no thread."""

    async def read(generation: int) -> tuple[bytes, str]:
        return await run_in_threadpool(_read_snapshot, hub, name, generation)

    return await hub.documents.fresh(name, read)


def _read_snapshot(hub: Hub, name: str, generation: int) -> tuple[bytes, str]:
    with hub.db.read() as conn:
        # "Recent incidents" age out by the hour even when nothing changes.
        version = (statuspage.status_version(conn), now().strftime("%Y%m%d%H"))

        def build() -> Any:
            snapshot = statuspage.build_snapshot(conn, hub.settings)
            if name == "summary":
                return statuspage.summary(snapshot)
            return snapshot.model_dump(mode="json")

        return hub.documents.store(name, version, build, generation)


@router.get("/v1/status", response_model=StatusSnapshot, responses=CACHED)
async def get_status(request: Request, hub: HubDep) -> Response:
    """Components, active incidents, maintenance and recently resolved incidents."""
    body, etag = await _snapshot_document(hub, "status")
    return cached_json(request, body, etag)


@router.get("/api/v2/summary.json", responses=CACHED)
async def get_statuspage_summary(request: Request, hub: HubDep) -> Response:
    """The same status in Atlassian Statuspage's public `summary.json` format."""
    body, etag = await _snapshot_document(hub, "summary")
    return cached_json(request, body, etag)


@router.get("/v1/incidents", response_model=Page[Incident])
def list_incidents(
    hub: HubDep,
    cursor: Annotated[str | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Page[Incident]:
    """Incident and maintenance history, newest first."""
    with hub.db.read() as conn:
        items, next_cursor = status.list_incidents(conn, before=cursor, limit=limit)
    return Page[Incident](items=items, next_cursor=next_cursor)


@router.get("/v1/incidents/{incident_id}", response_model=Incident)
def get_incident(incident_id: str, hub: HubDep) -> Incident:
    with hub.db.read() as conn:
        return status.get_incident(conn, incident_id=incident_id)
