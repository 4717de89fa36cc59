"""Operator API: the same actions as the CLI, each behind a token scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from app.backend.crud import audit, callbacks, cases, kb, queues, status
from app.backend.crud.components import set_component_state
from app.backend.crud.rejections import MutationRejected
from app.backend.deps import HubDep, TokenDep, require_scope
from app.backend.problems import ProblemError, invalid_request
from app.backend.routes.cases import CaseCursor, CaseLimit, case_page
from app.schemas import (
    Article,
    Callback,
    Case,
    CaseStatus,
    Component,
    Incident,
    Page,
)
from app.schemas.admin import (
    AgentReplyIn,
    ArticleIn,
    CallbackStatusIn,
    CaseStatusIn,
    ComponentStateIn,
    HoursIn,
    IncidentIn,
    IncidentUpdateIn,
    StaffingIn,
)

router = APIRouter(prefix="/v1/admin", tags=["operator"])


StatusScope = Depends(require_scope("status"))
CasesScope = Depends(require_scope("cases"))
CallbacksScope = Depends(require_scope("callbacks"))
KbScope = Depends(require_scope("kb"))


@router.post("/incidents", response_model=Incident, status_code=201, dependencies=[StatusScope])
def publish_incident(body: IncidentIn, hub: HubDep, caller: TokenDep) -> Incident:
    with hub.db.write() as conn:
        published = status.publish_incident(
            conn,
            title=body.title,
            impact=body.impact,
            components_affected=body.components,
            body=body.body,
            kind=body.kind,
            status=body.status,
            keys=body.keys,
            articles=body.articles,
            actions=body.actions,
            scheduled_for=body.scheduled_for,
            scheduled_until=body.scheduled_until,
            component_state=body.component_state,
            translations=body.translations,
        )
        audit.record(conn, caller, "incident.publish", published.id, {"title": body.title})
        return published


@router.post(
    "/incidents/{incident_id}/updates", response_model=Incident, dependencies=[StatusScope]
)
def update_incident(
    incident_id: str, body: IncidentUpdateIn, hub: HubDep, caller: TokenDep
) -> Incident:
    with hub.db.write() as conn:
        updated = status.update_incident(
            conn,
            incident_id=incident_id,
            status=body.status,
            body=body.body,
            impact=body.impact,
            component_state=body.component_state,
            translations=body.translations,
        )
        audit.record(conn, caller, "incident.update", incident_id, {"status": body.status})
        return updated


@router.put(
    "/components/{component_id}/status", response_model=Component, dependencies=[StatusScope]
)
def set_component(
    component_id: str, body: ComponentStateIn, hub: HubDep, caller: TokenDep
) -> Component:
    with hub.db.write() as conn:
        component = set_component_state(conn, component_id=component_id, status=body.status)
        audit.record(conn, caller, "component.state", component_id, {"status": body.status})
        return component


@router.get("/cases", response_model=Page[Case], dependencies=[CasesScope])
def list_cases(
    hub: HubDep,
    state: Annotated[CaseStatus | None, Query(alias="status")] = None,
    cursor: CaseCursor = None,
    limit: CaseLimit = 50,
) -> Page[Case]:
    with hub.db.read() as conn:
        items, before = cases.list_cases(conn, status=state, before=cursor, limit=limit)
    return case_page(items, before)


@router.post("/cases/{case_id}/replies", response_model=Case, dependencies=[CasesScope])
def reply(case_id: str, body: AgentReplyIn, hub: HubDep, caller: TokenDep) -> Case:
    """The case's header with the new message (`messages_complete` false); a case that
    holds the most messages allowed answers 409 `case-full`, any other refusal 409 with
    its own code. Signed in as staff, the reply is theirs by name unless `author_name`
    says otherwise."""
    author = body.author_name
    if "author_name" not in body.model_fields_set and caller.staff_name:
        author = caller.staff_name
    try:
        with hub.db.write() as conn:
            target = cases.get_case(conn, case_id=case_id)
            replied = cases.agent_reply(
                conn,
                case_id=target.id,
                body=body.body,
                author_name=author,
                status=body.status,
                max_messages=hub.settings.max_case_messages,
                attachment_ids=body.attachments,
            )
            audit.record(conn, caller, "case.reply", target.id, {"status": replied.status})
            return replied
    except MutationRejected as refused:
        rejection = refused.rejection
        if rejection.code == "case_full":
            raise ProblemError(409, "Case full", rejection.detail, slug="case-full") from None
        slug = rejection.code.replace("_", "-")
        raise ProblemError(409, "Refused", rejection.detail, slug=slug) from None


@router.put("/cases/{case_id}/status", response_model=Case, dependencies=[CasesScope])
def set_case_status(case_id: str, body: CaseStatusIn, hub: HubDep, caller: TokenDep) -> Case:
    with hub.db.write() as conn:
        target = cases.get_case(conn, case_id=case_id)
        changed = cases.set_case_status(conn, case_id=target.id, status=body.status)
        audit.record(conn, caller, "case.status", target.id, {"status": body.status})
        return changed


@router.get("/callbacks", response_model=Page[Callback], dependencies=[CallbacksScope])
def list_callbacks(
    hub: HubDep, queue: Annotated[str | None, Query(max_length=100)] = None
) -> Page[Callback]:
    with hub.db.read() as conn:
        found = callbacks.list_callbacks(conn, queue_id=queue, active_only=True)
    return Page[Callback](items=found)


@router.put(
    "/callbacks/{callback_id}/status", response_model=Callback, dependencies=[CallbacksScope]
)
def set_callback_status(
    callback_id: str, body: CallbackStatusIn, hub: HubDep, caller: TokenDep
) -> Callback:
    with hub.db.write() as conn:
        found = callbacks.set_callback_status(conn, callback_id=callback_id, status=body.status)
        audit.record(conn, caller, "callback.status", callback_id, {"status": body.status})
        return found


@router.put("/queues/{queue_id}/hours", status_code=204, dependencies=[CallbacksScope])
def set_hours(queue_id: str, body: HoursIn, hub: HubDep, caller: TokenDep) -> Response:
    try:
        with hub.db.write() as conn:
            queues.set_hours(conn, queue_id=queue_id, hours=body.hours)
            audit.record(conn, caller, "queue.hours", queue_id, body.model_dump(mode="json"))
    except ValueError as error:
        raise invalid_request(error) from error
    return Response(status_code=204)


@router.put("/queues/{queue_id}/staffing", status_code=204, dependencies=[CallbacksScope])
def set_staffing(queue_id: str, body: StaffingIn, hub: HubDep, caller: TokenDep) -> Response:
    try:
        with hub.db.write() as conn:
            queues.set_staffing(
                conn,
                queue_id=queue_id,
                starts_at=body.starts_at,
                ends_at=body.ends_at,
                agents=body.agents,
            )
            detail = body.model_dump(mode="json")
            audit.record(conn, caller, "queue.staffing", queue_id, detail)
    except ValueError as error:
        raise invalid_request(error) from error
    return Response(status_code=204)


# An article's address, within what the database keeps (a longer one would be a 500 on
# PostgreSQL, which enforces column lengths).
LocalePath = Annotated[str, Path(max_length=16, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]
SlugPath = Annotated[str, Path(min_length=1, max_length=200)]


@router.put("/kb/articles/{locale}/{slug}", response_model=Article, dependencies=[KbScope])
def save_article(
    locale: LocalePath, slug: SlugPath, body: ArticleIn, hub: HubDep, caller: TokenDep
) -> Article:
    with hub.db.write() as conn:
        article, _changed = kb.save_article(
            conn,
            slug=slug,
            locale=locale,
            title=body.title,
            body=body.body,
            category=body.category,
            tags=body.tags,
            published=body.published,
        )
        audit.record(conn, caller, "article.save", f"{locale}:{slug}", {"title": body.title})
    return article


@router.delete("/kb/articles/{locale}/{slug}", status_code=204, dependencies=[KbScope])
def delete_article(locale: LocalePath, slug: SlugPath, hub: HubDep, caller: TokenDep) -> Response:
    with hub.db.write() as conn:
        kb.delete_article(conn, slug=slug, locale=locale)
        audit.record(conn, caller, "article.delete", f"{locale}:{slug}")
    return Response(status_code=204)
