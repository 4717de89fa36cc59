"""The booking form shows the honest wait, against the in-process hub: a range in the
customer's language, and a queue whose wait may run past closing offers the next
opening's times first, with a note saying why (the view's words, checked as text)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from app.backend.crud import queues
from app.schemas import CallbackMode
from app.state.runtime import DeviceRuntime
from app.views.book_callback_screen import asap_label, busy_note
from app.views.strings import clock, minutes_range
from tests.backend.slots_support import closing_soon
from tests.state.support import booking_form
from tests.sync.support import Rig

CHICAGO = "America/Chicago"  # the customer's
ZONE = "UTC"  # the test company's queue


async def test_the_wait_shows_as_a_range_in_the_customers_language(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state = await booking_form(rig, runtime)
    assert state.asap_range() == (1, 2), "20 agents, 10-minute calls, nobody ahead"
    assert state.asap_wait() == 1, "the one figure older apps show"
    assert (state.slots_first(), state.asap_past_closing()) == (False, None)
    assert state.mode is CallbackMode.asap
    assert asap_label(state, "en", None) == "As soon as possible (about 1 to 2 min)"
    assert asap_label(state, "es", None) == "Lo antes posible (unos 1 a 2 min)"
    assert busy_note(state, "en") is None


def test_long_ranges_are_written_with_babels_durations() -> None:
    assert minutes_range("en", 45, 180) == "45 minutes to 3 hours"
    assert minutes_range("es", 45, 180) == "45 minutos a 3 horas"
    assert minutes_range("en", 90, 1560) == "90 minutes to 26 hours"
    assert minutes_range("fr", 10, 35) == "10 à 35 min"


async def test_past_closing_offers_the_next_openings_times_first(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    hours, closes, opening = closing_soon(20, time_zone=ZONE)
    start = datetime.now(UTC) - timedelta(hours=1)
    with rig.db.write() as conn:  # one agent: a 10-minute call's late end is 25 minutes
        queues.set_hours(conn, queue_id="help", hours=hours)
        queues.set_staffing(
            conn, queue_id="help", starts_at=start, ends_at=start + timedelta(days=3), agents=1
        )
    state = await booking_form(rig, runtime, zone=CHICAGO)
    assert state.asap_past_closing() == (closes, opening)
    assert state.slots_first() is True
    assert state.mode is CallbackMode.slot, "the time picker opens first"
    assert state.day == opening.astimezone(ZoneInfo(CHICAGO)).date()
    assert state.asap_closed() is False, "'as soon as possible' stays a choice"
    note = busy_note(state, "en")
    assert note is not None
    assert clock("en", closes.astimezone(ZoneInfo(CHICAGO))) in note
    assert clock("en", opening.astimezone(ZoneInfo(CHICAGO))) in note
    spanish = busy_note(state, "es")
    assert spanish is not None and spanish.startswith("Tenemos mucha demanda")
    state.choose_mode(CallbackMode.asap)
    assert state.mode is CallbackMode.asap
    assert timedelta(0) < opening - closes
