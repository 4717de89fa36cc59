"""Customers, sign-in and alert subscriptions."""

from __future__ import annotations

from pydantic import Field

from app.schemas.booking import LanguageTag
from app.schemas.common import UtcTime, WireModel

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}$"
# The language the customer chose in the app, as a BCP 47 tag the hub checks with Babel.
LOCALE_FIELD = Field(
    None,
    description="The customer's language in the app (BCP 47, e.g. 'es'): the sign-in "
    "email's, and a new customer's. None: the customer's own, else English.",
)


class AuthStart(WireModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    locale: LanguageTag | None = LOCALE_FIELD


# Sign-in codes are this many digits; the app's code field takes as many.
SIGN_IN_CODE_DIGITS = 8
# A sign-in attempt's id: random, URL-safe text (`auth/start` makes 32 characters).
ATTEMPT_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
# Problem types of a refused sign-in code (429). Failed: this attempt had all its wrong
# codes, so a new code works. Capped: a daily cap of wrong codes for this network or
# email, so a new code fails too until `Retry-After` (the app stays on the code step).
SIGN_IN_FAILED = "/problems/sign-in-failed"
SIGN_IN_CAPPED = "/problems/sign-in-capped"


class AuthStarted(WireModel):
    sent: bool = True
    attempt: str = Field(
        description="This sign-in attempt's id: send it with the code to `auth/verify`. "
        "Only this attempt's code works with it, and only its own wrong codes count against it."
    )
    expires_in: int = Field(description="Seconds the code stays valid.")


class AuthVerify(WireModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    attempt: str = Field(pattern=ATTEMPT_PATTERN, description="The id `auth/start` returned.")
    code: str = Field(pattern=rf"^\s*[0-9]{{{SIGN_IN_CODE_DIGITS}}}\s*$")
    locale: LanguageTag | None = LOCALE_FIELD


class Customer(WireModel):
    id: str
    email: str
    name: str | None = None
    locale: str = Field("en", description="The customer's language (BCP 47), set by the app.")
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
