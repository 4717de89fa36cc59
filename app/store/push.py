"""Alerts on this device (Web Push): where the browser receives pushes, and how the hub
knows it. Signed in, the subscription reaches the hub through the outbox as a
`device.register` (the hub's device id comes back in the result); signed out, the device
is registered for public alerts with a secret, which signing in uses to claim it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.schemas import AlertDeviceCreated, MutationName
from app.schemas.mutations import DeviceRegisterArgs
from app.store import tables
from app.store.base import Repo
from app.store.database import Database
from app.store.outbox import Outbox

KEYS = (
    "push:endpoint",
    "push:hub_device",
    "push:alert_id",
    "push:alert_secret",
    "push:device",
    "push:locale",
)


@dataclass(frozen=True)
class PushState:
    endpoint: str | None = None  # where this browser gets pushes (None: alerts are off)
    hub_device: str | None = None  # the customer's device at the hub
    alert_id: str | None = None  # registered signed out: its id and secret
    alert_secret: str | None = None
    device_json: str | None = None  # the registration as sent, to send again if need be
    locale: str | None = None  # registered signed out: the language the hub pushes in

    @property
    def on(self) -> bool:
        return self.endpoint is not None

    @property
    def device(self) -> DeviceRegisterArgs | None:
        if self.device_json is None:
            return None
        return DeviceRegisterArgs.model_validate_json(self.device_json)


class Push(Repo):
    def __init__(self, db: Database, *, outbox: Outbox) -> None:
        super().__init__(db)
        self.outbox = outbox

    def state(self) -> PushState:
        held = {row["key"]: row["value"] for row in self.rows("meta", "key LIKE 'push:%'")}
        return PushState(*(held.get(key) for key in KEYS))

    def register_signed_in(self, device: DeviceRegisterArgs) -> None:
        """Alerts on, signed in: queued for the hub with this browser's subscription."""
        with self.db.transaction() as conn:
            # Signed in, a registration made signed out is not needed any more.
            self._set(
                conn,
                endpoint=device.endpoint,
                device=device.model_dump_json(),
                alert_id=None,
                alert_secret=None,
            )
            self.outbox.add(
                conn, MutationName.device_register, device.model_dump(mode="json"), entity="push"
            )

    def registered_signed_out(
        self, device: DeviceRegisterArgs, made: AlertDeviceCreated, locale: str | None = None
    ) -> None:
        with self.db.transaction() as conn:
            self._set(
                conn,
                endpoint=device.endpoint,
                device=device.model_dump_json(),
                alert_id=made.id,
                alert_secret=made.secret,
                locale=locale,
            )

    def spoken(self, locale: str) -> None:
        """The hub pushes to the registration made signed out in `locale` now."""
        with self.db.transaction() as conn:
            self._set(conn, locale=locale)

    def note_hub_device(self, conn: sqlite3.Connection, device_id: str) -> None:
        """Inside the transaction that takes the hub's answer."""
        self._set(conn, hub_device=device_id)

    def claimed(self, device_id: str) -> None:
        """Signed in: the device registered signed out is now the customer's."""
        with self.db.transaction() as conn:
            self._set(conn, hub_device=device_id, alert_id=None, alert_secret=None)

    def off(self) -> None:
        with self.db.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key LIKE 'push:%'")

    def _set(self, conn: sqlite3.Connection, **values: str | None) -> None:
        for name, value in values.items():
            tables.set_meta(conn, f"push:{name}", value)
