"""Devices whose pushes keep failing: each failure after all retries is counted, a
delivered push resets the count, and a device that failed `give_up_after` times in a row
over at least `give_up_seconds` is removed, as a push service's 404 or 410 removes it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection, Table, delete, func, select, update

from app.backend.db.tables import alert_devices, devices
from app.backend.push_delivery.base import Device
from app.backend.settings import PushLimits
from app.backend.util import format_time, now


def _table(device: Device) -> Table:
    # A device registered without an account has no customer.
    return devices if device.customer_id else alert_devices


def forget(conn: Connection, device: Device) -> None:
    for table in (devices, alert_devices):
        conn.execute(delete(table).where(table.c.id == device.id))


def succeeded(conn: Connection, device: Device) -> None:
    table = _table(device)
    conn.execute(
        update(table).where(table.c.id == device.id).values(push_failures=0, failing_since=None)
    )


def failed(conn: Connection, device: Device, limits: PushLimits) -> bool:
    """Count one more failure; True when the device is given up (and removed)."""
    table = _table(device)
    moment = now()
    conn.execute(
        update(table)
        .where(table.c.id == device.id)
        .values(
            push_failures=table.c.push_failures + 1,
            failing_since=func.coalesce(table.c.failing_since, format_time(moment)),
        )
    )
    row = conn.execute(
        select(table.c.push_failures, table.c.failing_since).where(table.c.id == device.id)
    ).first()
    if row is None:
        return True  # removed meanwhile (signed out, or given up by another hub)
    cutoff = format_time(moment - timedelta(seconds=limits.give_up_seconds))
    if row.push_failures >= limits.give_up_after and row.failing_since <= cutoff:
        forget(conn, device)
        return True
    return False
