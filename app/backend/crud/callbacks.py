"""A customer's callbacks: request (ASAP or a slot), cancel, reschedule; operator outcome;
a reminder before a scheduled call; and a callback as the API shows it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from app.backend.crud.availability import (
    asap_estimate,
    nearest_free_slots,
    release_slot,
    take_slot,
)
from app.backend.crud.changes import record_change
from app.backend.crud.events import publish_event
from app.backend.crud.queues import queue_row
from app.backend.crud.rejections import MutationRejected
from app.backend.crud.rows import next_version, one_or_404, own_row
from app.backend.db.tables import callbacks, customers
from app.backend.problems import ProblemError
from app.backend.util import format_time, new_id, now
from app.schemas import Callback, CallbackMode, CallbackStatus
from app.schemas.callbacks import ACTIVE_STATUSES, initial_status, international_phone

REMIND_AHEAD = timedelta(minutes=15)


def callback_from_row(row: Row[Any]) -> Callback:
    """The callback as the API shows it: its columns carry the wire model's names (the
    customer, version and reminder columns stay on the hub)."""
    return Callback.model_validate(row, from_attributes=True)


def publish_callback(conn: Connection, callback_id: str) -> Callback:
    row = conn.execute(select(callbacks).where(callbacks.c.id == callback_id)).one()
    callback = callback_from_row(row)
    record_change(
        conn,
        entity="callback",
        entity_id=callback_id,
        version=row.version,
        data=callback.model_dump(mode="json"),
        customer_id=row.customer_id,
    )
    return callback


def _own_callback(conn: Connection, customer_id: str, ref: str) -> Row[Any]:
    return own_row(
        conn, callbacks, customer_id=customer_id, ref=ref, missing="That callback does not exist."
    )


def request_callback(
    conn: Connection,
    *,
    customer_id: str,
    queue_id: str,
    mode: CallbackMode,
    phone: str,
    slot_start: datetime | None = None,
    note: str | None = None,
    case_id: str | None = None,
    booking_ref: str | None = None,
    language: str | None = None,
    client_ref: str | None = None,
) -> Callback:
    """Book a callback (`booking_ref` already checked against the company's format);
    rejected with the nearest free slots when the slot is taken."""
    number = international_phone(phone)
    if number is None:
        raise MutationRejected(
            "invalid_phone", "Give the phone number in international form, e.g. +13125550123."
        )
    try:
        queue = queue_row(conn, queue_id)
    except ProblemError as error:
        raise MutationRejected("unknown_queue", "That callback queue does not exist.") from error
    # One request at a time per customer, so two devices cannot both pass the check below.
    conn.execute(select(customers.c.id).where(customers.c.id == customer_id).with_for_update())
    active = conn.execute(
        select(callbacks).where(
            callbacks.c.customer_id == customer_id,
            callbacks.c.queue_id == queue_id,
            callbacks.c.status.in_(ACTIVE_STATUSES),
        )
    ).first()
    if active is not None:
        raise MutationRejected(
            "already_booked",
            "You already have a callback in this queue; reschedule or cancel it instead.",
            [{"callback_id": active.id}],
        )
    slot_end = None
    if mode is CallbackMode.asap:
        estimate = asap_estimate(conn, queue_id=queue_id)
        if not estimate.available:
            raise MutationRejected(
                "queue_closed",
                estimate.reason or "ASAP callbacks are not possible now.",
                nearest_free_slots(conn, queue_id, None),
            )
    else:
        if slot_start is None:
            raise MutationRejected("invalid", "Pick a time slot.")
        slot_end = take_slot(conn, queue, slot_start)
    stamp = format_time(now())
    callback_id = new_id("cb")
    conn.execute(
        insert(callbacks).values(
            id=callback_id,
            customer_id=customer_id,
            queue_id=queue_id,
            mode=mode.value,
            status=initial_status(mode).value,
            phone=number,
            slot_start=format_time(slot_start) if slot_start and slot_end else None,
            slot_end=format_time(slot_end) if slot_end else None,
            note=(note or "").strip()[:2000] or None,
            case_id=case_id,
            booking_ref=booking_ref,
            language=language,
            client_ref=client_ref,
            version=1,
            created_at=stamp,
            updated_at=stamp,
        )
    )
    return publish_callback(conn, callback_id)


def cancel_callback(conn: Connection, *, customer_id: str, callback_ref: str) -> Callback:
    row = _own_callback(conn, customer_id, callback_ref)
    if row.status not in ACTIVE_STATUSES:
        raise MutationRejected("not_cancellable", f"This callback is already {row.status}.")
    release_slot(conn, row.queue_id, row.slot_start)
    return _set(conn, row.id, status="cancelled")


def reschedule_callback(
    conn: Connection, *, customer_id: str, callback_ref: str, slot_start: datetime
) -> Callback:
    """Move a callback to another slot; the old slot is freed only once the new one is held."""
    row = _own_callback(conn, customer_id, callback_ref)
    if row.status not in ACTIVE_STATUSES:
        raise MutationRejected("not_reschedulable", f"This callback is already {row.status}.")
    if row.slot_start == format_time(slot_start):
        return callback_from_row(row)
    slot_end = take_slot(conn, queue_row(conn, row.queue_id), slot_start)
    release_slot(conn, row.queue_id, row.slot_start)
    return _set(
        conn,
        row.id,
        status="scheduled",
        mode="slot",
        slot_start=format_time(slot_start),
        slot_end=format_time(slot_end),
        reminded_at=None,  # the new time gets its own reminder
    )


def set_callback_status(conn: Connection, *, callback_id: str, status: CallbackStatus) -> Callback:
    """Operator: record the outcome (completed, missed) or cancel on the customer's behalf.
    Only an active callback changes; a finished one is not brought back."""
    locked = select(callbacks).where(callbacks.c.id == callback_id).with_for_update()
    row = one_or_404(conn, locked, what="callback")
    if row.status not in ACTIVE_STATUSES or status.value in ACTIVE_STATUSES:
        raise ProblemError(
            409,
            "Callback already finished" if row.status not in ACTIVE_STATUSES else "Invalid outcome",
            f"A {row.status} callback can only become completed, missed or cancelled "
            "while it is requested or scheduled.",
            slug="invalid-transition",
        )
    if status is CallbackStatus.cancelled:
        release_slot(conn, row.queue_id, row.slot_start)
    return _set(conn, callback_id, status=status.value)


def _set(conn: Connection, callback_id: str, **values: Any) -> Callback:
    next_version(conn, callbacks, row_id=callback_id, values=values)
    return publish_callback(conn, callback_id)


def remind_due(conn: Connection, *, ahead: timedelta = REMIND_AHEAD) -> int:
    """Publish a `reminder` event for each scheduled callback starting within `ahead`
    that was not reminded yet; each is claimed in this transaction, so with several hubs
    one of them reminds it, once. Returns how many."""
    moment = now()
    due = conn.execute(
        update(callbacks)
        .where(
            callbacks.c.status == CallbackStatus.scheduled.value,
            callbacks.c.reminded_at.is_(None),
            callbacks.c.slot_start > format_time(moment),
            callbacks.c.slot_start <= format_time(moment + ahead),
        )
        .values(reminded_at=format_time(moment))
        .returning(*callbacks.c)
    ).all()
    for row in due:
        publish_event(
            conn,
            kind="reminder",
            entity_id=row.id,
            version=row.version,
            data=callback_from_row(row).model_dump(mode="json"),
            customer_id=row.customer_id,
        )
    return len(due)


def list_callbacks(
    conn: Connection,
    *,
    customer_id: str | None = None,
    queue_id: str | None = None,
    active_only: bool = False,
) -> list[Callback]:
    query = select(callbacks).order_by(callbacks.c.created_at.desc())
    if customer_id is not None:
        query = query.where(callbacks.c.customer_id == customer_id)
    if queue_id is not None:
        query = query.where(callbacks.c.queue_id == queue_id)
    if active_only:
        query = query.where(callbacks.c.status.in_(ACTIVE_STATUSES))
    return [callback_from_row(r) for r in conn.execute(query)]


def get_own_callback(conn: Connection, *, customer_id: str, callback_id: str) -> Callback:
    own = select(callbacks).where(
        callbacks.c.id == callback_id, callbacks.c.customer_id == customer_id
    )
    return callback_from_row(one_or_404(conn, own, what="callback"))
