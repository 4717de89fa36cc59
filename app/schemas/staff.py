"""The company's team on the hub: roles and the operator scopes each grants, staff sign-in
with an emailed code, and the audit trail of what each member of staff did."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import Field

from app.schemas.common import UtcTime, WireModel
from app.schemas.customers import ATTEMPT_PATTERN, EMAIL_PATTERN, SIGN_IN_CODE_DIGITS
from app.schemas.localized import Locale


class StaffRole(StrEnum):
    status_manager = "status_manager"
    agent = "agent"
    supervisor = "supervisor"
    admin = "admin"


# What each role may do, as the operator scopes the hub checks on every admin route.
ROLE_SCOPES: dict[StaffRole, frozenset[str]] = {
    StaffRole.status_manager: frozenset({"status"}),
    StaffRole.agent: frozenset({"cases"}),
    StaffRole.supervisor: frozenset({"cases", "callbacks", "kb"}),
    StaffRole.admin: frozenset({"status", "cases", "callbacks", "kb", "tokens", "staff", "social"}),
}


class StaffMember(WireModel):
    id: str
    email: str
    name: str
    role: StaffRole
    scopes: list[str] = Field(description="What the role grants, sorted.")
    disabled: bool = False
    created_at: UtcTime
    last_sign_in_at: UtcTime | None = Field(
        None, description="When they last signed in (None: never); in the staff list."
    )


class StaffIn(WireModel):
    """A new member of staff (`staff` scope)."""

    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    name: str = Field(min_length=1, max_length=200)
    role: StaffRole


class StaffChangeIn(WireModel):
    """A new role, or `disabled` (which also ends every sign-in of theirs)."""

    role: StaffRole | None = None
    disabled: bool | None = None


class SignInsEnded(WireModel):
    """How many live sign-ins of a member of staff were just ended."""

    ended: int


class StaffSignInStart(WireModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    locale: Locale | None = None


class StaffSignInStarted(WireModel):
    """The same answer whether or not the email belongs to a member of staff."""

    attempt: str
    expires_in: int


class StaffSignInVerify(WireModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=254)
    attempt: str = Field(pattern=ATTEMPT_PATTERN)
    code: str = Field(pattern=rf"^\s*[0-9]{{{SIGN_IN_CODE_DIGITS}}}\s*$")


class StaffSession(WireModel):
    """A staff sign-in: an operator token holding the role's scopes, tied to the member of
    staff so that what it does is audited under their name and can be revoked."""

    token: str
    expires_at: UtcTime
    staff: StaffMember


class AuditEntry(WireModel):
    id: str
    at: UtcTime
    actor: str = Field(description="The member of staff's email, or the token's label.")
    staff_id: str | None = None
    action: str = Field(description="For example `incident.publish`, `case.reply`.")
    subject: str | None = Field(None, description="The id acted on.")
    detail: dict[str, Any] = Field(default_factory=dict)
