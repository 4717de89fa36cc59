"""Operator API for the storm console's Cases screen: the team's inbox (cases by latest
activity, filtered, with who they are assigned to and whether they wait on the team),
one case with its whole thread, and assigning a case."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from app.backend.crud import inbox
from app.backend.crud.inbox import InboxFilter
from app.backend.deps import HubDep, require_scope
from app.schemas import CaseStatus, Page
from app.schemas.console import AssignIn, InboxCase

router = APIRouter(prefix="/v1/admin", tags=["operator"])
CasesScope = Depends(require_scope("cases"))

# Where a page of the inbox starts: the `next_cursor` of the page before, the last
# case's activity time and id.
CURSOR = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z~[A-Za-z0-9_-]{1,40}$"
Cursor = Annotated[str | None, Query(max_length=80, pattern=CURSOR)]
Limit = Annotated[int, Query(ge=1, le=100)]
Name = Annotated[str | None, Query(min_length=1, max_length=100)]
Id = Annotated[str | None, Query(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")]


@router.get("/inbox", response_model=Page[InboxCase], dependencies=[CasesScope])
def list_inbox(
    hub: HubDep,
    state: Annotated[list[CaseStatus] | None, Query(alias="status", max_length=5)] = None,
    category: Name = None,
    incident: Id = None,
    channel: Name = None,
    assignee: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=40,
            pattern=r"^[A-Za-z0-9_-]+$",
            description=f"A member of staff's id, or `{inbox.UNASSIGNED}` for cases "
            "nobody is assigned to.",
        ),
    ] = None,
    waiting: Annotated[
        bool | None,
        Query(description="Only cases that wait on the team (true) or do not (false)."),
    ] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[InboxCase]:
    """Cases with the latest activity first, each with its last message only
    (`messages_complete` false; `GET /v1/admin/inbox/{case_id}` has the whole thread).
    `status` may be given more than once."""
    wanted = InboxFilter(
        statuses=state or (),
        category=category,
        incident_id=incident,
        channel=channel,
        assignee=assignee,
        waiting=waiting,
    )
    after = None
    if cursor:
        at, _, case_id = cursor.partition("~")
        after = (at, case_id)
    with hub.db.read() as conn:
        items, ends = inbox.list_inbox(conn, wanted=wanted, after=after, limit=limit)
    next_cursor = f"{ends[0]}~{ends[1]}" if ends is not None else None
    return Page[InboxCase](items=items, next_cursor=next_cursor)


@router.get("/inbox/{case_id}", response_model=InboxCase, dependencies=[CasesScope])
def inbox_case(case_id: str, hub: HubDep) -> InboxCase:
    """One case (by id or number) with its whole thread."""
    with hub.db.read() as conn:
        return inbox.get_inbox_case(conn, case_id=case_id)


@router.put("/cases/{case_id}/assignee", response_model=InboxCase, dependencies=[CasesScope])
def assign_case(case_id: str, body: AssignIn, hub: HubDep) -> InboxCase:
    """Assign the case to a member of staff (`assignee` null: to nobody). The customer
    never sees who."""
    with hub.db.write() as conn:
        return inbox.assign(conn, case_id=case_id, assignee=body.assignee)
