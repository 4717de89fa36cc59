"""What a customer types or pastes is cleaned before it is queued: the hub refuses control
characters in customer text (an escape sequence would reach an operator's terminal), and a
tab pasted from a spreadsheet or a form feed from a PDF must not make a case unsendable."""

from __future__ import annotations

from typing import Any

from app.schemas import CallbackMode
from app.schemas.common import as_multi_line, as_one_line
from app.schemas.mutations import CallbackRequestArgs, CaseOpenArgs, CaseReplyArgs
from app.store import LocalStores, open_local

ESCAPES = "\x1b]52;c;cm0=\x07\x1b[2J\x08\x7f\x9b"  # OSC 52, clear screen, backspace, DEL, C1


def test_one_line_text_keeps_its_words_and_loses_control_characters() -> None:
    assert as_one_line("Lost\tbag\r\nat ORD") == "Lost bag  at ORD"
    assert as_one_line(f"Lost bag{ESCAPES}") == "Lost bag]52;c;cm0=[2J"
    assert as_one_line("Überbuchung 🛄") == "Überbuchung 🛄"


def test_longer_text_keeps_tabs_and_line_breaks() -> None:
    assert as_multi_line("Flight:\tNW 412\r\nTag:\v0123\fPage 2\x85end") == (
        "Flight:\tNW 412\r\nTag:\n0123\nPage 2\nend"
    )
    assert as_multi_line(f"Hi{ESCAPES}") == "Hi]52;c;cm0=[2J"


def queued_args(store: LocalStores) -> list[dict[str, Any]]:
    return [entry.args for entry in store.personal.outbox.pending()]


def test_pasted_control_characters_never_reach_the_outbox() -> None:
    store = open_local(memory=True)
    case = store.personal.cases.open(
        subject="Bag\ttag 0123\x1b[31m",
        description="Colour:\tred\fSize: L\x07",
        category="baggage",
    )
    store.personal.cases.reply(case, "Any news?\x1b[2J\vThanks")
    store.personal.callbacks.request(
        queue_id="help", mode=CallbackMode.asap, phone="+13125550100", note="Gate B6\x1b"
    )
    opened, replied, requested = queued_args(store)
    assert (opened["subject"], opened["description"]) == (
        "Bag tag 0123[31m",
        "Colour:\tred\nSize: L",
    )
    assert replied["body"] == "Any news?[2J\nThanks"
    assert requested["note"] == "Gate B6"
    # Exactly what the hub's rules accept.
    CaseOpenArgs.model_validate(opened)
    CaseReplyArgs.model_validate(replied)
    CallbackRequestArgs.model_validate(requested)
