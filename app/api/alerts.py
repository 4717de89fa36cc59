"""Alerts on this device (Web Push): the hub's key, devices that get alerts without an
account, and the signed-in customer's devices."""

from __future__ import annotations

from app.api.connection import HubConnection, forwarded_for
from app.api.errors import ServerError
from app.schemas import (
    AlertDeviceCreated,
    AlertDeviceIn,
    AlertDeviceUpdate,
    DeviceClaim,
    DeviceClaimed,
    Subscriptions,
)


class AlertCalls(HubConnection):
    async def push_key(self) -> str:
        """The hub's VAPID public key a browser subscribes with."""
        response = await self._request("GET", "/v1/push/key")
        key = response.json().get("public_key") if response.content else None
        if not isinstance(key, str):
            raise ServerError("unexpected answer from the hub: no push key")
        return key

    async def register_alert_device(
        self, device: AlertDeviceIn, *, browser_address: str | None = None
    ) -> AlertDeviceCreated:
        """Alerts without an account. An app server names the browser's address, so the
        hub limits each browser, not the server."""
        body = device.model_dump(mode="json")
        response = await self._request(
            "POST", "/v1/alerts/devices", json=body, headers=forwarded_for(browser_address)
        )
        return self._parse(AlertDeviceCreated, response)

    async def follow_with_alert_device(
        self, device_id: str, secret: str, follows: Subscriptions, locale: str | None = None
    ) -> None:
        """What a device registered signed out follows, and the language its pushes come
        in (None: as it was)."""
        update = AlertDeviceUpdate(follows=follows, locale=locale)
        body = update.model_dump(mode="json", exclude_none=True)
        headers = {"Authorization": f"Device {secret}"}
        await self._request("PUT", f"/v1/alerts/devices/{device_id}", json=body, headers=headers)

    async def end_alert_device(self, device_id: str, secret: str) -> None:
        headers = {"Authorization": f"Device {secret}"}
        await self._request("DELETE", f"/v1/alerts/devices/{device_id}", headers=headers)

    async def claim_device(self, device_id: str, secret: str) -> DeviceClaimed:
        body = DeviceClaim(id=device_id, secret=secret).model_dump(mode="json")
        response = await self._request("POST", "/v1/me/devices", json=body, auth=True)
        return self._parse(DeviceClaimed, response)

    async def stop_device(self, device_id: str) -> None:
        """No more pushes to this device of the signed-in customer's."""
        await self._request("DELETE", f"/v1/me/devices/{device_id}", auth=True)
