"""The callback rules the hub and the app share (app/schemas/callbacks.py): the phone
number a callback goes to, and the status a new callback starts in."""

from __future__ import annotations

import pytest

from app.schemas.callbacks import (
    ACTIVE_STATUSES,
    CallbackMode,
    CallbackStatus,
    initial_status,
    international_phone,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+13125550123", "+13125550123"),
        ("+1 (312) 555-0123", "+13125550123"),
        ("+44 20.7946.0958", "+442079460958"),
        ("13125550123", None),  # no country code sign
        ("+0312555012", None),  # a country code never starts with 0
        ("+12345", None),  # too short
        ("+1234567890123456", None),  # longer than E.164 allows
        ("+1312555O123", None),  # a letter
    ],
)
def test_phone_is_kept_in_international_form(typed: str, stored: str | None) -> None:
    assert international_phone(typed) == stored


def test_new_callback_starts_active_in_its_mode() -> None:
    assert initial_status(CallbackMode.asap) is CallbackStatus.requested
    assert initial_status(CallbackMode.slot) is CallbackStatus.scheduled
    assert all(initial_status(mode).value in ACTIVE_STATUSES for mode in CallbackMode)
