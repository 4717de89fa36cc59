"""A customer downloads everything held about them, then erases the account: their
personal data goes, the company keeps an anonymized case history, nothing of theirs
reaches anyone else."""

from __future__ import annotations

from typing import Any

import httpx

from app.backend.crud.privacy import REMOVED, WITHHELD_PHONE
from app.backend.db import Database
from tests.backend.support import PNG
from tests.support import Company, mutation, push, sign_in


async def slot_remaining(client: httpx.AsyncClient, start: str) -> int:
    found = await client.get(
        "/v1/callbacks/availability", params={"queue": "help", "from": start, "limit": 1}
    )
    slots = found.json()["slots"]
    return int(slots[0]["remaining"]) if slots and slots[0]["start"] == start else 0


async def a_customer_with_history(client: httpx.AsyncClient, alice: dict[str, str]) -> Any:
    upload = await client.post(
        "/v1/attachments", headers=alice, files={"file": ("receipt.png", PNG, "image/png")}
    )
    slots = (
        await client.get("/v1/callbacks/availability", params={"queue": "help", "limit": 5})
    ).json()["slots"]
    results = await push(
        client,
        alice,
        mutation(
            "case.open",
            seq=1,
            subject="Lost bag, tag NW4411",
            description="Call me on +1 312 555 0100",
            category="baggage",
            attachments=[upload.json()["id"]],
        ),
        mutation(
            "callback.request",
            seq=2,
            queue="help",
            mode="slot",
            phone="+13125550100",
            slot_start=slots[2]["start"],
            note="After 5 pm",
        ),
        mutation("subscriptions.set", seq=3, components=["baggage"], keys=["NW4411"]),
        mutation("device.register", seq=4, platform="webpush", endpoint="https://push.example/a"),
        mutation("article.feedback", seq=5, article="en:lost-bag", helpful=False, comment="Alice"),
    )
    assert all(r["status"] == "applied" for r in results), results
    return results[0]["entity"]["data"], slots[2]["start"]


async def test_a_customer_downloads_all_they_gave_us(
    client: httpx.AsyncClient, alice: dict[str, str], bob: dict[str, str], company: Company
) -> None:
    await a_customer_with_history(client, alice)
    export = await client.get("/v1/me/export", headers=alice)
    assert export.status_code == 200
    assert "attachment" in export.headers["content-disposition"]
    data = export.json()
    assert data["customer"]["email"] == "alice@example.com"
    assert [c["subject"] for c in data["cases"]] == ["Lost bag, tag NW4411"]
    assert data["callbacks"][0]["phone"] == "+13125550100"
    assert data["alert_subscriptions"]["keys"] == ["NW4411"]
    assert data["attachments"][0]["filename"] == "receipt.png"
    assert data["article_feedback"][0]["comment"] == "Alice"
    assert data["devices"][0]["platform"] == "webpush"
    assert "token_hash" not in export.text and "endpoint" not in export.text
    bobs = (await client.get("/v1/me/export", headers=bob)).json()
    assert bobs["cases"] == [] and bobs["callbacks"] == [] and "alice" not in str(bobs)
    assert (await client.get("/v1/me/export")).status_code == 401


async def test_erasing_an_account_keeps_an_anonymous_case_history(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    operator: dict[str, str],
    db: Database,
    company: Company,
) -> None:
    case, start = await a_customer_with_history(client, alice)
    await client.post(
        f"/v1/admin/cases/{case['id']}/replies",
        headers=operator,
        json={"body": "We found your bag."},
    )
    before = await slot_remaining(client, start)
    assert (await client.delete("/v1/me", headers=alice)).status_code == 204

    assert (await client.get("/v1/me/export", headers=alice)).status_code == 401, "signed out"
    assert await slot_remaining(client, start) == before + 1, "the booked place is free again"
    listed = (await client.get("/v1/admin/cases", headers=operator)).json()["items"]
    [kept] = [c for c in listed if c["id"] == case["id"]]
    assert (kept["subject"], kept["description"]) == (REMOVED, REMOVED)
    assert [m["body"] for m in kept["messages"]] == ["We found your bag."], "agents' words stay"
    assert kept["attachments"] == []
    callbacks = (await client.get("/v1/admin/callbacks", headers=operator)).json()
    assert all(c["phone"] == WITHHELD_PHONE for c in callbacks["items"])
    admin_text = str(kept) + str(callbacks)
    assert "alice" not in admin_text.lower() and "NW4411" not in admin_text

    again = await sign_in(client, db, "alice@example.com")
    fresh = (await client.get("/v1/me/export", headers=again)).json()
    assert fresh["cases"] == [] and fresh["callbacks"] == [], "a new, empty account"
