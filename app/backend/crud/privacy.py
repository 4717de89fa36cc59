"""A customer's own data: everything the hub holds about them, and erasing them.

Erasing keeps the company's support record without the person: the case history stays
(numbers, status, the agents' replies) but what the customer wrote, their files, phone
numbers, devices, alerts and sign-ins are removed, and the account can no longer be
reached by its email address."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, delete, select, update

from app.backend.crud import auth, cases, subscriptions
from app.backend.crud.availability import release_slot
from app.backend.crud.callbacks import list_callbacks, publish_callback
from app.backend.db import notify
from app.backend.db.tables import (
    article_feedback,
    attachments,
    auth_codes,
    callbacks,
    case_messages,
    customers,
    devices,
    events,
    mutations,
    sign_in_failures,
    sync_changes,
    tokens,
)
from app.backend.db.tables import cases as case_rows
from app.backend.db.tables import subscriptions as subscription_rows
from app.backend.util import format_time, now
from app.schemas.callbacks import ACTIVE_STATUSES

REMOVED = "[removed at the customer's request]"
WITHHELD_PHONE = "withheld"


def export_customer(conn: Connection, *, customer_id: str) -> dict[str, Any]:
    """Everything held about the customer, as one JSON document."""
    customer = auth.get_customer(conn, customer_id=customer_id)
    own_cases, _ = cases.list_cases(conn, customer_id=customer_id, limit=100_000)
    feedback = conn.execute(
        select(article_feedback).where(article_feedback.c.customer_id == customer_id)
    ).all()
    files = conn.execute(
        select(
            attachments.c.id,
            attachments.c.filename,
            attachments.c.content_type,
            attachments.c.size,
            attachments.c.case_id,
            attachments.c.created_at,
        ).where(attachments.c.customer_id == customer_id)
    ).all()
    registered = conn.execute(
        select(devices.c.id, devices.c.platform, devices.c.created_at).where(
            devices.c.customer_id == customer_id
        )
    ).all()
    sessions = conn.execute(
        select(
            tokens.c.id,
            tokens.c.created_at,
            tokens.c.expires_at,
            tokens.c.revoked_at,
            tokens.c.last_used_at,
            tokens.c.user_agent,
        ).where(tokens.c.customer_id == customer_id)
    ).all()
    return {
        "exported_at": format_time(now()),
        "customer": customer.model_dump(mode="json"),
        "alert_subscriptions": subscriptions.get_subscriptions(
            conn, customer_id=customer_id
        ).model_dump(mode="json"),
        "cases": [c.model_dump(mode="json") for c in own_cases],
        "callbacks": [
            c.model_dump(mode="json") for c in list_callbacks(conn, customer_id=customer_id)
        ],
        "attachments": [dict(row._mapping) for row in files],
        "article_feedback": [
            {
                "article_id": row.article_id,
                "helpful": row.helpful,
                "comment": row.comment,
                "created_at": row.created_at,
            }
            for row in feedback
        ],
        "devices": [dict(row._mapping) for row in registered],
        "sign_ins": [dict(row._mapping) for row in sessions],
    }


def erase_customer(conn: Connection, *, customer_id: str) -> None:
    """Erase the customer as described above, in the caller's transaction."""
    email = auth.get_customer(conn, customer_id=customer_id).email
    for row in conn.execute(
        select(callbacks).where(callbacks.c.customer_id == customer_id).with_for_update()
    ).all():
        if row.status in ACTIVE_STATUSES:
            release_slot(conn, row.queue_id, row.slot_start)
        conn.execute(
            update(callbacks)
            .where(callbacks.c.id == row.id)
            .values(
                status="cancelled" if row.status in ACTIVE_STATUSES else row.status,
                phone=WITHHELD_PHONE,
                note=None,
                version=callbacks.c.version + 1,
                updated_at=format_time(now()),
            )
        )
        publish_callback(conn, row.id)
    own = select(case_rows.c.id).where(case_rows.c.customer_id == customer_id)
    conn.execute(
        update(case_rows)
        .where(case_rows.c.customer_id == customer_id)
        .values(subject=REMOVED, description=REMOVED, version=case_rows.c.version + 1)
    )
    conn.execute(
        update(case_messages)
        .where(case_messages.c.case_id.in_(own), case_messages.c.author == "customer")
        .values(body=REMOVED)
    )
    conn.execute(delete(attachments).where(attachments.c.customer_id == customer_id))
    conn.execute(
        update(article_feedback)
        .where(article_feedback.c.customer_id == customer_id)
        .values(customer_id=None, comment=None)
    )
    notify.tokens_revoked(
        conn, conn.execute(select(tokens.c.id).where(tokens.c.customer_id == customer_id)).scalars()
    )
    for table in (devices, subscription_rows, mutations, sync_changes, events, tokens):
        conn.execute(delete(table).where(table.c.customer_id == customer_id))
    conn.execute(delete(auth_codes).where(auth_codes.c.email == email))
    conn.execute(delete(sign_in_failures).where(sign_in_failures.c.email == email))
    conn.execute(
        update(customers)
        .where(customers.c.id == customer_id)
        .values(email=f"erased-{customer_id}@erased.invalid", name=None)
    )
