"""The operator API calls of the admin's screens (the team and the audit log), typed by
the wire models in app.schemas.staff. Functions over the browser's `HubConnection`, as
`supervisor_api` is for the supervisor's screens; every one needs the `staff` scope."""

from __future__ import annotations

from typing import Any

from app.api.connection import HubConnection
from app.schemas import Page
from app.schemas.common import WireModel
from app.schemas.staff import AuditEntry, SignInsEnded, StaffChangeIn, StaffIn, StaffMember

# One page of the audit log.
AUDIT_PAGE = 50


def _json(model: WireModel) -> Any:
    return model.model_dump(mode="json", exclude_none=True)


async def members(hub: HubConnection) -> list[StaffMember]:
    response = await hub._request("GET", "/v1/admin/staff", auth=True)
    return hub._parse(Page[StaffMember], response).items


async def add_member(hub: HubConnection, member: StaffIn) -> StaffMember:
    response = await hub._request("POST", "/v1/admin/staff", json=_json(member), auth=True)
    return hub._parse(StaffMember, response)


async def change_member(hub: HubConnection, staff_id: str, change: StaffChangeIn) -> StaffMember:
    path = f"/v1/admin/staff/{staff_id}"
    response = await hub._request("PUT", path, json=_json(change), auth=True)
    return hub._parse(StaffMember, response)


async def end_sign_ins(hub: HubConnection, staff_id: str) -> SignInsEnded:
    path = f"/v1/admin/staff/{staff_id}/sign-out"
    return hub._parse(SignInsEnded, await hub._request("POST", path, auth=True))


async def audit(
    hub: HubConnection,
    *,
    staff_id: str | None = None,
    family: str | None = None,
    before: str | None = None,
    limit: int = AUDIT_PAGE,
) -> Page[AuditEntry]:
    """Newest first; `family` is an action family such as "case." (trailing dot)."""
    wanted = {"staff": staff_id, "action": family, "before": before, "limit": str(limit)}
    params = {key: value for key, value in wanted.items() if value}
    response = await hub._request("GET", "/v1/admin/audit", params=params, auth=True)
    return hub._parse(Page[AuditEntry], response)
