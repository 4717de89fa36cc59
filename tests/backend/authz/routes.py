"""Every route of the hub, classified: who may call it, one request that succeeds for
them, and which callers it must refuse with which status."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from tests.support import ALWAYS_OPEN


class Access(Enum):
    public = "anyone"
    signed_in = "any live token"
    customer = "customer token"
    operator = "operator token with a scope"
    device = "the secret of a device registered for alerts without an account"
    staff = "a member of staff's sign-in"


@dataclass(frozen=True)
class Route:
    """Who may call a route, and one request that succeeds for them. `path` and `json`
    may name the world's ids as {case}, {callback}, {attachment}, {incident}, {token_id},
    {erin_attempt}, {erin_code}, {staff_attempt}, {staff_code}, {spare_staff}, {warning};
    `upload` sends a file as multipart."""

    access: Access
    path: str
    ok: int = 200
    scope: str | None = None
    json: dict[str, Any] | None = None
    upload: bool = False
    # Routes whose path names one of the customer's own objects.
    owned: bool = False


def public(path: str, ok: int = 200, **json: Any) -> Route:
    return Route(Access.public, path, ok, json=json or None)


def customer(path: str, ok: int = 200, **kwargs: Any) -> Route:
    return Route(Access.customer, path, ok, **kwargs)


def operator(scope: str, path: str, ok: int = 200, **json: Any) -> Route:
    return Route(Access.operator, path, ok, scope=scope, json=json or None)


ROUTES: dict[str, Route] = {
    # Anyone: status, help centre, queues, the API's own documents.
    "GET /healthz": public("/healthz"),
    "GET /openapi.json": public("/openapi.json"),
    "GET /docs": public("/docs"),
    "GET /docs/oauth2-redirect": public("/docs/oauth2-redirect"),
    "GET /redoc": public("/redoc"),
    "GET /v1/status": public("/v1/status"),
    "GET /api/v2/summary.json": public("/api/v2/summary.json"),
    "GET /v1/incidents": public("/v1/incidents"),
    "GET /v1/incidents/{incident_id}": public("/v1/incidents/{incident}"),
    "GET /v1/kb/changes": public("/v1/kb/changes"),
    "GET /v1/kb/articles": public("/v1/kb/articles"),
    "GET /v1/kb/articles/{slug}": public("/v1/kb/articles/lost-bag"),
    "GET /v1/kb/categories": public("/v1/kb/categories"),
    "POST /v1/kb/feedback": public("/v1/kb/feedback", 204, article="en:lost-bag", helpful=False),
    "POST /v1/search-gaps": public("/v1/search-gaps", 204, locale="en", counts={"snow": 1}),
    "GET /v1/callbacks/queues": public("/v1/callbacks/queues"),
    "GET /v1/callbacks/availability": public("/v1/callbacks/availability?queue=help"),
    "GET /v1/push/key": public("/v1/push/key"),
    "GET /v1/events/public": public("/v1/events/public"),
    # A helpdesk's webhook is signed by the helpdesk, not a token; this hub feeds none.
    "POST /v1/channels/{connector}/webhook": public("/v1/channels/zendesk/webhook", 404),
    # Alerts without an account: registering needs nothing; changing or ending it, the
    # device's secret.
    "POST /v1/alerts/devices": public(
        "/v1/alerts/devices", 201, platform="webpush", endpoint="https://push.example.com/anon"
    ),
    "PUT /v1/alerts/devices/{device_id}": Route(
        Access.device, "/v1/alerts/devices/{alert_device}", 204, json={"follows": {"keys": ["ORD"]}}
    ),
    "DELETE /v1/alerts/devices/{device_id}": Route(
        Access.device, "/v1/alerts/devices/{alert_device}", 204
    ),
    # Signing in needs no token; signing out needs a live one of either kind.
    "POST /v1/auth/start": public("/v1/auth/start", 202, email="new.matrix@example.com"),
    "POST /v1/auth/verify": public(
        "/v1/auth/verify",
        email="erin.matrix@example.com",
        attempt="{erin_attempt}",
        code="{erin_code}",
    ),
    "POST /v1/auth/logout": Route(Access.signed_in, "/v1/auth/logout", 204),
    # The signed-in customer's own data.
    "GET /v1/me": customer("/v1/me"),
    "DELETE /v1/me": customer("/v1/me", 204),
    "GET /v1/me/export": customer("/v1/me/export"),
    "GET /v1/sync/pull": customer("/v1/sync/pull"),
    "POST /v1/sync/push": customer("/v1/sync/push", json={"client_id": "matrix", "mutations": []}),
    "GET /v1/cases": customer("/v1/cases"),
    "GET /v1/cases/{case_id}": customer("/v1/cases/{case}", owned=True),
    "POST /v1/attachments": customer("/v1/attachments", 201, upload=True),
    "GET /v1/attachments/{attachment_id}": customer("/v1/attachments/{attachment}", owned=True),
    "GET /v1/callbacks": customer("/v1/callbacks"),
    "GET /v1/callbacks/{callback_id}": customer("/v1/callbacks/{callback}", owned=True),
    "GET /v1/events": customer("/v1/events"),
    "POST /v1/me/devices": customer(
        "/v1/me/devices", json={"id": "{alert_device}", "secret": "{alert_secret}"}
    ),
    "DELETE /v1/me/devices/{device_id}": customer("/v1/me/devices/{device}", 204, owned=True),
    # The customer's sign-ins: only their own to see and end.
    "GET /v1/me/sessions": customer("/v1/me/sessions"),
    "DELETE /v1/me/sessions/{session_id}": customer("/v1/me/sessions/{session}", 204, owned=True),
    "DELETE /v1/me/sessions": customer("/v1/me/sessions"),
    # Operators, each behind one scope.
    "POST /v1/admin/incidents": operator(
        "status", "/v1/admin/incidents", 201, title="Fog", impact="minor", body="Slow."
    ),
    "POST /v1/admin/incidents/{incident_id}/updates": operator(
        "status", "/v1/admin/incidents/{incident}/updates", status="identified", body="Found."
    ),
    "PUT /v1/admin/components/{component_id}/status": operator(
        "status", "/v1/admin/components/baggage/status", status="major_outage"
    ),
    "POST /v1/admin/incidents/audience": operator(
        "status", "/v1/admin/incidents/audience", title="Fog", impact="minor"
    ),
    "GET /v1/admin/incident-templates": operator("status", "/v1/admin/incident-templates"),
    "POST /v1/admin/social/posts": operator(
        "social",
        "/v1/admin/social/posts",
        posts=[{"id": "p1", "created_at": "2015-02-17T10:00:00Z", "text": "Stuck at ORD"}],
    ),
    "GET /v1/admin/social/warnings": operator("status", "/v1/admin/social/warnings"),
    "POST /v1/admin/social/warnings/{warning_id}": operator(
        "status", "/v1/admin/social/warnings/{warning}", state="acknowledged"
    ),
    "GET /v1/admin/cases": operator("cases", "/v1/admin/cases"),
    "GET /v1/admin/inbox": operator("cases", "/v1/admin/inbox"),
    "GET /v1/admin/inbox/{case_id}": operator("cases", "/v1/admin/inbox/{case}"),
    "PUT /v1/admin/cases/{case_id}/assignee": operator(
        "cases", "/v1/admin/cases/{case}/assignee", assignee="stf_matrix"
    ),
    "POST /v1/admin/cases/{case_id}/replies": operator(
        "cases", "/v1/admin/cases/{case}/replies", body="We are on it."
    ),
    "POST /v1/admin/cases/{case_id}/attachments": Route(
        Access.operator, "/v1/admin/cases/{case}/attachments", 201, scope="cases", upload=True
    ),
    "PUT /v1/admin/cases/{case_id}/status": operator(
        "cases", "/v1/admin/cases/{case}/status", status="open"
    ),
    "GET /v1/admin/attachments/{attachment_id}": operator(
        "cases", "/v1/admin/attachments/{attachment}"
    ),
    "GET /v1/admin/callbacks": operator("callbacks", "/v1/admin/callbacks"),
    "PUT /v1/admin/callbacks/{callback_id}/status": operator(
        "callbacks", "/v1/admin/callbacks/{callback}/status", status="missed"
    ),
    "PUT /v1/admin/queues/{queue_id}/hours": operator(
        "callbacks", "/v1/admin/queues/help/hours", 204, hours=ALWAYS_OPEN
    ),
    "PUT /v1/admin/queues/{queue_id}/staffing": operator(
        "callbacks",
        "/v1/admin/queues/help/staffing",
        204,
        starts_at="{in_an_hour}",
        ends_at="{in_two_hours}",
        agents=2,
    ),
    "GET /v1/admin/callbacks/board": operator("callbacks", "/v1/admin/callbacks/board"),
    "GET /v1/admin/queues/{queue_id}/staffing": operator(
        "callbacks", "/v1/admin/queues/help/staffing"
    ),
    "GET /v1/admin/queues/{queue_id}/hours": operator("callbacks", "/v1/admin/queues/help/hours"),
    "GET /v1/admin/charts/contacts": operator("cases", "/v1/admin/charts/contacts"),
    "GET /v1/admin/charts/demand": operator("callbacks", "/v1/admin/charts/demand"),
    "GET /v1/admin/forecast": operator("callbacks", "/v1/admin/forecast"),
    "GET /v1/admin/charts/helpfulness": operator("kb", "/v1/admin/charts/helpfulness"),
    "GET /v1/admin/kb/helpfulness": operator("kb", "/v1/admin/kb/helpfulness"),
    "GET /v1/admin/kb/gaps": operator("kb", "/v1/admin/kb/gaps"),
    "PUT /v1/admin/kb/articles/{locale}/{slug}": operator(
        "kb", "/v1/admin/kb/articles/en/new-one", title="New", body="Body", category="baggage"
    ),
    "DELETE /v1/admin/kb/articles/{locale}/{slug}": operator(
        "kb", "/v1/admin/kb/articles/en/bag-fees", 204
    ),
    "POST /v1/admin/tokens": operator("tokens", "/v1/admin/tokens", 201, scopes=["kb"]),
    "GET /v1/admin/tokens": operator("tokens", "/v1/admin/tokens"),
    "DELETE /v1/admin/tokens/{token_id}": operator("tokens", "/v1/admin/tokens/{token_id}", 204),
    # Staff: signing in needs no token; who they are and signing out, a staff sign-in;
    # managing staff and reading the audit trail, the `staff` scope.
    "POST /v1/admin/auth/start": public("/v1/admin/auth/start", 202, email="x@example.com"),
    "POST /v1/admin/auth/verify": public(
        "/v1/admin/auth/verify",
        email="staff.matrix@example.com",
        attempt="{staff_attempt}",
        code="{staff_code}",
    ),
    "GET /v1/admin/me": Route(Access.staff, "/v1/admin/me"),
    "POST /v1/admin/auth/sign-out": Route(Access.staff, "/v1/admin/auth/sign-out", 204),
    "GET /v1/admin/staff": operator("staff", "/v1/admin/staff"),
    "POST /v1/admin/staff": operator(
        "staff", "/v1/admin/staff", 201, email="hire.matrix@example.com", name="H", role="agent"
    ),
    "PUT /v1/admin/staff/{staff_id}": operator(
        "staff", "/v1/admin/staff/{spare_staff}", role="supervisor"
    ),
    "POST /v1/admin/staff/{staff_id}/sign-out": operator(
        "staff", "/v1/admin/staff/{spare_staff}/sign-out"
    ),
    "GET /v1/admin/audit": operator("staff", "/v1/admin/audit"),
}


UNAUTHENTICATED = [
    "no token",
    "empty bearer",
    "forged token",
    "forged operator token",
    "basic auth",
    "token without scheme",
    "token with a typo",
    "revoked token",
    "expired token",
    "erased account",
    "revoked operator",
    "expired operator",
]


def refusals(route: Route) -> dict[str, int]:
    """Each caller that `route` must refuse, with the status it must answer."""
    if route.access is Access.public:
        return {}
    expected = dict.fromkeys(UNAUTHENTICATED, 401)
    if route.access is Access.device:
        # A token is not a device's secret; another device's secret finds nothing.
        return {**expected, "customer": 401, "operator, every scope": 401, "another device": 404}
    if route.access is Access.customer:
        expected["operator, every scope"] = 403
    if route.access is Access.staff:
        # Live tokens that sign in no member of staff.
        expected["customer"] = 403
        expected["operator, every scope"] = 403
    if route.access is Access.operator:
        expected["customer"] = 403
        expected["another customer"] = 403
        expected[f"operator without {route.scope}"] = 403
    return expected


def rightful_caller(route: Route) -> str:
    return {
        Access.public: "no token",
        Access.signed_in: "customer",
        Access.customer: "customer",
        Access.operator: "operator, every scope",
        Access.device: "device",
        Access.staff: "staff",
    }[route.access]
