"""Arguments of each push mutation (`MutationIn.args`), validated by the hub."""

from __future__ import annotations

from pydantic import Field

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


class CaseReplyArgs(WireModel):
    case: str = Ref
    body: MultiLine = Field(min_length=1, max_length=20_000)
    attachments: list[str] = Field(default_factory=list, max_length=10)
    client_ref: OneLine | None = Field(None, max_length=100)


class CaseCloseArgs(WireModel):
    case: str = Ref


class CallbackRequestArgs(WireModel):
    client_ref: OneLine | None = Field(None, max_length=100)
    queue: str = Field(min_length=1, max_length=100)
    mode: CallbackMode
    phone: str = Field(min_length=1, max_length=40)
    slot_start: UtcTime | None = None
    note: MultiLine | None = Field(None, max_length=2000)
    case: str | None = Field(None, max_length=100)


class CallbackCancelArgs(WireModel):
    callback: str = Ref


class CallbackRescheduleArgs(WireModel):
    callback: str = Ref
    slot_start: UtcTime


class DeviceRegisterArgs(WireModel):
    platform: str = Field(pattern=r"^(webpush|fcm|ntfy|apns)$")
    endpoint: str = Field(min_length=1, max_length=2000)
    keys: dict[str, str] = Field(default_factory=dict, max_length=10)
