"""What every push service adapter takes and answers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Delivery(StrEnum):
    delivered = "delivered"
    expired = "expired"  # the endpoint is gone (404/410, FCM UNREGISTERED): forget it
    retry = "retry"  # 429 or 5xx: try again later
    failed = "failed"  # refused for good (a bad request): log and drop


@dataclass(frozen=True)
class PushMessage:
    """One update for one device. The payload carries the content, so a million phones
    do not come back to the hub at once."""

    title: str
    body: str
    route: str
    kind: str
    entity_id: str
    version: int
    ttl: int  # seconds the push service may hold it for an offline device
    topic: str  # collapse key: a newer message on the same topic replaces an older one
    urgent: bool = False

    def payload(self) -> bytes:
        data: dict[str, Any] = {
            "title": self.title,
            "body": self.body,
            "route": self.route,
            "kind": self.kind,
            "id": self.entity_id,
            "version": self.version,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Device:
    id: str
    customer_id: str
    platform: str
    endpoint: str
    keys: dict[str, str]
    failures: int = 0  # pushes to it that failed in a row, when it was claimed
    locale: str | None = None  # the language its pushes come in; None: the default


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    retry_after: float | None = None
    detail: str = ""


class PushAdapter(Protocol):
    platform: str

    async def send(self, device: Device, message: PushMessage) -> Outcome: ...


def outcome_for(status: int, retry_after: str | None, detail: str = "") -> Outcome:
    """The common reading of a push service's HTTP answer."""
    if status < 300:
        return Outcome(Delivery.delivered)
    if status in (404, 410):
        return Outcome(Delivery.expired, detail=detail)
    if status == 429 or status >= 500:
        seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
        return Outcome(Delivery.retry, seconds, detail)
    return Outcome(Delivery.failed, detail=detail)
