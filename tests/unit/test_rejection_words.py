"""The app words every reason the hub refuses a change with (`RejectionCode`) in every
language, fills in the specifics, and shows the hub's own words for a code it does not
know (a newer hub)."""

from __future__ import annotations

import string
from pathlib import Path

from app.schemas import Rejection
from app.schemas.sync import APP_MADE, RejectionCode
from app.views.catalogs import catalogs, keys, read
from app.views.strings import SOURCE
from app.views.widgets import rejection_reason

# Reasons that come with specifics, and their names (`Rejection.params`).
SPECIFICS = {"invalid_field": {"field"}, "attachment_refused_file": {"file"}}


def english() -> dict[str, str]:
    catalog = read(dict(catalogs())[SOURCE])
    return {key: str(catalog[key].string) for key in keys(catalog)}


def test_every_code_has_words_in_the_catalogs() -> None:
    """Every language has them too: test_catalogs checks each against English."""
    words = english()
    missing = [code for code in RejectionCode if f"rejection_{code}" not in words]
    assert missing == []
    for key, names in SPECIFICS.items():
        found = {name for _, name, _, _ in string.Formatter().parse(words[f"rejection_{key}"])}
        assert found - {None} == names


def test_no_words_for_a_code_the_hub_does_not_have() -> None:
    known = {f"rejection_{code}" for code in RejectionCode}
    known |= {f"rejection_{key}" for key in SPECIFICS}
    assert {key for key in english() if key.startswith("rejection_")} == known


def test_the_reason_is_worded_in_the_customers_language() -> None:
    full = Rejection(code="slot_full", detail="Someone just booked the last place.")
    assert rejection_reason("es", full).startswith("Alguien acaba de reservar")
    assert rejection_reason("fr", full).startswith("Quelqu’un vient de réserver")
    field = Rejection(code="invalid", detail="phone: too long", params={"field": "phone"})
    assert rejection_reason("es", field) == "Revisa phone: el valor no es válido."
    bare = Rejection(code="invalid", detail="Pick a time slot.")
    assert rejection_reason("es", bare) == "Algo en este cambio no es válido."


def test_a_code_or_specifics_the_app_does_not_know_show_the_hubs_words() -> None:
    newer = Rejection(code="seat_taken", detail="That seat is taken.")
    assert rejection_reason("es", newer) == "That seat is taken."
    more = Rejection(code="slot_full", detail="Full at 10:00.", params={"time": "10:00"})
    assert rejection_reason("es", more) == "Full at 10:00."
    clash = Rejection(code="invalid", detail="Bad.", params={"locale": "x", "key": "y"})
    assert rejection_reason("es", clash) == "Bad."


def app_made_codes() -> dict[str, list[str | None]]:
    """The code of each refusal the app itself makes (`Rejection(code=...)` in its sync,
    store and state), as `test_rejection_codes.raised_codes` reads the hub's."""
    from tests.backend.support import raised_codes

    root = Path(__file__).resolve().parents[2] / "app"
    return {
        str(path.relative_to(root)): codes
        for folder in ("sync", "store", "state", "api")
        for path in sorted((root / folder).rglob("*.py"))
        if (codes := raised_codes(path.read_text()))
    }


def test_the_refusals_the_app_makes_are_worded_like_the_hubs() -> None:
    found = app_made_codes()
    assert found, "the app refuses a file, a request and a vote itself"
    assert {code for codes in found.values() for code in codes} == set(APP_MADE)
    refused = Rejection(
        code="attachment_refused", detail="Too large.", params={"file": "ticket.pdf"}
    )
    assert rejection_reason("es", refused).startswith("No se aceptó ticket.pdf")
    assert rejection_reason("fr", refused).startswith("ticket.pdf n’a pas été accepté")
    assert rejection_reason("es", Rejection(code="refused", detail="400 Bad")).startswith("El")
    vote = Rejection(code="vote_refused", detail="Unknown article.")
    assert rejection_reason("fr", vote) != vote.detail
