"""Alerts without an account: a device registers for pushes of public incidents with what
it follows, and keeps the secret that changes or ends that registration. Signing in
claims the device for the account."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import WireModel
from app.schemas.customers import Subscriptions
from app.schemas.localized import Locale
from app.schemas.mutations import DeviceRegisterArgs


class AlertDeviceIn(DeviceRegisterArgs):
    follows: Subscriptions = Field(default_factory=Subscriptions)
    locale: Locale | None = Field(
        None, description="The language pushes come in; none: the company's default."
    )


class AlertDeviceCreated(WireModel):
    id: str
    secret: str = Field(description="Changes or ends the registration; shown only this once.")


class AlertDeviceUpdate(WireModel):
    follows: Subscriptions
    locale: Locale | None = Field(
        None, description="The language pushes come in from now on; none: as it was."
    )


class DeviceClaim(WireModel):
    id: str = Field(min_length=1, max_length=40)
    secret: str = Field(min_length=1, max_length=100)


class DeviceClaimed(WireModel):
    device_id: str = Field(description="The device, now the customer's.")
    follows: Subscriptions = Field(description="What the customer follows now.")
