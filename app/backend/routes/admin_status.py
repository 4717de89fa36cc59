"""Operator API for the storm console's Status screen: who an incident would alert before
it is published, and the company's incident templates to start one from."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.backend.crud import status
from app.backend.deps import HubDep, require_scope
from app.backend.incident_templates import incident_templates
from app.backend.push_delivery.audience import audience
from app.backend.push_delivery.setup import push_platforms
from app.backend.util import now
from app.schemas.console import Audience, AudienceIn, IncidentTemplate

router = APIRouter(prefix="/v1/admin", tags=["operator"])
StatusScope = Depends(require_scope("status"))


@router.post("/incidents/audience", response_model=Audience, dependencies=[StatusScope])
def incident_audience(body: AudienceIn, hub: HubDep) -> Audience:
    """Without publishing: how many customers the incident concerns, the devices its alert
    would reach and how many of them by push now, and the alert in each language those
    customers use. An unknown component answers 422 `unknown-component`."""
    with hub.db.read() as conn:
        draft = status.draft_incident(
            conn,
            title=body.title,
            impact=body.impact,
            components_affected=body.components,
            body=body.body,
            kind=body.kind,
            keys=body.keys,
            translations=body.translations,
        )
        return audience(conn, draft, platforms=push_platforms(hub.settings), moment=now())


@router.get(
    "/incident-templates", response_model=list[IncidentTemplate], dependencies=[StatusScope]
)
def list_incident_templates() -> list[IncidentTemplate]:
    """Prefilled incidents for common disruptions, in English with their Spanish text."""
    return list(incident_templates())
