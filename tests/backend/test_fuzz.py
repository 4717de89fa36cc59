"""Schemathesis fuzzes every operation of the hub's OpenAPI document, in process: no
request may get a 5xx, and every answer must match the document (status code, content
type, body). Customer endpoints are called with a signed-in customer's token, operator
endpoints with an operator token holding every scope."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case
from schemathesis.generation import GenerationMode

from app.backend.crud import alert_devices, auth, staff
from app.backend.db import Database
from app.backend.openapi_doc import COMMITTED
from app.backend.settings import HubSettings
from app.schemas import AlertDeviceIn
from app.schemas.staff import StaffRole
from tests.support import bearer, seed_company

# The event streams (a customer's, and the public one) never end by themselves, so they
# cannot be fuzzed request by request; they are tested against a real hub in
# tests/backend/test_events.py.
ENDLESS = r"^/v1/events(/public)?$"
# These end the session they are called with: each call gets a customer of its own.
SESSION_ENDING = {("POST", "/v1/auth/logout"), ("DELETE", "/v1/me")}
# A made-up code is refused with 401, for customers and staff alike.
WRONG_CODE_IS_401 = {"/v1/auth/verify", "/v1/admin/auth/verify"}
# These need a staff sign-in (an operator token of the CLI gets 403); sign-out ends it, so
# each call gets a sign-in of its own.
STAFF_ONLY = {"/v1/admin/me", "/v1/admin/auth/sign-out"}
DEFAULT_EXAMPLES = 10
SLOW_EXAMPLES = 50


class Tokens:
    """Bearer tokens minted straight in the database (the sign-in flow itself is fuzzed
    like any other endpoint)."""

    def __init__(self, db: Database, settings: HubSettings) -> None:
        self._db = db
        self._settings = settings
        self.customer = self.new_customer("fuzz@example.com")
        with db.write() as conn:
            self.operator = auth.create_operator_token(conn, scopes=sorted(auth.OPERATOR_SCOPES))
            device = AlertDeviceIn(platform="webpush", endpoint="https://push.example.com/fuzz")
            self.device_secret = alert_devices.register(conn, device=device).secret
        self._minted = 0
        with db.write() as conn:
            self.member = staff.add_member(
                conn, email="fuzz-admin@example.com", name="Fuzz", role=StaffRole.admin
            )

    def new_customer(self, email: str | None = None) -> str:
        if email is None:
            self._minted += 1
            email = f"fuzz-{self._minted}@example.com"
        with self._db.write() as conn:
            customer = auth.ensure_customer(conn, email=email)
            return auth.issue_customer_session(
                conn, customer=customer, settings=self._settings
            ).token

    def for_case(self, case: Case[Any]) -> dict[str, str]:
        """The token this operation is meant for; a session-ending call gets its own; a
        device registered for alerts without an account shows its secret."""
        if case.path.startswith("/v1/alerts/devices/"):
            return {"Authorization": f"Device {self.device_secret}"}
        if case.path in STAFF_ONLY:
            with self._db.write() as conn:
                token = staff.issue_session(conn, member=self.member, settings=self._settings).token
        elif case.path.startswith("/v1/admin/"):
            token = self.operator
        elif (case.method.upper(), case.path) in SESSION_ENDING:
            token = self.new_customer()
        else:
            token = self.customer
        return bearer(token)


def http_only(api: Any) -> Any:
    """The hub without its lifespan, as the other in-process tests drive it (no push
    dispatcher sending to fuzzed device endpoints)."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            raise RuntimeError("lifespan is not run in tests")
        await api(scope, receive, send)

    return app


@pytest.fixture
def fuzzed_hub(hub_app: Any, db: Database) -> Any:
    seed_company(db)
    return http_only(hub_app)


@pytest.fixture
def tokens(db: Database, settings: HubSettings) -> Tokens:
    return Tokens(db, settings)


# The committed document is the served one (tests/backend/test_openapi.py).
schema = schemathesis.openapi.from_path(COMMITTED).exclude(path_regex=ENDLESS)
# A request is given a minute: these machines are shared, and a loaded disk once held a
# PostgreSQL commit past schemathesis's 10 s default (what a request may take is a figure
# for bench/, not a test).
schema.config.update(base_url="http://hub.test", request_timeout=60)
schema.config.generation.update(modes=list(GenerationMode))
# Checked: no 5xx, documented status codes, content types, headers and bodies, and the Allow
# header of a 405. Not checked: that any schema-valid request is accepted and any invalid one
# refused. The hub refuses valid-looking input on purpose (NUL characters, unknown cursors,
# scopes or slots, files whose content is not their type) and, like pydantic, takes 0 for
# false or a number of seconds for a time.
schema.config.checks.update(
    excluded_check_names=["positive_data_acceptance", "negative_data_rejection"]
)


def fuzz_settings(examples: int) -> settings:
    """The same examples on every run, so a landing never hangs on chance; with
    CARELINE_FUZZ_RANDOM=1 each run explores new ones (what found the long-locale 500)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not os.environ.get("CARELINE_FUZZ_RANDOM"),
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def call_and_validate(case: Case[Any], hub: Any, tokens: Tokens) -> None:
    response = case.call_and_validate(app=hub, headers=tokens.for_case(case))
    if case.path not in WRONG_CODE_IS_401:
        # The token was honoured, so the fuzzing reached past authentication.
        assert response.status_code not in (401, 403), response.text


@fuzz_settings(DEFAULT_EXAMPLES)
@schema.parametrize()
def test_api_matches_its_openapi(case: Case[Any], fuzzed_hub: Any, tokens: Tokens) -> None:
    call_and_validate(case, fuzzed_hub, tokens)


@pytest.mark.slow
@fuzz_settings(SLOW_EXAMPLES)
@schema.parametrize()
def test_api_matches_its_openapi_at_length(
    case: Case[Any], fuzzed_hub: Any, tokens: Tokens
) -> None:
    call_and_validate(case, fuzzed_hub, tokens)
