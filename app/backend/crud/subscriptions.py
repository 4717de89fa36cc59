"""Alert subscriptions and push devices of a customer."""

from __future__ import annotations

from sqlalchemy import Connection, select

from app.backend import slots
from app.backend.crud.changes import record_change
from app.backend.crud.rejections import Rejected
from app.backend.db.tables import devices, subscriptions
from app.backend.util import dumps, format_time, loads, new_id, now, upsert
from app.schemas import Subscriptions
from app.schemas.mutations import DeviceRegisterArgs


def get_subscriptions(conn: Connection, *, customer_id: str) -> Subscriptions:
    data = conn.execute(
        select(subscriptions.c.data).where(subscriptions.c.customer_id == customer_id)
    ).scalar()
    return Subscriptions.model_validate(loads(data)) if data else Subscriptions()


def set_subscriptions(
    conn: Connection, *, customer_id: str, wanted: Subscriptions
) -> Subscriptions:
    """Replace what the customer is subscribed to (keys are case-insensitive)."""
    try:
        for clock in wanted.quiet_hours or ():
            slots.parse_clock(clock)
        if wanted.time_zone:
            slots.zone(wanted.time_zone)
    except ValueError as error:
        raise Rejected("invalid", str(error)) from error
    clean = Subscriptions(
        components=sorted(set(wanted.components)),
        keys=sorted({k.strip().upper() for k in wanted.keys if k.strip()}),
        quiet_hours=wanted.quiet_hours,
        time_zone=wanted.time_zone,
    )
    old = conn.execute(
        select(subscriptions.c.version).where(subscriptions.c.customer_id == customer_id)
    ).scalar()
    version = (old or 0) + 1
    upsert(
        conn,
        subscriptions,
        {
            "customer_id": customer_id,
            "data": dumps(clean.model_dump(mode="json")),
            "version": version,
            "updated_at": format_time(now()),
        },
        key=["customer_id"],
    )
    record_change(
        conn,
        entity="subscriptions",
        entity_id=customer_id,
        version=version,
        data=clean.model_dump(mode="json"),
        customer_id=customer_id,
    )
    return clean


def register_device(conn: Connection, *, customer_id: str, device: DeviceRegisterArgs) -> str:
    """Remember where to push to; the same endpoint registered again is updated, not doubled."""
    existing = conn.execute(
        select(devices.c.id).where(
            devices.c.customer_id == customer_id, devices.c.endpoint == device.endpoint
        )
    ).scalar()
    stamp = format_time(now())
    device_id = existing or new_id("dev")
    upsert(
        conn,
        devices,
        {
            "id": device_id,
            "customer_id": customer_id,
            "platform": device.platform,
            "endpoint": device.endpoint,
            "keys": dumps(device.keys),
            "created_at": stamp,
            "updated_at": stamp,
        },
        key=["id"],
    )
    return device_id
