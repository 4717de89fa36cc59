"""Callbacks through the hub: queues, availability, booking by push mutation (slot and
ASAP), rejections with next steps, cancel and reschedule, operator status, hours and
staffing (capacity under concurrency: test_callback_concurrency.py)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx

from app.backend.db import Database
from tests.backend.support import (
    PHONE,
    Client,
    Headers,
    Json,
    applied,
    availability,
    free_slots,
    iso,
    rejected,
    request,
    ts,
)
from tests.support import ALWAYS_OPEN, Company, mutation, push, sign_in

CHICAGO = ZoneInfo("America/Chicago")


async def remaining(client: Client, start: str) -> int:
    found = (await availability(client, **{"from": start, "limit": 1}))["slots"]
    return int(found[0]["remaining"]) if found and ts(found[0]["start"]) == ts(start) else 0


async def cancel(client: Client, headers: Headers, ref: str) -> Json:
    [result] = await push(client, headers, mutation("callback.cancel", callback=ref))
    return result


async def move(client: Client, headers: Headers, ref: str, start: str) -> Json:
    change = mutation("callback.reschedule", callback=ref, slot_start=start)
    [result] = await push(client, headers, change)
    return result


async def customers(client: Client, db: Database, n: int) -> list[Headers]:
    return [await sign_in(client, db, f"customer{i}@example.com") for i in range(n)]


def local(slot: Json, fmt: str) -> str:
    return ts(slot["start"]).astimezone(CHICAGO).strftime(fmt).lower()


async def put(client: Client, url: str, body: Json, headers: Headers) -> httpx.Response:
    return await client.put(url, json=body, headers=headers)


async def test_queues_and_availability_within_notice_and_horizon(
    client: Client, company: Company
) -> None:
    before = datetime.now(UTC)
    response = await client.get("/v1/callbacks/availability", params={"queue": "help"})
    everything = await free_slots(client)
    after = datetime.now(UTC)
    assert response.status_code == 200
    assert response.headers["etag"].startswith('"')
    assert "public, max-age=15" in response.headers["cache-control"]
    body = response.json()
    queues = (await client.get("/v1/callbacks/queues")).json()["items"]
    assert queues == [body["queue"]]
    assert (body["queue"]["id"], body["queue"]["time_zone"]) == ("help", "America/Chicago")
    assert body["queue"]["hours"]["sun"] == [["00:00", "24:00"]]
    asap = body["asap"]
    assert (asap["available"], asap["wait_minutes"], asap["opens_at"]) == (True, 10, None)
    assert (asap["low_minutes"], asap["high_minutes"]) == (1, 25), "Erlang(1) 10th-90th"
    assert (asap["past_closing"], asap["closes_at"], asap["slots_first"]) == (False, None, False)
    assert len(body["slots"]) == 100, "default page size"
    assert body["next_cursor"] is not None
    assert len(everything) == 143, "3 days less 30 minutes' notice, in 30-minute slots"
    starts = [ts(s["start"]) for s in everything]
    assert before + timedelta(minutes=30) <= starts[0] < after + timedelta(minutes=60)
    assert starts[-1] < after + timedelta(days=3)
    for slot, start in zip(everything, starts, strict=True):
        assert (start.minute, start.second, start.microsecond) in {(0, 0, 0), (30, 0, 0)}
        assert ts(slot["end"]) - start == timedelta(minutes=30)
        assert slot["remaining"] == 3
    assert all(b - a == timedelta(minutes=30) for a, b in itertools.pairwise(starts))


async def test_availability_pages_with_next_cursor(client: Client, company: Company) -> None:
    everything = [s["start"] for s in await free_slots(client)]
    first = await availability(client, limit=5, **{"from": everything[2]})
    assert [s["start"] for s in first["slots"]] == everything[2:7]
    assert ts(first["next_cursor"]) == ts(everything[7])
    second = await availability(client, limit=5, **{"from": first["next_cursor"]})
    assert [s["start"] for s in second["slots"]] == everything[7:12]
    paged: list[str] = []
    cursor: str | None = everything[2]
    while cursor is not None:
        page = await availability(client, limit=40, **{"from": cursor})
        paged += [s["start"] for s in page["slots"]]
        cursor = page["next_cursor"]
    assert paged == sorted(set(paged))
    assert paged[: len(everything) - 2] == everything[2:]
    assert len(paged) in {141, 142}  # a slot may roll into the horizon meanwhile
    window = await availability(client, **{"from": everything[10], "to": everything[14]})
    assert [s["start"] for s in window["slots"]] == everything[10:14]
    assert window["next_cursor"] is None


async def test_availability_errors_are_problems(client: Client, company: Company) -> None:
    unknown = await client.get("/v1/callbacks/availability", params={"queue": "nope"})
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    for params in (
        {"queue": "help", "from": "2030-01-05T09:00:00"},
        {"queue": "help", "to": "2030-01-05T09:00:00"},
        {"queue": "help", "limit": "0"},
        {"queue": "help", "from": "yesterday"},
        {},
    ):
        response = await client.get("/v1/callbacks/availability", params=params)
        assert response.status_code == 422, params
        assert response.headers["content-type"] == "application/problem+json"


async def test_booking_to_capacity_then_slot_full_with_nearest_free_slots(
    client: Client, db: Database, company: Company
) -> None:
    people = await customers(client, db, 4)
    everything = await free_slots(client)
    slot = everything[6]
    data = applied(
        await request(client, people[0], slot_start=slot["start"], phone="+1 (312) 555-0123")
    )
    assert (data["status"], data["mode"], data["phone"]) == ("scheduled", "slot", PHONE)
    assert (ts(data["slot_start"]), ts(data["slot_end"])) == (ts(slot["start"]), ts(slot["end"]))
    assert await remaining(client, slot["start"]) == 2
    assert await remaining(client, everything[7]["start"]) == 3
    for headers in people[1:3]:
        applied(await request(client, headers, slot_start=slot["start"]))
    assert await remaining(client, slot["start"]) == 0
    assert slot["start"] not in [s["start"] for s in await free_slots(client)]
    error = rejected(await request(client, people[3], slot_start=slot["start"]), "slot_full")
    offered = [ts(a["start"]) for a in error["alternatives"]]
    assert len(offered) == 3
    assert ts(slot["start"]) not in offered
    assert {ts(everything[5]["start"]), ts(everything[7]["start"])} <= set(offered)
    assert offered == sorted(offered)
    assert all(a["remaining"] == 3 for a in error["alternatives"])
    mine = (await client.get("/v1/callbacks", headers=people[3])).json()["items"]
    assert mine == [], "a rejected request leaves nothing behind"


async def test_one_active_callback_per_queue(
    client: Client, alice: Headers, company: Company
) -> None:
    everything = await free_slots(client)
    first = applied(await request(client, alice, slot_start=everything[6]["start"]))
    again = await request(client, alice, slot_start=everything[8]["start"])
    assert rejected(again, "already_booked")["alternatives"] == [{"callback_id": first["id"]}]
    rejected(await request(client, alice, mode="asap"), "already_booked")
    assert await remaining(client, everything[8]["start"]) == 3
    applied(await cancel(client, alice, first["id"]))
    applied(await request(client, alice, slot_start=everything[8]["start"]))


async def test_invalid_requests_are_rejected_with_a_reason(
    client: Client, alice: Headers, company: Company
) -> None:
    everything = await free_slots(client)
    slot = ts(everything[6]["start"])
    for phone in ("12345", "+0123456789", "call me", "+1312555012345678"):
        rejected(await request(client, alice, slot_start=iso(slot), phone=phone), "invalid_phone")
    rejected(await request(client, alice, queue="nope", slot_start=iso(slot)), "unknown_queue")
    rejected(await request(client, alice, queue="nope", mode="asap"), "unknown_queue")
    unbookable = [
        slot + timedelta(minutes=5),  # not on the grid
        ts(everything[0]["start"]) - timedelta(minutes=30),  # inside the notice period
        ts(everything[-1]["start"]) + timedelta(hours=1),  # beyond the horizon (still staffed)
        slot - timedelta(days=1),  # in the past
    ]
    for start in unbookable:
        error = rejected(await request(client, alice, slot_start=iso(start)), "slot_unavailable")
        assert error["alternatives"], "a next step is offered"
    rejected(await request(client, alice), "invalid")
    rejected(await request(client, alice, mode="later", slot_start=iso(slot)), "invalid")
    assert (await client.get("/v1/callbacks", headers=alice)).json()["items"] == []
    assert await remaining(client, iso(slot)) == 3


async def test_asap_requests_queue_and_raise_the_wait(
    client: Client, db: Database, company: Company
) -> None:
    people = await customers(client, db, 3)
    waits = [(await availability(client, limit=1))["asap"]["wait_minutes"]]
    for headers in people:
        data = applied(await request(client, headers, mode="asap"))
        assert (data["status"], data["mode"], data["slot_start"]) == ("requested", "asap", None)
        waits.append((await availability(client, limit=1))["asap"]["wait_minutes"])
    assert waits == [10, 20, 30, 40]
    assert [s["remaining"] for s in await free_slots(client)] == [3] * 143


async def test_cancel_frees_the_place_once(
    client: Client, alice: Headers, company: Company
) -> None:
    slot = (await free_slots(client))[6]["start"]
    booked = applied(await request(client, alice, slot_start=slot))
    assert await remaining(client, slot) == 2
    assert applied(await cancel(client, alice, booked["id"]))["status"] == "cancelled"
    assert await remaining(client, slot) == 3
    rejected(await cancel(client, alice, booked["id"]), "not_cancellable")
    rejected(await move(client, alice, booked["id"], slot), "not_reschedulable")
    assert await remaining(client, slot) == 3
    rejected(await cancel(client, alice, "cb_nope"), "not_found")


async def test_reschedule_moves_the_booking_by_id_or_client_ref(
    client: Client, db: Database, company: Company
) -> None:
    alice, *others = await customers(client, db, 4)
    everything = await free_slots(client)
    old, new, full = (everything[i]["start"] for i in (6, 9, 12))
    booked = applied(await request(client, alice, slot_start=old, client_ref="local-1"))
    assert booked["client_ref"] == "local-1"
    rejected(await move(client, others[0], "local-1", new), "not_found")
    moved = applied(await move(client, alice, "local-1", new))  # by the client's own ref
    assert (moved["id"], ts(moved["slot_start"])) == (booked["id"], ts(new))
    assert ts(moved["slot_end"]) == ts(new) + timedelta(minutes=30)
    assert (await remaining(client, old), await remaining(client, new)) == (3, 2)
    for headers in others:
        applied(await request(client, headers, slot_start=full))
    assert rejected(await move(client, alice, booked["id"], full), "slot_full")["alternatives"]
    assert await remaining(client, new) == 2, "a failed move keeps the old booking"
    mine = (await client.get(f"/v1/callbacks/{booked['id']}", headers=alice)).json()
    assert ts(mine["slot_start"]) == ts(new)
    assert applied(await cancel(client, alice, "local-1"))["id"] == booked["id"]
    assert (await remaining(client, old), await remaining(client, new)) == (3, 3)


async def test_operator_records_the_outcome(
    client: Client, alice: Headers, bob: Headers, operator: Headers, company: Company
) -> None:
    slot = (await free_slots(client))[6]["start"]
    mine = applied(await request(client, alice, slot_start=slot))
    theirs = applied(await request(client, bob, slot_start=slot))
    listed = await client.get("/v1/admin/callbacks", params={"queue": "help"}, headers=operator)
    assert {c["id"] for c in listed.json()["items"]} == {mine["id"], theirs["id"]}
    url = f"/v1/admin/callbacks/{mine['id']}/status"
    assert (await put(client, url, {"status": "completed"}, alice)).status_code in {401, 403}
    done = await put(client, url, {"status": "completed"}, operator)
    assert (done.status_code, done.json()["status"]) == (200, "completed")
    seen = await client.get(f"/v1/callbacks/{mine['id']}", headers=alice)
    assert seen.json()["status"] == "completed"
    assert await remaining(client, slot) == 1, "a completed call used its place"
    rejected(await cancel(client, alice, mine["id"]), "not_cancellable")
    listed = await client.get("/v1/admin/callbacks", params={"queue": "help"}, headers=operator)
    assert [c["id"] for c in listed.json()["items"]] == [theirs["id"]]
    drop = f"/v1/admin/callbacks/{theirs['id']}/status"
    assert (await put(client, drop, {"status": "cancelled"}, operator)).json()["status"] == (
        "cancelled"
    )
    assert await remaining(client, slot) == 2, "an operator's cancel frees the place"
    missing = "/v1/admin/callbacks/cb_nope/status"
    assert (await put(client, missing, {"status": "missed"}, operator)).status_code == 404
    assert (await put(client, url, {"status": "lost"}, operator)).status_code == 422


async def test_operator_hours_shape_availability(
    client: Client, operator: Headers, company: Company
) -> None:
    everything = await free_slots(client)
    closed_day = local(everything[100], "%a")
    hours = {day: spans for day, spans in ALWAYS_OPEN.items() if day != closed_day}
    url = "/v1/admin/queues/help/hours"
    assert (await put(client, url, {"hours": hours}, operator)).status_code == 204
    after = await free_slots(client)
    days = {local(s, "%a") for s in after}
    assert closed_day not in days
    assert len(days) >= 2
    assert 0 < len(after) < len(everything)
    office = {day: [["09:00", "17:00"]] for day in ALWAYS_OPEN}
    assert (await put(client, url, {"hours": office}, operator)).status_code == 204
    clocks = {local(s, "%H:%M") for s in await free_slots(client)}
    assert clocks == {f"{h:02}:{m:02}" for h in range(9, 17) for m in (0, 30)}
    for bad in ({"funday": [["09:00", "17:00"]]}, {"mon": [["17:00", "09:00"]]}):
        response = await put(client, url, {"hours": bad}, operator)
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
    unknown = "/v1/admin/queues/nope/hours"
    assert (await put(client, unknown, {"hours": office}, operator)).status_code == 404


async def test_operator_staffing_shapes_availability(
    client: Client, operator: Headers, company: Company
) -> None:
    everything = await free_slots(client)
    url = "/v1/admin/queues/help/staffing"
    off = {"starts_at": everything[10]["start"], "ends_at": everything[14]["start"], "agents": 0}
    assert (await put(client, url, off, operator)).status_code == 204
    starts = [s["start"] for s in await free_slots(client)]
    assert not {s["start"] for s in everything[10:14]} & set(starts)
    assert len(starts) == len(everything) - 4
    assert {everything[9]["start"], everything[14]["start"]} <= set(starts)
    more = {"starts_at": everything[20]["start"], "ends_at": everything[22]["start"], "agents": 2}
    assert (await put(client, url, more, operator)).status_code == 204
    by_start = {s["start"]: s["remaining"] for s in await free_slots(client)}
    assert [by_start[s["start"]] for s in everything[19:23]] == [3, 6, 6, 3]
    for bad in (
        {**more, "starts_at": "2030-01-01T09:00:00", "ends_at": "2030-01-01T10:00:00"},
        {**more, "ends_at": everything[20]["start"]},
        {**more, "agents": -1},
    ):
        assert (await put(client, url, bad, operator)).status_code == 422, bad


async def test_customers_see_only_their_own_callbacks(
    client: Client, alice: Headers, bob: Headers, company: Company
) -> None:
    everything = await free_slots(client)
    mine = applied(await request(client, alice, slot_start=everything[6]["start"], note="Bags"))
    theirs = applied(await request(client, bob, mode="asap"))
    listed = await client.get("/v1/callbacks", headers=alice)
    assert [(c["id"], c["note"]) for c in listed.json()["items"]] == [(mine["id"], "Bags")]
    own = await client.get(f"/v1/callbacks/{mine['id']}", headers=alice)
    assert (own.status_code, own.json()["id"]) == (200, mine["id"])
    other = await client.get(f"/v1/callbacks/{theirs['id']}", headers=alice)
    assert other.status_code == 404
    assert other.headers["content-type"] == "application/problem+json"
    assert (await client.get("/v1/callbacks")).status_code == 401
