"""FCM HTTP v1: one message per device token, with a TTL and a collapse key. Google
retired the batch endpoint (many messages in one multipart request) with the legacy
APIs in June 2024; many devices are now reached the way its Admin SDKs do it (send_each):
one request per message to messages:send, over the shared client's HTTP/2 connection,
where they are multiplexed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from app.backend.push_delivery.base import Delivery, Device, Outcome, PushMessage, outcome_for

FCM_URL = "https://fcm.googleapis.com"
AccessToken = Callable[[], Awaitable[str]]


class FcmAdapter:
    """`access_token` gives an OAuth 2 token for the project's service account (kept
    outside this class, so the key never passes through it)."""

    platform = "fcm"

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        project: str,
        access_token: AccessToken,
        base_url: str = FCM_URL,
    ) -> None:
        self.client = client
        self.project = project
        self.access_token = access_token
        self.base_url = base_url.rstrip("/")

    def body(self, device: Device, message: PushMessage) -> dict[str, object]:
        # Data values must be strings in FCM.
        data = {
            "route": message.route,
            "kind": message.kind,
            "id": message.entity_id,
            "version": str(message.version),
        }
        return {
            "message": {
                "token": device.endpoint,
                "notification": {"title": message.title, "body": message.body},
                "data": data,
                "android": {
                    "ttl": f"{message.ttl}s",
                    "collapse_key": message.topic,
                    "priority": "HIGH" if message.urgent else "NORMAL",
                },
                "apns": {"headers": {"apns-collapse-id": message.topic}},
            }
        }

    async def send(self, device: Device, message: PushMessage) -> Outcome:
        response = await self.client.post(
            f"{self.base_url}/v1/projects/{self.project}/messages:send",
            json=self.body(device, message),
            headers={"Authorization": f"Bearer {await self.access_token()}"},
        )
        if response.status_code in (400, 404) and "UNREGISTERED" in response.text:
            return Outcome(Delivery.expired, detail="UNREGISTERED")
        return outcome_for(
            response.status_code, response.headers.get("retry-after"), response.text[:200]
        )
