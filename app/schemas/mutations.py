"""Arguments of each push mutation (`MutationIn.args`), validated by the hub."""

from __future__ import annotations

import re
from typing import Literal, Self

from pydantic import Field, model_validator

from app.schemas.booking import BookingRef, LanguageTag
from app.schemas.callbacks import CallbackMode
from app.schemas.common import MultiLine, OneLine, UtcTime, WireModel

Ref = Field(min_length=1, max_length=100, description="Server id, or the client's own ref.")


class CaseOpenArgs(WireModel):
    client_ref: OneLine | None = Field(None, max_length=100)
    subject: OneLine = Field(min_length=1, max_length=200)
    description: MultiLine = Field(min_length=1, max_length=20_000)
    category: OneLine = Field("general", min_length=1, max_length=100)
    attachments: list[str] = Field(default_factory=list, max_length=10)
    incident_id: str | None = Field(None, max_length=40)
    booking_ref: BookingRef | None = None


class CaseReplyArgs(WireModel):
    case: str = Ref
    body: MultiLine = Field(min_length=1, max_length=20_000)
    attachments: list[str] = Field(default_factory=list, max_length=10)
    client_ref: OneLine | None = Field(None, max_length=100)


class CaseCloseArgs(WireModel):
    case: str = Ref


class CaseEmailRepliesArgs(WireModel):
    """Whether agents' replies on the case are mailed to the customer's (signed-in)
    address too."""

    case: str = Ref
    on: bool


class CallbackRequestArgs(WireModel):
    client_ref: OneLine | None = Field(None, max_length=100)
    queue: str = Field(min_length=1, max_length=100)
    mode: CallbackMode
    phone: str = Field(min_length=1, max_length=40)
    slot_start: UtcTime | None = None
    note: MultiLine | None = Field(None, max_length=2000)
    case: str | None = Field(None, max_length=100)
    booking_ref: BookingRef | None = None
    language: LanguageTag | None = None


class AccountLocaleArgs(WireModel):
    """The customer's language in the app (BCP 47), which the hub checks with Babel."""

    locale: LanguageTag


class CallbackCancelArgs(WireModel):
    callback: str = Ref


class CallbackRescheduleArgs(WireModel):
    callback: str = Ref
    slot_start: UtcTime


# The platforms the hub has a push adapter for: Web Push always, FCM once configured.
PushPlatform = Literal["webpush", "fcm"]
# Longest endpoint per platform: a Web Push URL, an FCM registration token.
ENDPOINT_LIMITS: dict[str, int] = {"webpush": 2048, "fcm": 1024}
# The keys each platform's registration carries, and their longest base64url text: a
# P-256 public key is 65 bytes (87 characters), an auth secret 16 bytes (22 characters).
KEY_LIMITS: dict[str, dict[str, int]] = {"webpush": {"p256dh": 100, "auth": 32}, "fcm": {}}
_BASE64 = re.compile(r"[A-Za-z0-9_\-+/]+={0,2}")


class DeviceRegisterArgs(WireModel):
    """Where the hub pushes to. The hub stores what it is sent, so each part is only as
    long as a real push service makes it."""

    platform: PushPlatform
    endpoint: str = Field(min_length=1, max_length=max(ENDPOINT_LIMITS.values()))
    keys: dict[str, str] = Field(default_factory=dict, max_length=2)

    @model_validator(mode="after")
    def _fits_platform(self) -> Self:
        longest_endpoint = ENDPOINT_LIMITS[self.platform]
        if len(self.endpoint) > longest_endpoint:
            raise ValueError(f"endpoint: at most {longest_endpoint} characters for {self.platform}")
        allowed = KEY_LIMITS[self.platform]
        for name, value in self.keys.items():
            longest = allowed.get(name)
            if longest is None:
                names = ", ".join(allowed) or "none"
                raise ValueError(f"keys: {self.platform} takes these keys: {names}")
            if len(value) > longest or not _BASE64.fullmatch(value):
                raise ValueError(f"keys.{name}: at most {longest} base64url characters")
        return self
