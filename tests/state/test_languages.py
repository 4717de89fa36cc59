"""The company's words in the window's language: a Spanish window shows the Spanish
incident, updates, actions, services, groups and queues, the default (English) text
where nothing is translated, and switching language shows the other one at once, with
no sync in between."""

from __future__ import annotations

import asyncio
from typing import Any

from app.backend.crud import components, queues, status
from app.schemas import Impact, IncidentAction, IncidentStatus
from app.schemas.callbacks import CallbackQueueText
from app.schemas.status import ComponentText, IncidentTranslation
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from tests.sync.support import Rig


def translate_the_company(rig: Rig) -> str:
    """Spanish for the ORD flights, the Airports group and the `help` queue (the baggage
    service stays English only), and a storm with a Spanish title, first update and
    action; its second update is English only. Returns the storm's id."""
    with rig.db.write() as conn:
        components.save_component(
            conn,
            component_id="flights-ord",
            name="Flights at ORD",
            group="Airports",
            translations={"es": ComponentText(name="Vuelos en ORD", group="Aeropuertos")},
        )
        row = queues.queue_row(conn, "help")
        queue = queues.queue_from_row(row)
        spanish = {"es": CallbackQueueText(name="Ayuda en español")}
        queues.save_queue(
            conn,
            queue=queue.model_copy(update={"translations": spanish}),
            handle_minutes=row.handle_minutes,
        )
        storm = status.publish_incident(
            conn,
            title="Storm at ORD",
            impact=Impact.critical,
            components_affected=["flights-ord"],
            body="Snow.",
            articles=["bag-fees"],
            actions=[
                IncidentAction(
                    kind="callback",
                    label="Call me",
                    target="help",
                    translations={"es": {"label": "Llámame"}},
                )
            ],
            translations={"es": IncidentTranslation(title="Tormenta en ORD", body="Nieva.")},
        )
        status.update_incident(
            conn, incident_id=storm.id, status=IncidentStatus.identified, body="Runways shut."
        )
    return storm.id


async def test_a_spanish_window_and_a_switch_back_to_english(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    storm_id = translate_the_company(rig)
    rig.sign_in()
    await runtime.engine.sync()
    await runtime.content_scheduler.sync_now()
    tasks: list[asyncio.Task[Any]] = []

    def run_task(handler: Any, *args: Any) -> None:
        tasks.append(asyncio.ensure_future(handler(*args)))

    window = WindowState(runtime, width=390, run_task=run_task)
    await window.start()
    await window.set_locale("es")
    shown = window.status
    names = {c.id: c.name for g in shown.groups for c in g.components}
    assert names == {"flights-ord": "Vuelos en ORD", "baggage": "Baggage"}
    assert sorted(g.name for g in shown.groups) == ["Aeropuertos", "Services"]
    [storm] = shown.active
    assert storm.title == "Tormenta en ORD"
    assert [u.body for u in storm.updates] == ["Runways shut.", "Nieva."]  # one falls back
    assert storm.actions[0].label == "Llámame"
    opened = await shown.incident(storm_id)
    assert opened is not None and opened.title == "Tormenta en ORD"
    assert window.callbacks.queue_name("help") == "Ayuda en español"
    assert [i.title for i in window.help.incidents] == ["Tormenta en ORD"]

    rig.transport.down = True  # switching language needs no sync
    await window.set_locale("en")
    assert [i.title for i in window.status.active] == ["Storm at ORD"]
    assert window.callbacks.queue_name("help") == "Help"
    assert {g.name for g in window.status.groups} == {"Airports", "Services"}
    assert [i.title for i in window.help.incidents] == ["Storm at ORD"]
    window.close()
