"""Alert subscriptions: the services and the free keys (an airport, a flight number, a
booking reference) a customer wants to hear about. Critical incidents reach everyone."""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass
from typing import Literal

import flet as ft

from app.schemas import Subscriptions
from app.state.runtime import DeviceRuntime
from app.state.storage import try_saving
from app.store import StorageError

KEY_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,19}$")
MAX_KEYS = 50


def normalized_key(text: str) -> str | None:
    """'ord' -> 'ORD', 'nw 123' -> 'NW123'; None when it cannot be a key."""
    key = "".join(text.split()).upper()
    return key if KEY_PATTERN.match(key) else None


@dataclass(frozen=True)
class Saved:
    """The customer's last change, kept so the screen can confirm it where it was made: a
    service (its id) or a key followed or no longer followed, or new quiet hours."""

    area: Literal["services", "keys", "quiet"]
    subject: str = ""
    following: bool = True


class AlertsState(ft.Observable):
    def __init__(self, runtime: DeviceRuntime) -> None:
        self._runtime = runtime
        self.subscriptions = Subscriptions()
        self.sync_state = "synced"
        self.error: str | None = None
        self.saved: Saved | None = None
        self.prompted = runtime.personal.account.preference("alerts_prompted") == "yes"
        # Alerts reach this device (Web Push) even when the app is closed.
        self.on_this_device = False

    async def load(self) -> None:
        personal = self._runtime.personal
        self.subscriptions = await asyncio.to_thread(personal.account.subscriptions)
        self.sync_state = await asyncio.to_thread(personal.account.subscriptions_state)
        self.on_this_device = (await asyncio.to_thread(personal.push.state)).on

    async def toggle_component(self, component_id: str) -> None:
        chosen = list(self.subscriptions.components)
        following = component_id not in chosen
        if following:
            chosen.append(component_id)
        else:
            chosen.remove(component_id)
        wanted = self.subscriptions.model_copy(update={"components": chosen})
        if await self._save(wanted):
            self.saved = Saved("services", component_id, following)

    async def add_key(self, text: str) -> bool:
        """Follow a key; False with `error` set when it is not one or was not kept."""
        key = normalized_key(text)
        if key is None:
            self.error = "invalid_key"
            return False
        if key in self.subscriptions.keys:
            self.error = None
            return True
        if len(self.subscriptions.keys) >= MAX_KEYS:
            self.error = "too_many_keys"
            return False
        self.error = None
        keys = [*self.subscriptions.keys, key]
        if not await self._save(self.subscriptions.model_copy(update={"keys": keys})):
            return False
        self.saved = Saved("keys", key)
        return True

    async def remove_key(self, key: str) -> None:
        keys = [k for k in self.subscriptions.keys if k != key]
        if await self._save(self.subscriptions.model_copy(update={"keys": keys})):
            self.saved = Saved("keys", key, following=False)

    async def follow(self, component_ids: list[str]) -> None:
        """Follow these services too (the first-run offer)."""
        chosen = [*self.subscriptions.components]
        chosen += [c for c in component_ids if c not in chosen]
        await self._save(self.subscriptions.model_copy(update={"components": chosen}))
        await self.skip_prompt()

    async def skip_prompt(self) -> None:
        # A device that cannot store the answer still stops asking for this run.
        with contextlib.suppress(StorageError):
            await asyncio.to_thread(
                self._runtime.personal.account.set_preference, "alerts_prompted", "yes"
            )
        self.prompted = True

    async def set_quiet_hours(self, hours: tuple[str, str] | None, zone: str) -> None:
        """Hold OS notifications and pushes back between these local times (critical
        disruptions still come through)."""
        changes = {"quiet_hours": hours, "time_zone": zone if hours else None}
        if await self._save(self.subscriptions.model_copy(update=changes)):
            self.saved = Saved("quiet")

    async def _save(self, wanted: Subscriptions) -> bool:
        """Store the subscriptions for the hub; False when the device refused (the old
        ones stay, `error` says why)."""
        account = self._runtime.personal.account
        self.error = await try_saving(lambda: asyncio.to_thread(account.set_subscriptions, wanted))
        if self.error:
            return False
        self.subscriptions, self.sync_state = wanted, "pending"
        self._runtime.scheduler.poke()
        return True
