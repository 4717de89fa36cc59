"""Who a public event (an incident) reaches: the devices registered for pushes whose owner
it concerns, a customer's and those registered without an account. The dispatcher sends
to them; the operator API counts them before an incident is published
(`POST /v1/admin/incidents/audience`), so both read the same rule."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from app.backend.crud import events as event_log
from app.backend.db.tables import alert_devices, customers, devices, subscriptions
from app.backend.push_delivery.base import Device
from app.backend.util import loads
from app.schemas import Event, Subscriptions
from app.schemas.alerting import may_interrupt


@dataclass(frozen=True)
class Recipient:
    """A device a public event concerns; `interrupts`: it may be pushed to at the moment
    asked about (outside its owner's quiet hours, or the event is critical)."""

    device: Device
    interrupts: bool


def followed(conn: Connection) -> dict[str, Subscriptions]:
    """Customer id -> what they follow (a customer missing here follows nothing yet)."""
    return {
        r.customer_id: Subscriptions.model_validate(loads(r.data))
        for r in conn.execute(select(subscriptions))
    }


def recipients(
    conn: Connection,
    event: Event,
    *,
    moment: datetime,
    platforms: Collection[str] | None = None,
    follows: dict[str, Subscriptions] | None = None,
) -> list[Recipient]:
    """The devices (on `platforms`; None: every platform) whose owner the public `event`
    concerns (`events.concerns`), each with whether it may be interrupted at `moment`."""
    follows = followed(conn) if follows is None else follows
    query = select(devices, customers.c.locale).select_from(
        devices.outerjoin(customers, customers.c.id == devices.c.customer_id)
    )
    signed_out = select(alert_devices)
    if platforms is not None:
        query = query.where(devices.c.platform.in_(list(platforms)))
        signed_out = signed_out.where(alert_devices.c.platform.in_(list(platforms)))
    found: list[Recipient] = []
    for row in conn.execute(query):
        wants = follows.get(row.customer_id, Subscriptions())
        if event_log.concerns(event, customer_id=row.customer_id, subscriptions=wants):
            device = Device(
                row.id,
                row.customer_id,
                row.platform,
                row.endpoint,
                loads(row.keys) or {},
                row.push_failures,
                row.locale,
            )
            found.append(Recipient(device, may_interrupt(event, wants, moment)))
    for row in conn.execute(signed_out):
        wants = Subscriptions.model_validate(loads(row.follows))
        if event_log.concerns(event, customer_id="", subscriptions=wants):
            device = Device(
                row.id,
                "",
                row.platform,
                row.endpoint,
                loads(row.keys) or {},
                row.push_failures,
                row.locale,
            )
            found.append(Recipient(device, may_interrupt(event, wants, moment)))
    return found


def push_targets(
    conn: Connection, event: Event, *, moment: datetime, platforms: Collection[str]
) -> list[Device]:
    """The devices a public event is pushed to at `moment`: those it concerns, on a
    platform the hub pushes to, that it may interrupt."""
    found = recipients(conn, event, moment=moment, platforms=platforms)
    return [r.device for r in found if r.interrupts]


def own_devices(conn: Connection, customer_id: str, *, platforms: Collection[str]) -> list[Device]:
    """A customer's devices on `platforms`: where their own updates are pushed."""
    query = (
        select(devices, customers.c.locale)
        .select_from(devices.outerjoin(customers, customers.c.id == devices.c.customer_id))
        .where(devices.c.platform.in_(list(platforms)))
        .where(devices.c.customer_id == customer_id)
    )
    return [
        Device(
            r.id,
            r.customer_id,
            r.platform,
            r.endpoint,
            loads(r.keys) or {},
            r.push_failures,
            r.locale,
        )
        for r in conn.execute(query)
    ]
