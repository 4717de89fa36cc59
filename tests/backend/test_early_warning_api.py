"""Early warning over the admin API: a live feed posts to the webhook with its own
`social` token (refused without one, problem+json on bad input, hostile text trimmed),
and an operator lists the warnings and publishes one as an incident, audited as them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.backend.crud import audit, auth, status
from app.backend.db import Database
from app.backend.early_warning import store
from app.schemas import Impact
from tests.support import bearer

START = datetime(2015, 2, 17, tzinfo=UTC)
POSTS = "/v1/admin/social/posts"


def operator_token(db: Database, scopes: list[str], label: str = "feed") -> str:
    with db.write() as conn:
        return auth.create_operator_token(conn, scopes=scopes, label=label)


def _post(post_id: str, minutes: float, text: str) -> dict[str, Any]:
    moment = START + timedelta(minutes=minutes)
    return {"id": post_id, "created_at": moment.isoformat(), "text": text, "author": "@a"}


async def test_the_webhook_refuses_callers_and_bad_input(
    client: httpx.AsyncClient, db: Database
) -> None:
    feed = bearer(operator_token(db, ["social"]))
    body = {"posts": [_post("a", 0, "ORD")]}
    assert (await client.post(POSTS, json=body)).status_code == 401
    assert (
        await client.post(POSTS, json=body, headers=bearer("clo_" + "0" * 32))
    ).status_code == 401
    status_only = bearer(operator_token(db, ["status"]))
    assert (await client.post(POSTS, json=body, headers=status_only)).status_code == 403
    refused: list[dict[str, Any]] = [
        {"posts": []},
        {"posts": [{"id": "x", "text": "no time"}]},
        {"posts": [{**_post("x", 0, "t"), "created_at": "2015-02-17T10:00:00"}]},
        {"posts": [_post("x", 0, "y" * 30_000)]},
        {"posts": "nope"},
    ]
    for bad in refused:
        answer = await client.post(POSTS, json=bad, headers=feed)
        assert answer.status_code == 422, bad
        assert answer.headers["content-type"].startswith("application/problem+json")
    # A megabyte of text is over the hub's body limit before it is parsed.
    huge = await client.post(POSTS, json={"posts": [_post("x", 0, "y" * 1_000_000)]}, headers=feed)
    assert huge.status_code == 413
    assert huge.headers["content-type"].startswith("application/problem+json")
    answer = await client.post(POSTS, content=b"{not json", headers=feed)
    assert answer.status_code in (400, 422)
    assert answer.headers["content-type"].startswith("application/problem+json")
    hostile = _post("h", 0, "\x1b[2J<img src=x onerror=alert(1)>\u202e" + "z" * 5000)
    answer = await client.post(POSTS, json={"posts": [hostile, hostile]}, headers=feed)
    assert answer.json() == {"received": 2, "added": 1, "warnings_opened": 0}


async def test_a_live_feed_opens_a_warning_an_operator_publishes(
    client: httpx.AsyncClient, db: Database
) -> None:
    with db.write() as conn:
        store.watch(conn, "ORD", ["O'Hare"])
    feed = bearer(operator_token(db, ["social"]))
    desk = bearer(operator_token(db, ["status"], label="desk"))
    calm = [_post(f"c{i}", 10 * i + 5, "ORD calm") for i in range(36)]
    assert (await client.post(POSTS, json={"posts": calm}, headers=feed)).json()["added"] == 36
    storm = [_post(f"s{i}", 360 + i / 2, "Stuck at #OHare") for i in range(15)]
    answer = await client.post(POSTS, json={"posts": storm}, headers=feed)
    assert answer.json() == {"received": 15, "added": 15, "warnings_opened": 1}
    again = await client.post(POSTS, json={"posts": calm + storm}, headers=feed)
    assert again.json() == {"received": 51, "added": 0, "warnings_opened": 0}
    [warning] = (await client.get("/v1/admin/social/warnings", headers=desk)).json()
    assert warning["key"] == "ORD" and warning["count"] == 15
    assert warning["started_at"].startswith("2015-02-17T06:00")
    url = f"/v1/admin/social/warnings/{warning['id']}"
    refused = await client.post(url, json={"state": "bogus"}, headers=desk)
    assert refused.status_code == 422
    missing = await client.post(url + "x", json={"state": "dismissed"}, headers=desk)
    assert missing.status_code == 404
    published = await client.post(
        url, json={"state": "published", "impact": "major", "title": "Snow at O'Hare"}, headers=desk
    )
    assert published.status_code == 200 and published.json()["incident_id"]
    incident = await client.get(f"/v1/incidents/{published.json()['incident_id']}")
    assert incident.json()["title"] == "Snow at O'Hare"
    assert (await client.post(url, json={"state": "dismissed"}, headers=desk)).status_code == 409
    with db.read() as conn:
        entries = audit.list_entries(conn, limit=2).items
    assert [(e.action, e.actor) for e in entries] == [
        ("warning.published", "desk"),
        ("incident.publish", "desk"),
    ]


async def test_an_incident_published_from_the_form_is_linked_not_doubled(
    client: httpx.AsyncClient, db: Database
) -> None:
    with db.write() as conn:
        store.watch(conn, "ORD", [])
    feed = bearer(operator_token(db, ["social"]))
    desk = bearer(operator_token(db, ["status"], label="desk"))
    posts = [_post(f"c{i}", 10 * i + 5, "ORD calm") for i in range(36)]
    posts += [_post(f"s{i}", 360 + i / 2, "Stuck at ORD") for i in range(15)]
    await client.post(POSTS, json={"posts": posts}, headers=feed)
    [warning] = (await client.get("/v1/admin/social/warnings", headers=desk)).json()
    url = f"/v1/admin/social/warnings/{warning['id']}"
    with db.write() as conn:
        from_form = status.publish_incident(
            conn,
            title="Snow at O'Hare",
            impact=Impact.major,
            components_affected=[],
            body="Delays.",
        )
    unknown = await client.post(
        url, json={"state": "published", "incident_id": "inc_x"}, headers=desk
    )
    assert unknown.status_code == 422 and "inc_x" in unknown.json()["detail"]
    wrong = {"state": "acknowledged", "incident_id": from_form.id}
    assert (await client.post(url, json=wrong, headers=desk)).status_code == 422
    linked = await client.post(
        url, json={"state": "published", "incident_id": from_form.id}, headers=desk
    )
    assert linked.status_code == 200, linked.text
    assert (linked.json()["state"], linked.json()["incident_id"]) == ("published", from_form.id)
    incidents = (await client.get("/v1/status")).json()["active_incidents"]
    assert [i["title"] for i in incidents] == ["Snow at O'Hare"]
