"""Alerts without an account. A device (a browser that turned alerts on before signing in)
registers where to push and what it follows; it gets public incidents only, never
anything personal, and a secret with which it changes or ends its registration. Signing
in claims it: the device becomes the customer's, and what it followed joins what the
customer follows."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, delete, select

from app.backend.crud import subscriptions
from app.backend.crud.rejections import MutationRejected
from app.backend.db.tables import alert_devices, devices
from app.backend.problems import ProblemError
from app.backend.util import digest, dumps, format_time, loads, now
from app.schemas import AlertDeviceCreated, AlertDeviceIn, DeviceClaimed, Subscriptions
from app.schemas.mutations import DeviceRegisterArgs


def register(conn: Connection, *, device: AlertDeviceIn) -> AlertDeviceCreated:
    """A device's registration, with a new secret. The same endpoint again (a browser
    that lost its secret: only it knows the endpoint) is the same device, and a customer
    who had it stops getting personal pushes there: the browser is signed out now."""
    subscriptions.check_endpoint(device)
    follows = subscriptions.cleaned(device.follows)
    conn.execute(delete(devices).where(devices.c.endpoint == device.endpoint))
    found = conn.execute(
        select(alert_devices.c.id).where(alert_devices.c.endpoint_hash == digest(device.endpoint))
    ).scalar()
    secret = secrets.token_urlsafe(32)
    values = {
        "secret_hash": digest(secret),
        "platform": device.platform,
        "endpoint": device.endpoint,
        "endpoint_hash": digest(device.endpoint),
        "keys": dumps(device.keys),
        "follows": dumps(follows.model_dump(mode="json")),
        "locale": device.locale,
    }
    device_id = subscriptions.save_registration(
        conn, alert_devices, found=found, prefix="adv", values=values, key="endpoint_hash"
    )
    return AlertDeviceCreated(id=device_id, secret=secret)


def _owned(conn: Connection, device_id: str, secret: str) -> Any:
    """The device's row, if `secret` is its secret; otherwise it is as if there were none."""
    row = conn.execute(select(alert_devices).where(alert_devices.c.id == device_id)).one_or_none()
    if row is None or not hmac.compare_digest(row.secret_hash, digest(secret)):
        raise ProblemError(404, "Not found", "No such device.", slug="not-found")
    return row


def follow(
    conn: Connection,
    *,
    device_id: str,
    secret: str,
    follows: Subscriptions,
    locale: str | None = None,
) -> None:
    """What the device follows, and the language its pushes come in (None: as it was)."""
    _owned(conn, device_id, secret)
    values = {
        "follows": dumps(subscriptions.cleaned(follows).model_dump(mode="json")),
        "updated_at": format_time(now()),
    }
    if locale is not None:
        values["locale"] = locale
    conn.execute(alert_devices.update().where(alert_devices.c.id == device_id).values(**values))


def remove(conn: Connection, *, device_id: str, secret: str) -> None:
    _owned(conn, device_id, secret)
    conn.execute(delete(alert_devices).where(alert_devices.c.id == device_id))


def claim(conn: Connection, *, customer_id: str, device_id: str, secret: str) -> DeviceClaimed:
    """The device becomes the customer's; what it followed joins what they follow."""
    row = _owned(conn, device_id, secret)
    try:
        device = DeviceRegisterArgs(
            platform=row.platform, endpoint=row.endpoint, keys=loads(row.keys) or {}
        )
    except ValidationError as error:
        # A stored row DeviceRegisterArgs refuses (its platform or key lengths): the
        # device registers anew.
        raise MutationRejected("invalid", "This device's registration is out of date.") from error
    moved = subscriptions.register_device(conn, customer_id=customer_id, device=device)
    joined = subscriptions.join_subscriptions(
        conn, customer_id=customer_id, extra=Subscriptions.model_validate(loads(row.follows))
    )
    conn.execute(delete(alert_devices).where(alert_devices.c.id == device_id))
    return DeviceClaimed(device_id=moved, follows=joined)
