"""ConsoleClient: the operator API calls the console makes, typed by the wire models in
app.schemas (staff sign-in, status, the inbox, cases, the knowledge base). One client per
browser, sharing the server's connections (`HubConnection.for_token`)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, TypeAdapter

from app.api.connection import HubConnection
from app.schemas import Article, Case, Incident, Page, StatusSnapshot
from app.schemas.admin import AgentReplyIn, CaseStatusIn, IncidentIn, IncidentUpdateIn
from app.schemas.common import WireModel
from app.schemas.console import AssignIn, Audience, AudienceIn, InboxCase
from app.schemas.staff import (
    StaffMember,
    StaffSession,
    StaffSignInStart,
    StaffSignInStarted,
    StaffSignInVerify,
)
from app.schemas.warnings import EarlyWarning, WarningAction, WarningState


class IncidentTemplate(WireModel):
    """A ready-made incident the form starts from (`GET /v1/admin/incident-templates`);
    only what the form fills in is read, anything else the hub adds is ignored."""

    id: str = ""
    name: str = ""
    title: str = ""
    body: str = ""
    impact: str | None = None
    kind: str | None = None
    components: list[str] = Field(default_factory=list)
    keys: list[str] = Field(default_factory=list)
    translations: dict[str, dict[str, Any]] = Field(default_factory=dict)


TEMPLATES = TypeAdapter(list[IncidentTemplate])
WARNINGS = TypeAdapter(list[EarlyWarning])


def _json(model: WireModel) -> Any:
    return model.model_dump(mode="json", exclude_none=True)


class ConsoleClient(HubConnection):
    # Staff sign-in
    async def start_staff_sign_in(self, email: str, locale: str | None) -> StaffSignInStarted:
        sent = StaffSignInStart(email=email, locale=locale)
        response = await self._request("POST", "/v1/admin/auth/start", json=_json(sent))
        return self._parse(StaffSignInStarted, response)

    async def verify_staff_sign_in(self, email: str, attempt: str, code: str) -> StaffSession:
        sent = StaffSignInVerify(email=email, attempt=attempt, code=code)
        response = await self._request("POST", "/v1/admin/auth/verify", json=_json(sent))
        return self._parse(StaffSession, response)

    async def me(self) -> StaffMember:
        return self._parse(StaffMember, await self._request("GET", "/v1/admin/me", auth=True))

    async def sign_out(self) -> None:
        await self._request("POST", "/v1/admin/auth/sign-out", auth=True)

    # Status
    async def status(self) -> StatusSnapshot:
        # Never a cached copy: the team must see what it just published.
        headers = {"Cache-Control": "no-cache"}
        return self._parse(
            StatusSnapshot, await self._request("GET", "/v1/status", headers=headers)
        )

    async def templates(self) -> list[IncidentTemplate]:
        response = await self._request("GET", "/v1/admin/incident-templates", auth=True)
        data = response.json()
        return TEMPLATES.validate_python(data.get("items", []) if isinstance(data, dict) else data)

    async def audience(self, draft: AudienceIn) -> Audience:
        response = await self._request(
            "POST", "/v1/admin/incidents/audience", json=_json(draft), auth=True
        )
        return self._parse(Audience, response)

    async def publish(self, incident: IncidentIn) -> Incident:
        response = await self._request(
            "POST", "/v1/admin/incidents", json=_json(incident), auth=True
        )
        return self._parse(Incident, response)

    async def update_incident(self, incident_id: str, update: IncidentUpdateIn) -> Incident:
        response = await self._request(
            "POST", f"/v1/admin/incidents/{incident_id}/updates", json=_json(update), auth=True
        )
        return self._parse(Incident, response)

    # Early warnings (the `status` scope)
    async def warnings(
        self, state: WarningState | None = None, limit: int = 100
    ) -> list[EarlyWarning]:
        """Most recently detected first."""
        params = {"limit": str(limit)} | ({"state": state.value} if state else {})
        path = "/v1/admin/social/warnings"
        response = await self._request("GET", path, params=params, auth=True)
        return WARNINGS.validate_json(response.content)

    async def act_on_warning(self, warning_id: str, action: WarningAction) -> EarlyWarning:
        path = f"/v1/admin/social/warnings/{warning_id}"
        response = await self._request("POST", path, json=_json(action), auth=True)
        return self._parse(EarlyWarning, response)

    # Cases
    async def inbox(self, filters: dict[str, str], limit: int = 100) -> Page[InboxCase]:
        params = {key: value for key, value in filters.items() if value} | {"limit": str(limit)}
        response = await self._request("GET", "/v1/admin/inbox", params=params, auth=True)
        return self._parse(Page[InboxCase], response)

    async def inbox_case(self, case_id: str) -> InboxCase:
        response = await self._request("GET", f"/v1/admin/inbox/{case_id}", auth=True)
        return self._parse(InboxCase, response)

    async def reply(self, case_id: str, reply: AgentReplyIn) -> Case:
        response = await self._request(
            "POST", f"/v1/admin/cases/{case_id}/replies", json=_json(reply), auth=True
        )
        return self._parse(Case, response)

    async def set_case_status(self, case_id: str, status: CaseStatusIn) -> Case:
        response = await self._request(
            "PUT", f"/v1/admin/cases/{case_id}/status", json=_json(status), auth=True
        )
        return self._parse(Case, response)

    async def assign(self, case_id: str, assignee: str | None) -> None:
        body = AssignIn(assignee=assignee).model_dump(mode="json")
        await self._request("PUT", f"/v1/admin/cases/{case_id}/assignee", json=body, auth=True)

    async def articles(self, locale: str, limit: int = 200) -> list[Article]:
        params = {"locale": locale, "limit": str(limit)}
        response = await self._request("GET", "/v1/kb/articles", params=params)
        return self._parse(Page[Article], response).items
