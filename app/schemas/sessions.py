"""A customer's sign-ins (sessions) as the hub lists them and the app shows them."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import UtcTime, WireModel

# Longest device description kept for a sign-in (the User-Agent it last came from).
MAX_DEVICE_CHARS = 200


class SignIn(WireModel):
    """One live session of the customer: where it was last used from and when."""

    id: str
    device: str | None = Field(None, max_length=MAX_DEVICE_CHARS)
    created_at: UtcTime
    last_used_at: UtcTime | None = None
    expires_at: UtcTime | None = None
    # The session this request was made with.
    current: bool = False


class SignInList(WireModel):
    items: list[SignIn]


class SignInsEnded(WireModel):
    ended: int
