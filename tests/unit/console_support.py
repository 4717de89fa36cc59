"""A member of staff as the console's state holds one, for the console's state tests."""

from __future__ import annotations

from datetime import datetime

from app.schemas.staff import ROLE_SCOPES, StaffMember, StaffRole


def staff_member(
    staff_id: str, name: str, role: StaffRole, created_at: datetime, *, disabled: bool = False
) -> StaffMember:
    """`name`, with the scopes of `role` and the address `name@example.com`."""
    return StaffMember(
        id=staff_id,
        email=f"{name.lower()}@example.com",
        name=name,
        role=role,
        scopes=sorted(ROLE_SCOPES[role]),
        disabled=disabled,
        created_at=created_at,
    )
