"""Customers, sign-in and alert subscriptions."""

from __future__ import annotations

from pydantic import Field

from app.schemas.common import UtcTime, WireModel

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$"


class AuthStart(WireModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)


class AuthStarted(WireModel):
    sent: bool = True
    expires_in: int = Field(description="Seconds the code stays valid.")


class AuthVerify(WireModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    code: str = Field(pattern=r"^\s*\d{6}\s*$")


class Customer(WireModel):
    id: str
    email: str
    name: str | None = None
    locale: str = "en"
    created_at: UtcTime


class Session(WireModel):
    token: str
    customer: Customer
    expires_at: UtcTime


# How many services, and how many keys, one customer or device may follow.
MAX_FOLLOWED = 200


class Subscriptions(WireModel):
    """What a customer wants to be alerted about; also the `subscriptions.set` arguments."""

    components: list[str] = Field(default_factory=list, max_length=MAX_FOLLOWED)
    keys: list[str] = Field(
        default_factory=list,
        max_length=MAX_FOLLOWED,
        description="Hubs, flight numbers, booking refs.",
    )
    quiet_hours: tuple[str, str] | None = Field(
        None, description="Local 'HH:MM' start and end; critical incidents ignore them."
    )
    time_zone: str | None = Field(None, max_length=64, description="IANA time zone name.")
