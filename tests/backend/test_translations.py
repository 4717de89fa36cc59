"""Status content in several languages: the operator publishes translations through the
admin API, the hub keeps and serves them beside the default text, and a database of an
older version gains their columns."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import inspect

from app.backend.db.engine import Database
from app.backend.db.migrations import LATEST_VERSION, migrate
from app.schemas import Incident
from app.schemas.localized import localized
from tests.backend.support import publish
from tests.support import Company

SPANISH = {"es": {"title": "Tormenta en ORD", "body": "Está nevando."}}


async def test_an_incident_published_with_translations_reads_in_each_language(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    action = {"kind": "case", "label": "Ask us", "translations": {"es": {"label": "Pregunta"}}}
    published = await publish(client, operator, translations=SPANISH, actions=[action])
    update = await client.post(
        f"/v1/admin/incidents/{published['id']}/updates",
        json={
            "status": "monitoring",
            "body": "Runways open.",
            "translations": {"es": {"body": "Pistas abiertas."}, "fr": {"title": "Tempête"}},
        },
        headers=operator,
    )
    assert update.status_code == 200, update.text
    status = (await client.get("/v1/status")).json()
    incident = Incident.model_validate(status["active_incidents"][0])
    assert incident.title == "Storm at ORD"  # the base text stays the default language
    spanish = localized(incident, "es")
    assert spanish.title == "Tormenta en ORD"
    assert [u.body for u in spanish.updates] == ["Pistas abiertas.", "Está nevando."]
    assert spanish.actions[0].label == "Pregunta"
    french = localized(incident, "fr")
    assert french.title == "Tempête"
    assert [u.body for u in french.updates] == ["Runways open.", "Snow is falling."]
    assert localized(incident, "de").title == "Storm at ORD"
    # Statuspage's format carries the default text only.
    summary = (await client.get("/api/v2/summary.json")).json()
    assert summary["incidents"][0]["name"] == "Storm at ORD"
    assert "translations" not in summary["incidents"][0]


async def test_a_translation_must_name_a_language(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    body: dict[str, Any] = {
        "title": "Storm",
        "impact": "major",
        "components": ["flights-ord"],
        "body": "Snow.",
        "translations": {"not a locale!": {"title": "x"}},
    }
    response = await client.post("/v1/admin/incidents", json=body, headers=operator)
    assert response.status_code == 422


def test_a_version_10_database_gains_the_translation_columns(database_url: str) -> None:
    db = Database(database_url)
    try:
        migrate(db)
        with db.write() as conn:
            for table in ("components", "incidents", "incident_updates", "queues"):
                conn.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN translations")
            conn.exec_driver_sql("ALTER TABLE alert_devices DROP COLUMN locale")
            conn.exec_driver_sql(
                "INSERT INTO components (id, name, description, status, position, version, "
                "updated_at) "
                "VALUES ('web', 'Website', '', 'operational', 0, 1, '2026-01-01T00:00:00Z')"
            )
            conn.exec_driver_sql("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
        assert migrate(db) == list(range(11, LATEST_VERSION + 1))
        with db.read() as conn:
            columns = {c["name"] for c in inspect(conn).get_columns("incident_updates")}
            assert "translations" in columns
            assert "locale" in {c["name"] for c in inspect(conn).get_columns("alert_devices")}
            kept = conn.exec_driver_sql("SELECT translations FROM components").scalar()
        assert kept == "{}"
    finally:
        db.dispose()
