"""An operator vouching for an unverified sender: mail whose sender the company's MTA did
not vouch for keeps its cases under an owner no account has (`unverified_owner`). When the
operator has made sure of the address some other way (the customer called, showed their
booking), vouching moves those cases, with their files, to the customer who signs in with
that email, and marks them verified. Mail that comes later from that address is checked
as any mail is: vouching covers the cases there are now, not a forged From to come."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from app.backend.channels.mail_in import unverified_owner
from app.backend.crud.auth import ensure_customer, normalize_email
from app.backend.crud.cases import publish_case
from app.backend.crud.rows import next_version
from app.backend.db.tables import attachments, cases, mail_cases


@dataclass(frozen=True)
class UnverifiedCase:
    address: str
    case_id: str
    number: int
    subject: str
    status: str
    created_at: str


@dataclass(frozen=True)
class Vouched:
    customer_id: str
    numbers: list[int]


def unverified_cases(conn: Connection, address: str | None = None) -> list[UnverifiedCase]:
    """Cases of unverified senders (of `address` only, when given), by sender then case
    number. Only those still under the sender's unverified owner: a vouched one is not."""
    query = (
        select(
            mail_cases.c.address,
            cases.c.id,
            cases.c.number,
            cases.c.subject,
            cases.c.status,
            cases.c.created_at,
            cases.c.customer_id,
        )
        .join(cases, cases.c.id == mail_cases.c.case_id)
        .where(mail_cases.c.verified.is_(False))
        .order_by(mail_cases.c.address, cases.c.number)
    )
    if address is not None:
        query = query.where(mail_cases.c.address == normalize_email(address))
    return [
        UnverifiedCase(r.address, r.id, r.number, r.subject, r.status, str(r.created_at))
        for r in conn.execute(query)
        if r.customer_id == unverified_owner(r.address)
    ]


def vouch(conn: Connection, address: str) -> Vouched | None:
    """Move the unverified cases of `address` to its customer (made now if they never
    signed in); None when the address has none. Each case gets a new version, so the
    customer's devices pull it and hear of it live."""
    address = normalize_email(address)
    found = unverified_cases(conn, address)
    if not found:
        return None
    customer = ensure_customer(conn, email=address)
    owner = unverified_owner(address)
    conn.execute(
        update(attachments)
        .where(attachments.c.customer_id == owner)
        .values(customer_id=customer.id)
    )
    ids = [case.case_id for case in found]
    conn.execute(update(mail_cases).where(mail_cases.c.case_id.in_(ids)).values(verified=True))
    for case_id in ids:
        next_version(conn, cases, row_id=case_id, values={"customer_id": customer.id})
        publish_case(conn, case_id, added=None)
    return Vouched(customer.id, [case.number for case in found])
