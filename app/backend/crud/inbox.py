"""The team's case inbox: cases by latest activity with who they are assigned to and
whether they wait on the team, read in one query per page (the waiting state is worked
out in SQL, the same on SQLite and PostgreSQL).

A case waits on the team while it is active (new, open or pending) and the customer
wrote last: nobody has replied yet (it waits since it was opened), or a customer's
message came after the last agent's reply (it waits since the first such message). The
assignee is the team's own business: it never reaches the customer's `Case`."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    and_,
    func,
    null,
    or_,
    select,
    update,
)
from sqlalchemy import case as when

from app.backend.crud import cases as case_crud
from app.backend.db.tables import (
    attachments,
    case_messages,
    cases,
    customers,
    mail_cases,
    staff,
)
from app.schemas import Case, CaseStatus, MessageAuthor
from app.schemas.console import InboxCase

ACTIVE = (CaseStatus.new.value, CaseStatus.open.value, CaseStatus.pending.value)
UNASSIGNED = "none"  # the `assignee` filter for cases nobody is assigned to


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows: each field None (or empty) leaves it out. `assignee` is a
    member of staff's id, or `UNASSIGNED`."""

    statuses: Collection[CaseStatus] = ()
    category: str | None = None
    incident_id: str | None = None
    channel: str | None = None
    assignee: str | None = None
    waiting: bool | None = None


def _last_reply() -> Any:
    """When an agent last wrote on the case (NULL: never)."""
    agent = case_messages.alias("agent_message")
    return (
        select(func.max(agent.c.created_at))
        .where(agent.c.case_id == cases.c.id, agent.c.author == MessageAuthor.agent.value)
        .correlate(cases)
        .scalar_subquery()
    )


def _first_unanswered() -> Any:
    """When the first customer message after the last agent reply came (NULL: none)."""
    mine = case_messages.alias("customer_message")
    return (
        select(func.min(mine.c.created_at))
        .where(
            mine.c.case_id == cases.c.id,
            mine.c.author == MessageAuthor.customer.value,
            mine.c.created_at > _last_reply(),
        )
        .correlate(cases)
        .scalar_subquery()
    )


def waiting_since() -> ColumnElement[Any]:
    """When the customer's unanswered word came; NULL when the case does not wait on us."""
    return when(
        (cases.c.status.notin_(ACTIVE), null()),
        (_last_reply().is_(None), cases.c.created_at),
        else_=_first_unanswered(),
    )


def _query() -> Select[Any]:
    return select(
        cases,
        # An unverified sender has no customer row: the agents see the address the mail
        # came from, marked as unverified.
        func.coalesce(customers.c.email, mail_cases.c.address + " (unverified)", "").label(
            "customer_email"
        ),
        waiting_since().label("waiting_since"),
        staff.c.name.label("assignee_name"),
    ).select_from(
        cases.outerjoin(customers, customers.c.id == cases.c.customer_id)
        .outerjoin(staff, staff.c.id == cases.c.assignee)
        .outerjoin(mail_cases, mail_cases.c.case_id == cases.c.id)
    )


def _filtered(query: Select[Any], wanted: InboxFilter) -> Select[Any]:
    if wanted.statuses:
        query = query.where(cases.c.status.in_([s.value for s in wanted.statuses]))
    if wanted.category is not None:
        query = query.where(cases.c.category == wanted.category)
    if wanted.incident_id is not None:
        query = query.where(cases.c.incident_id == wanted.incident_id)
    if wanted.channel is not None:
        query = query.where(cases.c.channel == wanted.channel)
    if wanted.assignee == UNASSIGNED:
        query = query.where(cases.c.assignee.is_(None))
    elif wanted.assignee is not None:
        query = query.where(cases.c.assignee == wanted.assignee)
    if wanted.waiting is not None:
        since = waiting_since()
        query = query.where(since.is_not(None) if wanted.waiting else since.is_(None))
    return query


def list_inbox(
    conn: Connection,
    *,
    wanted: InboxFilter,
    after: tuple[str, str] | None = None,
    limit: int = 50,
) -> tuple[list[InboxCase], tuple[str, str] | None]:
    """Cases with the latest activity first, each with its last message only
    (`messages_complete` false); `after` is the (updated_at, id) the previous page ended
    with. Returns the page and where the next one starts (None after the last)."""
    query = _filtered(_query(), wanted).order_by(cases.c.updated_at.desc(), cases.c.id.desc())
    if after is not None:
        at, case_id = after
        query = query.where(
            or_(cases.c.updated_at < at, and_(cases.c.updated_at == at, cases.c.id < case_id))
        )
    rows = conn.execute(query.limit(limit + 1)).all()
    page = rows[:limit]
    ends = (page[-1].updated_at, page[-1].id) if len(rows) > limit else None
    return _headers(conn, page), ends


def _headers(conn: Connection, rows: Sequence[Row[Any]]) -> list[InboxCase]:
    """The page's cases, each with its last message and the files of the two (three
    queries for the page, whatever its length)."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    newer = case_messages.alias("newer_message")
    latest_id = (
        select(newer.c.id)
        .where(newer.c.case_id == case_messages.c.case_id)
        .order_by(newer.c.created_at.desc(), newer.c.id.desc())
        .limit(1)
        .correlate(case_messages)
        .scalar_subquery()
    )
    last = {
        m.case_id: m
        for m in conn.execute(
            select(case_messages).where(
                case_messages.c.case_id.in_(ids), case_messages.c.id == latest_id
            )
        )
    }
    files: Sequence[Any] = conn.execute(
        select(
            attachments.c.id,
            attachments.c.filename,
            attachments.c.content_type,
            attachments.c.size,
            attachments.c.case_id,
            attachments.c.message_id,
        )
        .where(
            attachments.c.case_id.in_(ids),
            or_(
                attachments.c.message_id.is_(None),
                attachments.c.message_id.in_([m.id for m in last.values()]),
            ),
        )
        .order_by(attachments.c.created_at)
    ).all()
    items = []
    for row in rows:
        message = last.get(row.id)
        thread = [] if message is None else [case_crud.message_from_row(message, files)]
        header = case_crud.case_from_row(row, files, thread, complete=False)
        items.append(_inbox_case(header, row))
    return items


def _inbox_case(case: Case, row: Row[Any]) -> InboxCase:
    return InboxCase(
        **dict(case),
        customer_email=row.customer_email,
        assignee=row.assignee,
        assignee_name=row.assignee_name,
        waiting_on_us=row.waiting_since is not None,
        waiting_since=row.waiting_since,
    )


def get_inbox_case(conn: Connection, *, case_id: str) -> InboxCase:
    """A case (by id or number) with its whole thread, as the inbox shows it; 404 if none."""
    case = case_crud.get_case(conn, case_id=case_id)
    row = conn.execute(_query().where(cases.c.id == case.id)).one()
    return _inbox_case(case, row)


def assign(conn: Connection, *, case_id: str, assignee: str | None) -> InboxCase:
    """Assign a case (by id or number) to a member of staff, or to nobody (None). The
    customer's case does not change: no new version, nothing in their feed."""
    case = case_crud.get_case(conn, case_id=case_id)
    conn.execute(update(cases).where(cases.c.id == case.id).values(assignee=assignee))
    return get_inbox_case(conn, case_id=case.id)
