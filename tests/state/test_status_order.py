"""The Status page on a storm day: what affects the customer first, every other active
disruption after it, the all-clear only when nothing is active anywhere, a troubled
service leading to its incident, and stages and impacts in a traveller's words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Connection

from app.backend.crud import status
from app.backend.crud.components import save_component, set_component_state
from app.schemas import ComponentState, Impact, IncidentKind, IncidentStatus
from app.state.alerts import AlertsState
from app.state.relevance import is_finished
from app.state.runtime import DeviceRuntime
from app.state.status import StatusState
from app.views.strings import tr
from tests.sync.support import Rig

FOLLOWED = ["flights-ord", "baggage", "call-centre"]


@pytest.fixture
async def storm_day(rig: Rig, runtime: DeviceRuntime) -> StatusState:
    """Denver and the call centre next to the test company's services; the customer
    follows O'Hare, Baggage and the call centre."""
    with rig.db.write() as conn:
        save_component(
            conn, component_id="flights-den", name="Flights at Denver (DEN)", group="Airports"
        )
        save_component(conn, component_id="call-centre", name="Call centre", group="Services")
    alerts = AlertsState(runtime)
    await alerts.load()
    for component in FOLLOWED:
        await alerts.toggle_component(component)
    return StatusState(runtime)


@contextmanager
def operator(rig: Rig) -> Iterator[Connection]:
    """A write on the hub as its operator API makes it: the hub then looks afresh."""
    with rig.db.write() as conn:
        yield conn
    rig.hub.state.hub.after_write()


def publish(rig: Rig, title: str, impact: Impact, components: list[str]) -> str:
    with operator(rig) as conn:
        made = status.publish_incident(
            conn, title=title, impact=impact, components_affected=components, body="…"
        )
    return made.id


def resolve(rig: Rig, incident_id: str) -> None:
    with operator(rig) as conn:
        status.update_incident(
            conn, incident_id=incident_id, status=IncidentStatus.resolved, body="Fixed."
        )


async def test_a_disruption_elsewhere_is_listed_and_never_all_clear(
    rig: Rig, storm_day: StatusState
) -> None:
    storm = publish(rig, "Winter storm at O'Hare", Impact.critical, ["flights-ord"])
    resolve(rig, storm)
    denver = publish(rig, "Ground stop at Denver", Impact.major, ["flights-den"])
    await storm_day.refresh()

    shown = storm_day.disruptions
    assert not shown.all_clear, "a major disruption is active: no 'all is well'"
    assert shown.following and shown.affecting_you == []
    assert [i.title for i in shown.others] == ["Ground stop at Denver"]
    assert shown.nothing_for_you, "what they follow is fine, and the page may say so"
    assert shown.incident_of == {"flights-den": denver}, "the Denver row leads to it"
    [resolved] = storm_day.recent
    assert resolved.id == storm and is_finished(resolved)


async def test_what_affects_the_customer_comes_first(rig: Rig, storm_day: StatusState) -> None:
    denver = publish(rig, "Ground stop at Denver", Impact.major, ["flights-den"])
    bags = publish(rig, "Slow bags at O'Hare", Impact.minor, ["baggage"])
    await storm_day.refresh()

    shown = storm_day.disruptions
    assert [i.id for i in shown.affecting_you] == [bags]
    assert [i.id for i in shown.others] == [denver]
    assert not shown.nothing_for_you and not shown.all_clear
    assert shown.incident_of == {"flights-den": denver, "baggage": bags}


async def test_following_nothing_lists_every_disruption(rig: Rig, runtime: DeviceRuntime) -> None:
    state = StatusState(runtime)
    denver = publish(rig, "Ground stop at O'Hare", Impact.major, ["flights-ord"])
    await state.refresh()
    shown = state.disruptions
    assert not shown.following and shown.affecting_you == []
    assert [i.id for i in shown.others] == [denver] and not shown.nothing_for_you


async def test_all_clear_only_when_nothing_is_active_anywhere(
    rig: Rig, storm_day: StatusState
) -> None:
    await storm_day.refresh()
    assert storm_day.disruptions.all_clear

    with operator(rig) as conn:
        set_component_state(
            conn, component_id="flights-den", status=ComponentState.degraded_performance
        )
    await storm_day.refresh()
    shown = storm_day.disruptions
    assert not shown.all_clear, "a service not running normally, even without an incident"
    assert [c.id for c in shown.troubled] == ["flights-den"] and shown.incident_of == {}

    with operator(rig) as conn:
        set_component_state(conn, component_id="flights-den", status=ComponentState.operational)
        status.publish_incident(
            conn,
            title="Booking upgrade",
            impact=Impact.minor,
            components_affected=["baggage"],
            body="Planned.",
            kind=IncidentKind.maintenance,
            status=IncidentStatus.in_progress,
        )
    await storm_day.refresh()
    shown = storm_day.disruptions
    assert not shown.all_clear, "maintenance under way is not 'all is well'"
    assert list(shown.incident_of) == ["baggage"]


@pytest.mark.parametrize(
    ("locale", "stages", "impacts"),
    [
        (
            "en",
            ["We're looking into it", "We know the cause", "We're watching it", "Fixed"],
            ["Minor disruption", "Major disruption", "Severe disruption"],
        ),
        (
            "es",
            ["Lo estamos investigando", "Sabemos la causa", "Lo estamos vigilando", "Solucionado"],
            ["Incidencia leve", "Incidencia importante", "Incidencia grave"],
        ),
    ],
)
def test_stages_and_impacts_in_a_travellers_words(
    locale: str, stages: list[str], impacts: list[str]
) -> None:
    order = ["investigating", "identified", "monitoring", "resolved"]
    assert [tr(locale, f"status_{s}") for s in order] == stages
    assert [tr(locale, f"impact_{i}") for i in ("minor", "major", "critical")] == impacts
