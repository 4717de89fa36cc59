"""Push mutations name their targets in the body: each kind gets the sweep of the routes
(refused as a whole for every wrong caller) and names Alice's objects to Bob as missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app.backend.crud import cases
from app.backend.db.tables import mutations
from tests.backend.authz.routes import ROUTES, refusals
from tests.backend.authz.world import (
    MISSING,
    Reply,
    World,
    alice_untouched,
    check_refusal,
    fill,
    leaks,
)
from tests.support import mutation, push_body


@dataclass(frozen=True)
class Mutation:
    args: dict[str, Any]
    # Bob naming Alice's object is refused with this code, exactly as for a missing id;
    # None: the mutation names nothing of anyone else's and is applied to Bob's own data.
    refused_as: str | None = None


def slot(hours: int) -> str:
    moment = datetime.now(UTC) + timedelta(hours=hours)
    return moment.replace(minute=0, second=0, microsecond=0).isoformat()


MUTATIONS: dict[str, Mutation] = {
    "case.open": Mutation(
        {"subject": "Mine", "description": "x", "attachments": ["{attachment}"]},
        "unknown_attachment",
    ),
    "case.reply": Mutation({"case": "{case}", "body": "Bob was here"}, "not_found"),
    "case.close": Mutation({"case": "{case}"}, "not_found"),
    "case.email_replies": Mutation({"case": "{case}", "on": True}, "not_found"),
    "callback.request": Mutation(
        {"queue": "help", "mode": "asap", "phone": "+13125550100", "case": "{case}"},
        "not_found",
    ),
    "callback.cancel": Mutation({"callback": "{callback}"}, "not_found"),
    "callback.reschedule": Mutation(
        {"callback": "{callback}", "slot_start": slot(26)}, "not_found"
    ),
    "article.feedback": Mutation({"article": "lost-bag", "helpful": False}),
    "subscriptions.set": Mutation({"keys": ["BOB-KEY"], "components": []}),
    "subscriptions.join": Mutation({"keys": ["BOB-KEY-TOO"]}),
    "device.register": Mutation(
        {"platform": "webpush", "endpoint": "https://push.example.com/bob"}
    ),
    "account.locale": Mutation({"locale": "es"}),
}


def test_every_mutation_kind_is_in_the_sweep() -> None:
    from app.schemas import MutationName

    assert sorted(MUTATIONS) == sorted(name.value for name in MutationName)


def sweep_body(name: str, args: dict[str, Any], ids: dict[str, str]) -> dict[str, Any]:
    """A push of this one mutation, its arguments filled with the world's ids."""
    return push_body(mutation(name, **fill(args, ids)), client_id="matrix")


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_mutation_refuses_every_wrong_caller(world: World, name: str) -> None:
    """The push is refused as a whole before any mutation runs."""
    spec, wrong = MUTATIONS[name], []
    for caller, status_code in refusals(ROUTES["POST /v1/sync/push"]).items():
        body = sweep_body(name, spec.args, world.ids)
        response = await world.client.post(
            "/v1/sync/push", headers=world.callers[caller], json=body
        )
        reply = Reply(response.status_code, response.headers, response.text, str(body))
        wrong += check_refusal(world, f"{name} [{caller}]", reply, status_code)
    wrong += await alice_untouched(world)
    with world.db.read() as conn:
        everyone, _ = cases.list_cases(conn, limit=100)
        applied = conn.execute(select(func.count()).select_from(mutations)).scalar_one()
    if [c.id for c in everyone] != [world.ids["case"]]:
        wrong.append(f"{name}: a refused push opened a case")
    if applied != world.recorded:
        wrong.append(f"{name}: a refused push was recorded ({applied} mutations)")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_mutation_naming_alices_object_is_refused_as_missing(world: World, name: str) -> None:
    spec = MUTATIONS[name]

    async def bob_pushes(ids: dict[str, str]) -> dict[str, Any]:
        body = sweep_body(name, spec.args, ids)
        response = await world.client.post("/v1/sync/push", headers=world.bob, json=body)
        assert response.status_code == 200, response.text
        reply = Reply(response.status_code, response.headers, response.text, str(body))
        assert leaks(world, reply) == []
        result: dict[str, Any] = response.json()["results"][0]
        return result

    theirs = await bob_pushes(world.ids)
    if spec.refused_as is None:
        assert theirs["status"] == "applied", theirs
        assert leaks(world, Reply(200, httpx.Headers(), str(theirs), "")) == []
    else:
        missing = await bob_pushes({**world.ids, **MISSING})
        assert theirs["status"] == missing["status"] == "rejected", (theirs, missing)
        assert theirs["error"]["code"] == spec.refused_as, theirs
        # The same words as for an id that does not exist.
        assert theirs["error"] == missing["error"]
    assert await alice_untouched(world) == []
    pulled = (await world.client.get("/v1/sync/pull", headers=world.alice)).json()
    subscriptions = [c for c in pulled["changes"] if c["entity"] == "subscriptions"]
    assert subscriptions[-1]["data"]["keys"] == ["ALICE-KEY"], "Alice's alerts changed"
