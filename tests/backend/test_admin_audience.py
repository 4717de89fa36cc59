"""Who an incident would alert before it is published (`POST /v1/admin/incidents/audience`):
the counts and the words match what publishing it then pushes; and the company's
incident templates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update

from app.backend.crud import auth, subscriptions
from app.backend.db import Database
from app.backend.db.tables import customers
from app.schemas import Subscriptions
from app.schemas.mutations import DeviceRegisterArgs
from tests.backend.webpush_support import Browser, dispatcher, push_service
from tests.support import Company, assert_problem

STORM: dict[str, Any] = {
    "title": "Storm at ORD",
    "impact": "major",
    "components": ["flights-ord"],
    "keys": ["ord"],
    "body": "Snow is falling.\n\nMore soon.",
    "translations": {"es": {"title": "Tormenta en ORD", "body": "Nieva.\n\nMás pronto."}},
}


def customer(
    db: Database,
    email: str,
    locale: str,
    follows: Subscriptions,
    device: tuple[str, str, dict[str, str]] | None = None,
) -> str:
    """A customer of `locale` following `follows`, with a device (platform, endpoint, keys)."""
    with db.write() as conn:
        made = auth.ensure_customer(conn, email=email)
        conn.execute(update(customers).where(customers.c.id == made.id).values(locale=locale))
        subscriptions.set_subscriptions(conn, customer_id=made.id, wanted=follows)
        if device is not None:
            platform, endpoint, keys = device
            subscriptions.register_device(
                conn,
                customer_id=made.id,
                device=DeviceRegisterArgs(platform=platform, endpoint=endpoint, keys=keys),
            )
    return made.id


async def signed_out(
    client: httpx.AsyncClient, browser: Browser, locale: str | None, keys: list[str]
) -> None:
    body = {"platform": "webpush", "endpoint": browser.endpoint, "keys": browser.keys()}
    made = await client.post(
        "/v1/alerts/devices", json={**body, "locale": locale, "follows": {"keys": keys}}
    )
    assert made.status_code == 201, made.text


async def test_the_audience_is_who_publishing_then_alerts(
    client: httpx.AsyncClient,
    db: Database,
    tmp_path: Path,
    company: Company,
    operator: dict[str, str],
) -> None:
    ord_only = Subscriptions(components=["flights-ord"])
    maria, lena = Browser("https://push.example/maria"), Browser("https://push.example/lena")
    john, anon = Browser("https://push.example/john"), Browser("https://push.example/anon")
    elsewhere = Browser("https://push.example/bos")
    customer(db, "maria@example.com", "es", ord_only, ("webpush", maria.endpoint, maria.keys()))
    # Lena's quiet hours last all day: the storm (not critical) concerns her, but waits.
    quiet = ord_only.model_copy(update={"quiet_hours": ("00:00", "24:00"), "time_zone": "UTC"})
    customer(db, "lena@example.com", "fr", quiet, ("webpush", lena.endpoint, lena.keys()))
    john_follows = Subscriptions(keys=["DEN"])
    customer(db, "john@example.com", "en", john_follows, ("webpush", john.endpoint, john.keys()))
    customer(db, "pat@example.com", "de", Subscriptions())  # follows nothing: every incident
    # An app on a push service this hub does not push to (no FCM project configured).
    customer(db, "ken@example.com", "en", ord_only, ("fcm", "fcm-token-ken", {}))
    await signed_out(client, anon, "es-MX", ["ORD"])
    await signed_out(client, elsewhere, None, ["BOS"])

    found = await client.post("/v1/admin/incidents/audience", headers=operator, json=STORM)
    assert found.status_code == 200, found.text
    audience = found.json()
    assert (audience["customers"], audience["devices"], audience["push_devices"]) == (4, 4, 2)
    previews = {p["locale"]: (p["title"], p["body"]) for p in audience["previews"]}
    assert next(iter(previews)) == "en", "the company's own language first"
    assert previews == {
        "en": ("Storm at ORD", "Snow is falling."),
        "de": ("Storm at ORD", "Snow is falling."),
        "es": ("Tormenta en ORD", "Nieva."),
        "es-MX": ("Tormenta en ORD", "Nieva."),
        "fr": ("Storm at ORD", "Snow is falling."),
    }

    browsers = {b.endpoint: b for b in (maria, lena, john, anon, elsewhere)}
    sender = dispatcher(db, tmp_path, push_service({}, browsers))
    await sender.push_new()
    published = await client.post("/v1/admin/incidents", headers=operator, json=STORM)
    assert published.status_code == 201, published.text
    while await sender.push_new():
        pass
    assert sender.delivered == audience["push_devices"]
    said = {b.endpoint: [(p["title"], p["body"]) for p in b.received] for b in browsers.values()}
    assert said == {
        maria.endpoint: [previews["es"]],
        anon.endpoint: [previews["es-MX"]],
        lena.endpoint: [],
        john.endpoint: [],
        elsewhere.endpoint: [],
    }


async def test_a_critical_incident_reaches_quiet_hours_and_everyone(
    client: httpx.AsyncClient, db: Database, company: Company, operator: dict[str, str]
) -> None:
    quiet = Subscriptions(keys=["DEN"], quiet_hours=("00:00", "24:00"), time_zone="UTC")
    customer(db, "lena@example.com", "fr", quiet, ("webpush", "https://push.example/l", {}))
    body = {**STORM, "impact": "critical", "translations": {}}
    found = await client.post("/v1/admin/incidents/audience", headers=operator, json=body)
    assert found.status_code == 200, found.text
    audience = found.json()
    assert (audience["customers"], audience["devices"], audience["push_devices"]) == (1, 1, 1)
    assert [p["locale"] for p in audience["previews"]] == ["en", "fr"]


async def test_the_audience_refuses_what_publishing_would(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    unknown = {**STORM, "components": ["flights-xyz"]}
    refused = await client.post("/v1/admin/incidents/audience", headers=operator, json=unknown)
    assert "flights-xyz" in assert_problem(refused, 422)["detail"]
    for bad in ({**STORM, "impact": "apocalyptic"}, {"title": "No impact"}):
        answer = await client.post("/v1/admin/incidents/audience", headers=operator, json=bad)
        assert_problem(answer, 422)


async def test_the_incident_templates(client: httpx.AsyncClient, operator: dict[str, str]) -> None:
    found = await client.get("/v1/admin/incident-templates", headers=operator)
    assert found.status_code == 200, found.text
    templates = {t["id"]: t for t in found.json()}
    assert {"winter-storm-airport", "it-outage", "call-centre-overload"} <= set(templates)
    assert templates["planned-maintenance"]["kind"] == "maintenance"
    storm = templates["winter-storm-airport"]
    assert storm["component_group"] == "Airports" and storm["keys"] == ["ORD"]
    for template in templates.values():
        spanish = template["translations"]["es"]
        assert spanish["title"] and spanish["body"], template["id"]
        assert template["title"] and template["body"] and template["impact"]
