"""Mutations with edge values or random arguments are refused or rejected, never crash
the hub: impossible times, values at the edges of their types, and a property test over
every mutation's arguments."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from app.backend.crud import auth
from app.backend.db import Database
from app.backend.settings import HubSettings
from app.schemas import MutationName
from tests.backend.support import lenient
from tests.support import Company, assert_problem, bearer, mutation, push, push_body

PHONE = "+13125550123"


def slot_args(slot_start: str) -> dict[str, Any]:
    return {"queue": "help", "mode": "slot", "phone": PHONE, "slot_start": slot_start}


EDGE_MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "naive-slot": ("callback.request", slot_args("2030-01-07T10:00:00")),
    "max-slot": ("callback.request", slot_args("9999-12-31T23:59:59+00:00")),
    "min-slot": ("callback.request", slot_args("0001-01-01T00:00:00+00:00")),
    "nul-subject": ("case.open", {"subject": "bag\x00", "description": "d"}),
    "nul-endpoint": ("device.register", {"platform": "fcm", "endpoint": "e\x00"}),
}


@pytest.mark.parametrize("case", sorted(EDGE_MUTATIONS))
async def test_edge_values_in_mutations_never_500(
    hub_app: Any, alice: dict[str, str], company: Company, case: str
) -> None:
    name, args = EDGE_MUTATIONS[case]
    async with lenient(hub_app) as client:
        body = push_body(mutation(name, **args))
        response = await client.post("/v1/sync/push", headers=alice, json=body)
    assert response.status_code == 200, response.text
    assert response.json()["results"][0]["status"] in ("applied", "rejected")


@pytest.mark.parametrize(
    "slot_start", ["2030-01-07T10:00:00", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]
)
async def test_reschedule_to_an_impossible_time_is_rejected(
    hub_app: Any, alice: dict[str, str], company: Company, slot_start: str
) -> None:
    async with lenient(hub_app) as client:
        [booked] = await push(
            client, alice, mutation("callback.request", queue="help", mode="asap", phone=PHONE)
        )
        callback_id = booked["entity"]["id"]
        body = push_body(
            mutation("callback.reschedule", callback=callback_id, slot_start=slot_start)
        )
        response = await client.post("/v1/sync/push", headers=alice, json=body)
        assert response.status_code == 200, response.text
        assert response.json()["results"][0]["status"] == "rejected"
        after = await client.get(f"/v1/callbacks/{callback_id}", headers=alice)
        assert after.json()["status"] == "requested"


ENTRY = mutation("case.open", subject="s", description="d")
EDGE_REQUESTS: dict[str, tuple[str, str, Any, dict[str, str] | None]] = {
    "seq-beyond-bigint": ("POST", "/v1/sync/push", push_body({**ENTRY, "seq": 2**63}), None),
    "nul-client-id": ("POST", "/v1/sync/push", push_body(ENTRY, client_id="phone\x00"), None),
    "huge-case-cursor": ("GET", "/v1/cases", None, {"cursor": str(10**30)}),
    "nul-email": ("POST", "/v1/auth/start", {"email": "a\x00b@example.com"}, None),
}


@pytest.mark.parametrize("case", sorted(EDGE_REQUESTS))
async def test_edge_values_in_requests_never_500(
    hub_app: Any, alice: dict[str, str], case: str
) -> None:
    method, path, body, params = EDGE_REQUESTS[case]
    async with lenient(hub_app) as client:
        response = await client.request(method, path, headers=alice, json=body, params=params)
    assert response.status_code < 500, response.text


# --- Property: random arguments for every mutation never crash the hub. ---

INTERESTING = ["help", "asap", "slot", PHONE, "lost-bag", "baggage", "webpush", "22:00", "UTC"]
FIELDS = sorted(
    {"subject", "description", "category", "attachments", "incident_id", "client_ref", "case"}
    | {"body", "queue", "mode", "phone", "slot_start", "note", "callback", "article"}
    | {"helpful", "comment", "components", "keys", "quiet_hours", "time_zone", "platform"}
    | {"endpoint"}
)
TIMES = st.datetimes(timezones=st.none() | st.just(UTC)).map(lambda moment: moment.isoformat())
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(INTERESTING)
    | TIMES
)
JSON_VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def spoilt_fields(name: MutationName) -> st.SearchStrategy[dict[str, Any]]:
    """One of the mutation's own fields set to a random value (often a time), plus maybe a
    few other fields."""
    own = st.dictionaries(
        st.sampled_from(sorted(base_args(name, "", ""))),
        TIMES | JSON_VALUES,
        min_size=1,
        max_size=1,
    )
    other = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), JSON_VALUES, max_size=2)
    return st.builds(lambda mine, more: {**more, **mine}, own, other)


def base_args(name: MutationName, slot: str, callback_id: str) -> dict[str, Any]:
    """Arguments that would be accepted, for the fuzzer to spoil one field at a time."""
    accepted: dict[MutationName, dict[str, Any]] = {
        MutationName.case_open: {"subject": "Lost bag", "description": "Not on the belt."},
        MutationName.case_reply: {"case": "fuzz-case", "body": "Any news?"},
        MutationName.case_close: {"case": "fuzz-case"},
        MutationName.case_email_replies: {"case": "fuzz-case", "on": True},
        MutationName.callback_request: slot_args(slot),
        MutationName.callback_cancel: {"callback": callback_id},
        MutationName.callback_reschedule: {"callback": callback_id, "slot_start": slot},
        MutationName.article_feedback: {"article": "lost-bag", "helpful": True},
        MutationName.subscriptions_set: {"keys": ["NW12"], "quiet_hours": ["22:00", "07:00"]},
        MutationName.subscriptions_join: {"keys": ["NW13"], "components": ["baggage"]},
        MutationName.device_register: {"platform": "webpush", "endpoint": "https://p.example"},
        MutationName.account_locale: {"locale": "es"},
    }
    return accepted[name]


def fresh_customer(db: Database, settings: HubSettings) -> dict[str, str]:
    with db.write() as conn:
        customer = auth.ensure_customer(conn, email=f"fuzz-{uuid.uuid4().hex}@example.com")
        session = auth.issue_customer_session(conn, customer=customer, settings=settings)
    return bearer(session.token)


ORDER = [
    MutationName.callback_request,
    MutationName.case_open,
    MutationName.case_reply,
    MutationName.article_feedback,
    MutationName.subscriptions_set,
    MutationName.subscriptions_join,
    MutationName.device_register,
    MutationName.account_locale,
    MutationName.callback_reschedule,
    MutationName.callback_cancel,
    MutationName.case_email_replies,
    MutationName.case_close,
]


@given(data=st.data())
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    database=None,
    print_blob=True,
    phases=[Phase.explicit, Phase.generate],  # The assertion names the failing call.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_random_mutation_args_never_crash_the_hub(
    hub_app: Any, db: Database, settings: HubSettings, company: Company, data: st.DataObject
) -> None:
    assert sorted(ORDER) == sorted(MutationName)
    headers = fresh_customer(db, settings)
    slot = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    # Per mutation: either arguments from scratch, or accepted ones with a few fields spoilt.
    drawn = {
        name: (
            data.draw(st.sampled_from([True, False, False]), label=f"{name} from scratch"),
            data.draw(spoilt_fields(name), label=f"{name} args"),
        )
        for name in ORDER
    }

    async def send(client: httpx.AsyncClient, name: MutationName, args: Any) -> None:
        entry = {**mutation(name.value), "args": args}
        response = await client.post("/v1/sync/push", headers=headers, json=push_body(entry))
        assert response.status_code < 500, (name.value, args, response.text)
        if response.status_code == 200:
            [result] = response.json()["results"]
            assert result["status"] in ("applied", "rejected"), result
        else:
            assert_problem(response)

    async def run() -> None:
        async with lenient(hub_app) as client:
            case = mutation("case.open", subject="s", description="d", client_ref="fuzz-case")
            await push(client, headers, case)
            callback_id = "none"
            for name in ORDER:
                if name is MutationName.callback_reschedule:
                    mine = (await client.get("/v1/callbacks", headers=headers)).json()["items"]
                    if not mine:
                        booking = mutation(
                            "callback.request", queue="help", mode="asap", phone=PHONE
                        )
                        mine = [(await push(client, headers, booking))[0]["entity"]]
                    callback_id = mine[0]["id"]
                scratch, changes = drawn[name]
                later = (slot + timedelta(minutes=30)).isoformat()
                base = base_args(
                    name, later if "reschedule" in name else slot.isoformat(), callback_id
                )
                await send(client, name, changes if scratch else {**base, **changes})

    asyncio.run(run())
