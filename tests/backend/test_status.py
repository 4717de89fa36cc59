"""Public status: the app's document with ETag/304, incidents and their effect on components,
and Atlassian Statuspage's summary format."""

from __future__ import annotations

import httpx

from tests.backend.support import publish
from tests.support import Company

CACHE_CONTROL = "public, max-age=15, stale-while-revalidate=60, stale-if-error=86400"


async def test_status_is_cacheable_and_answers_304(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    first = await client.get("/v1/status")
    assert first.status_code == 200
    assert first.headers["cache-control"] == CACHE_CONTROL
    etag = first.headers["etag"]
    again = await client.get("/v1/status", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    await publish(client, operator)
    changed = await client.get("/v1/status", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag


async def test_incident_lifecycle_moves_components_and_lists(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    incident = await publish(
        client,
        operator,
        impact="critical",
        keys=["ord"],
        articles=["lost-bag"],
        actions=[{"kind": "callback", "label": "Call me", "target": "help"}],
    )
    assert incident["status"] == "investigating"
    assert incident["keys"] == ["ORD"]
    snapshot = (await client.get("/v1/status")).json()
    assert snapshot["indicator"] == "critical"
    assert [i["id"] for i in snapshot["active_incidents"]] == [incident["id"]]
    states = {c["id"]: c["status"] for c in snapshot["components"]}
    assert states == {"flights-ord": "major_outage", "baggage": "operational"}

    update = await client.post(
        f"/v1/admin/incidents/{incident['id']}/updates",
        json={
            "status": "monitoring",
            "body": "Runways open.",
            "component_state": "degraded_performance",
        },
        headers=operator,
    )
    assert update.status_code == 200
    assert [u["status"] for u in update.json()["updates"]] == ["monitoring", "investigating"]
    resolved = await client.post(
        f"/v1/admin/incidents/{incident['id']}/updates",
        json={"status": "resolved", "body": "All clear."},
        headers=operator,
    )
    assert resolved.json()["resolved_at"] is not None
    snapshot = (await client.get("/v1/status")).json()
    assert snapshot["indicator"] == "none"
    assert snapshot["description"] == "All Systems Operational"
    assert snapshot["active_incidents"] == []
    assert [i["id"] for i in snapshot["recent_incidents"]] == [incident["id"]]
    assert {c["status"] for c in snapshot["components"]} == {"operational"}


async def test_resolving_one_incident_keeps_components_another_still_affects(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    first = await publish(client, operator)
    await publish(client, operator, title="Ground stop", impact="minor")
    await client.post(
        f"/v1/admin/incidents/{first['id']}/updates",
        json={"status": "resolved", "body": "Done."},
        headers=operator,
    )
    states = {c["id"]: c["status"] for c in (await client.get("/v1/status")).json()["components"]}
    assert states["flights-ord"] == "degraded_performance", "the open minor incident holds it"


async def test_maintenance_is_listed_apart_from_incidents(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    planned = await publish(
        client,
        operator,
        kind="maintenance",
        title="Upgrade",
        impact="minor",
        scheduled_for="2030-01-01T02:00:00Z",
        scheduled_until="2030-01-01T04:00:00Z",
    )
    assert planned["status"] == "scheduled"
    snapshot = (await client.get("/v1/status")).json()
    assert snapshot["active_incidents"] == []
    assert [m["id"] for m in snapshot["maintenance"]] == [planned["id"]]
    wrong = await client.post(
        f"/v1/admin/incidents/{planned['id']}/updates",
        json={"status": "investigating", "body": "x"},
        headers=operator,
    )
    assert wrong.status_code == 422
    started = await client.post(
        f"/v1/admin/incidents/{planned['id']}/updates",
        json={"status": "in_progress", "body": "Started."},
        headers=operator,
    )
    assert started.status_code == 200
    states = {c["id"]: c["status"] for c in (await client.get("/v1/status")).json()["components"]}
    assert states["flights-ord"] == "under_maintenance"


async def test_incident_validation(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    unknown = await client.post(
        "/v1/admin/incidents",
        headers=operator,
        json={"title": "x", "impact": "minor", "components": ["nowhere"], "body": "y"},
    )
    assert unknown.status_code == 422
    assert "nowhere" in unknown.json()["detail"]
    bad_impact = await client.post(
        "/v1/admin/incidents",
        headers=operator,
        json={"title": "x", "impact": "apocalyptic", "components": [], "body": "y"},
    )
    assert bad_impact.status_code == 422
    assert bad_impact.json()["errors"][0]["loc"] == ["body", "impact"]
    missing = await client.post(
        "/v1/admin/incidents/inc_nope/updates",
        headers=operator,
        json={"status": "resolved", "body": "y"},
    )
    assert missing.status_code == 404


async def test_incident_history_is_paginated(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    made = [(await publish(client, operator, title=f"Incident {n}"))["id"] for n in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/v1/incidents", params=params)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
    assert len(seen) == 5
    one = await client.get(f"/v1/incidents/{made[0]}")
    assert one.json()["title"] == "Incident 0"


async def test_statuspage_summary_format(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    incident = await publish(client, operator)
    response = await client.get("/api/v2/summary.json")
    assert response.headers["cache-control"] == CACHE_CONTROL
    assert (
        await client.get(
            "/api/v2/summary.json", headers={"If-None-Match": response.headers["etag"]}
        )
    ).status_code == 304
    summary = response.json()
    assert set(summary) == {"page", "components", "incidents", "scheduled_maintenances", "status"}
    assert set(summary["page"]) == {"id", "name", "url", "time_zone", "updated_at"}
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    component_fields = {
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "position",
        "description",
        "showcase",
        "start_date",
        "group_id",
        "page_id",
        "group",
        "only_show_if_degraded",
    }
    for component in summary["components"]:
        assert component_fields <= set(component)
        assert component["status"] in {
            "operational",
            "degraded_performance",
            "partial_outage",
            "major_outage",
            "under_maintenance",
        }
    groups = {c["name"]: c for c in summary["components"] if c["group"]}
    assert groups["Airports"]["components"] == ["flights-ord"]
    assert groups["Airports"]["status"] == "partial_outage"
    ord_row = next(c for c in summary["components"] if c["id"] == "flights-ord")
    assert ord_row["group_id"] == groups["Airports"]["id"]
    [sp_incident] = summary["incidents"]
    assert sp_incident["id"] == incident["id"]
    assert sp_incident["impact"] in {"none", "minor", "major", "critical"}
    assert sp_incident["status"] in {
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "postmortem",
    }
    assert {"id", "status", "body", "incident_id", "created_at", "updated_at", "display_at"} <= set(
        sp_incident["incident_updates"][0]
    )
    assert sp_incident["components"][0]["id"] == "flights-ord"
