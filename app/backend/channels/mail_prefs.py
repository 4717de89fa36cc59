"""A signed-in customer's choice to get agents' replies on a case by email too."""

from __future__ import annotations

from sqlalchemy import Connection

from app.backend.channels.mail_store import mail_case, set_mail_case
from app.backend.crud import cases
from app.backend.crud.auth import get_customer
from app.schemas import Case


def set_email_replies(conn: Connection, *, customer_id: str, case_ref: str, on: bool) -> Case:
    """Mail the case's agent replies to the customer's own address (`on`), or stop. Only
    the customer's own case, and only their signed-in address: sign-in proved it. The
    case's new version carries the choice to the customer's other devices."""
    case_id = cases.resolve_own_case(conn, customer_id=customer_id, case_ref=case_ref)
    found = mail_case(conn, case_id)
    address = found.address if found else get_customer(conn, customer_id=customer_id).email
    set_mail_case(conn, case_id=case_id, address=address, replies_by_email=on, verified=True)
    current = cases.get_case(conn, case_id=case_id)
    return cases.set_case_status(conn, case_id=case_id, status=current.status)
