"""What a device needs to register for push: the hub's VAPID public key."""

from __future__ import annotations

from fastapi import APIRouter

from app.backend.deps import HubDep
from app.schemas.common import WireModel

router = APIRouter(prefix="/v1", tags=["push"])


class PushKey(WireModel):
    public_key: str


@router.get("/push/key", response_model=PushKey)
def push_key(hub: HubDep) -> PushKey:
    """The application server key (VAPID, base64url) a browser subscribes with; then send
    the subscription in a `device.register` mutation."""
    return PushKey(public_key=hub.push_key)
