"""Loading the demo again gives incidents loaded before the demo had its Spanish the
translations they lack, once, and never replaces what an operator wrote."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select, update

from app.backend.db import Database
from app.backend.db.tables import incident_updates, incidents
from app.backend.demo import load_demo
from app.backend.util import dumps, loads
from app.schemas import StatusSnapshot
from app.schemas.localized import localized

STORM = "Winter storm at Chicago O'Hare: cancellations and long delays"


def as_before_spanish(db: Database) -> None:
    """The demo's incidents as a load from before the demo's Spanish left them."""
    with db.write() as conn:
        for row in conn.execute(select(incidents)).all():
            actions = [{**a, "translations": {}} for a in loads(row.actions)]
            conn.execute(
                update(incidents)
                .where(incidents.c.id == row.id)
                .values(translations="{}", actions=dumps(actions))
            )
        conn.execute(update(incident_updates).values(translations="{}"))


async def status(client: httpx.AsyncClient) -> StatusSnapshot:
    return StatusSnapshot.model_validate((await client.get("/v1/status")).json())


async def test_loading_again_adds_the_spanish_an_older_load_lacks(
    db: Database, client: httpx.AsyncClient, hub_app: Any
) -> None:
    with db.write() as conn:
        load_demo(conn)
    as_before_spanish(db)
    before = await status(client)
    storm = next(i for i in before.active_incidents if i.title == STORM)
    assert localized(storm, "es").title == STORM
    with db.write() as conn:  # an operator's own words, in Spanish and in English
        conn.execute(
            update(incidents)
            .where(incidents.c.id == storm.id)
            .values(translations=dumps({"es": {"title": "Tormenta en O'Hare"}}))
        )
        conn.execute(
            update(incident_updates)
            .where(incident_updates.c.id == storm.updates[-1].id)
            .values(body="Our own latest news.")
        )

    with db.write() as conn:
        report = load_demo(conn)
    assert report.incidents == 0 and report.translated == 4
    # Written straight to the database, not through the hub: its status document, read a
    # moment ago, is kept for a quarter of a second unless told.
    hub_app.state.hub.documents.expire()
    after = await status(client)
    storm = next(i for i in after.active_incidents if i.title == STORM)
    spanish = localized(storm, "es")
    assert spanish.title == "Tormenta en O'Hare", "an operator's translation stays"
    assert (
        storm.updated_at == next(i for i in before.active_incidents if i.id == storm.id).updated_at
    )
    bodies = {u.id: u for u in spanish.updates}
    for original in storm.updates:
        shown = bodies[original.id]
        if original.body == "Our own latest news.":
            assert shown.body == original.body, "an update an operator rewrote gets none"
        else:
            assert shown.body != original.body and "es" in original.translations
    assert all(a.label != b.label for a, b in zip(storm.actions, spanish.actions, strict=True))
    for incident in after.maintenance + after.recent_incidents:
        assert localized(incident, "es").title != incident.title

    with db.write() as conn:  # once only
        assert load_demo(conn).translated == 0
