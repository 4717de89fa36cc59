"""Alert subscriptions and push devices of a customer."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Table, delete, select

from app.backend import slots
from app.backend.crud.changes import record_change
from app.backend.crud.rejections import MutationRejected
from app.backend.db.tables import alert_devices, devices, subscriptions
from app.backend.util import digest, dumps, format_time, loads, new_id, now, upsert
from app.schemas import Subscriptions
from app.schemas.customers import MAX_FOLLOWED
from app.schemas.mutations import DeviceRegisterArgs


def get_subscriptions(conn: Connection, *, customer_id: str) -> Subscriptions:
    data = conn.execute(
        select(subscriptions.c.data).where(subscriptions.c.customer_id == customer_id)
    ).scalar()
    return Subscriptions.model_validate(loads(data)) if data else Subscriptions()


def cleaned(wanted: Subscriptions) -> Subscriptions:
    """Subscriptions as the hub keeps them (keys are case-insensitive); `MutationRejected`
    when the quiet hours or the time zone cannot be read."""
    try:
        for clock in wanted.quiet_hours or ():
            slots.parse_clock(clock)
        if wanted.time_zone:
            slots.zone(wanted.time_zone)
    except ValueError as error:
        raise MutationRejected("invalid", str(error)) from error
    return Subscriptions(
        components=sorted(set(wanted.components)),
        keys=sorted({k.strip().upper() for k in wanted.keys if k.strip()}),
        quiet_hours=wanted.quiet_hours,
        time_zone=wanted.time_zone,
    )


def join_subscriptions(
    conn: Connection, *, customer_id: str, extra: Subscriptions
) -> Subscriptions:
    """Add what a device followed before signing in to what the customer follows; the
    customer's quiet hours win, the device's are taken when the customer has none."""
    # Read for update: a change from another of their devices waits rather than being lost.
    data = conn.execute(
        select(subscriptions.c.data)
        .where(subscriptions.c.customer_id == customer_id)
        .with_for_update()
    ).scalar()
    current = Subscriptions.model_validate(loads(data)) if data else Subscriptions()
    extra = cleaned(extra)
    hours = current if current.quiet_hours else extra
    joined = Subscriptions(
        components=sorted({*current.components, *extra.components})[:MAX_FOLLOWED],
        keys=sorted({*current.keys, *extra.keys})[:MAX_FOLLOWED],
        quiet_hours=hours.quiet_hours,
        time_zone=hours.time_zone,
    )
    return set_subscriptions(conn, customer_id=customer_id, wanted=joined)


def set_subscriptions(
    conn: Connection, *, customer_id: str, wanted: Subscriptions
) -> Subscriptions:
    """Replace what the customer is subscribed to."""
    clean = cleaned(wanted)
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


def unregister_device(conn: Connection, *, customer_id: str, device_id: str) -> bool:
    """Stop pushing to one of the customer's devices; False when it is not theirs."""
    gone = conn.execute(
        delete(devices).where(devices.c.id == device_id, devices.c.customer_id == customer_id)
    )
    return bool(gone.rowcount)


# Names that never reach a public push service.
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet")


def public_https(url: str) -> bool:
    """An https URL whose host is a public name, not an address in any spelling (`127.1`,
    `0x7f.1` and `2130706433` are 127.0.0.1 too) or a local name: the hub posts to it, so
    it must never point inside the network. (A public name that resolves inside is
    caught when the hub connects: `push_delivery.targets`.)"""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().rstrip(".")
        port = 443 if parts.port is None else parts.port  # push services answer on 443
    except ValueError:
        return False
    if parts.scheme != "https" or port != 443 or "." not in host or host == "localhost":
        return False
    if host.endswith(PRIVATE_SUFFIXES):
        return False
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    try:
        socket.inet_aton(host)  # the C library's reading of an IPv4 address
    except OSError:
        return True
    return False


def check_endpoint(device: DeviceRegisterArgs) -> None:
    if device.platform == "webpush" and not public_https(device.endpoint):
        raise MutationRejected(
            "bad_endpoint", "A Web Push endpoint is an https address of a public push service."
        )


def register_device(conn: Connection, *, customer_id: str, device: DeviceRegisterArgs) -> str:
    """Remember where to push to; the same endpoint registered again is updated, not doubled.
    An endpoint is one browser or app: whoever registers it last owns it, so a customer
    who signed in where another had been gets none of the other's pushes."""
    check_endpoint(device)
    conn.execute(
        delete(devices).where(
            devices.c.endpoint == device.endpoint, devices.c.customer_id != customer_id
        )
    )
    conn.execute(
        delete(alert_devices).where(alert_devices.c.endpoint_hash == digest(device.endpoint))
    )
    existing = conn.execute(
        select(devices.c.id).where(
            devices.c.customer_id == customer_id, devices.c.endpoint == device.endpoint
        )
    ).scalar()
    values = {
        "customer_id": customer_id,
        "platform": device.platform,
        "endpoint": device.endpoint,
        "keys": dumps(device.keys),
    }
    return save_registration(conn, devices, found=existing, prefix="dev", values=values, key="id")


def save_registration(
    conn: Connection,
    table: Table,
    *,
    found: str | None,
    prefix: str,
    values: dict[str, Any],
    key: str,
) -> str:
    """Keep a push registration (a customer's device or a signed-out one) stamped now: the
    row `found` for its endpoint is refreshed, not doubled; otherwise a new one gets an id
    made with `prefix`. `key` is the unique column two registrations at once meet on (the
    later one wins). Returns the registration's id."""
    stamp = format_time(now())
    device_id = found or new_id(prefix)
    row = {"id": device_id, **values, "created_at": stamp, "updated_at": stamp}
    upsert(conn, table, row, key=[key])
    return device_id


def keep_latest_devices(conn: Connection, *, customer_id: str, keep: int) -> int:
    """Forget the customer's devices beyond the `keep` registered (or registered again)
    most recently: a customer with a new phone still gets alerts on it, and one account
    cannot make the hub push to endless endpoints. Returns how many went."""
    newest_first = conn.execute(
        select(devices.c.id)
        .where(devices.c.customer_id == customer_id)
        .order_by(devices.c.updated_at.desc(), devices.c.id)
    ).scalars()
    extra = list(newest_first)[max(keep, 0) :]
    if extra:
        conn.execute(delete(devices).where(devices.c.id.in_(extra)))
    return len(extra)
