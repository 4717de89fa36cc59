"""Turning alerts on or off for a device, from its push address: today a browser's push
subscription (Web Push), sent by the browser's own page. Signed in, the address goes to
the hub through the outbox (`device.register`); signed out, the device registers for
public alerts at once, with what it follows, and keeps the secret that changes or ends
that. A native build's address (an FCM or APNs token, which needs a Flutter extension)
would be one more `PushAddress` class; everything after it is the same."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Protocol

from pydantic import Field

from app.api import HubError, Rejected
from app.schemas import AlertDeviceIn
from app.schemas.common import WireModel
from app.schemas.mutations import DeviceRegisterArgs
from app.state.runtime import DeviceRuntime, SharedContent


class AlertsNotChanged(Exception):
    """The hub could not be told (`retry`: it may work later) or refused the change."""

    def __init__(self, detail: str, *, retry: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retry = retry


def _not_changed(error: HubError) -> AlertsNotChanged:
    if isinstance(error, Rejected):
        detail = error.problem.detail if error.problem else None
        return AlertsNotChanged(detail or str(error), retry=False)
    return AlertsNotChanged(str(error), retry=True)


async def push_key(shared: SharedContent) -> str:
    """The hub's key browsers subscribe with."""
    try:
        return await shared.client.push_key()
    except HubError as error:
        raise _not_changed(error) from error


class PushAddress(Protocol):
    """Where a push service reaches this device, as the hub registers it."""

    def device(self) -> DeviceRegisterArgs: ...


class BrowserSubscription(WireModel):
    """A browser's `PushSubscription.toJSON()`."""

    endpoint: str = Field(min_length=1, max_length=2000)
    keys: dict[str, str] = Field(default_factory=dict, max_length=10)

    def device(self) -> DeviceRegisterArgs:
        return DeviceRegisterArgs(platform="webpush", endpoint=self.endpoint, keys=self.keys)


async def turn_on(
    runtime: DeviceRuntime, address: PushAddress, *, browser_address: str | None = None
) -> None:
    """Alerts on for this device; `AlertsNotChanged` when a signed-out device cannot
    reach the hub, or the hub refuses the endpoint (nothing is changed then).
    `browser_address`: a served browser's own, which the hub's rate limit counts."""
    personal = runtime.personal
    device = address.device()
    if await asyncio.to_thread(personal.account.token) is not None:
        await asyncio.to_thread(personal.push.register_signed_in, device)
        runtime.scheduler.poke(0)
        return
    follows = await asyncio.to_thread(personal.account.subscriptions)
    # The language its pushes come in: the one the customer chose (none: the company's).
    locale = await asyncio.to_thread(personal.account.preference, "locale")
    registration = AlertDeviceIn(**device.model_dump(), follows=follows, locale=locale)
    try:
        made = await runtime.client.register_alert_device(
            registration, browser_address=browser_address
        )
    except HubError as error:
        raise _not_changed(error) from error
    await asyncio.to_thread(personal.push.registered_signed_out, device, made, locale)


async def turn_off(runtime: DeviceRuntime) -> None:
    """Alerts off for this device: the hub stops pushing to it (`AlertsNotChanged` when it
    cannot be told; the alerts then stay on)."""
    personal = runtime.personal
    state = await asyncio.to_thread(personal.push.state)
    try:
        if state.alert_id and state.alert_secret:
            await runtime.client.end_alert_device(state.alert_id, state.alert_secret)
        elif state.hub_device:
            await runtime.client.stop_device(state.hub_device)
    except Rejected:
        pass  # the hub had forgotten it already
    except HubError as error:
        raise _not_changed(error) from error
    await asyncio.to_thread(personal.push.off)


async def forget_at_sign_out(runtime: DeviceRuntime) -> None:
    """Signing out: the hub stops pushing this customer's updates here (if it can be
    told; the device's data goes either way)."""
    state = await asyncio.to_thread(runtime.personal.push.state)
    if state.hub_device:
        # Offline or already gone: signing the session out ends it anyway.
        with contextlib.suppress(HubError):
            await runtime.client.stop_device(state.hub_device)
