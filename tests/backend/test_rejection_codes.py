"""Every code the hub refuses a change with is a `RejectionCode`, which the app words in
each language (tests/unit/test_rejection_words.py): a code raised anywhere else fails
here. The hub's refusal of a value names the field, which the app's words fill in."""

from __future__ import annotations

import httpx

from app.schemas.sync import APP_MADE, RejectionCode
from tests.backend.support import BACKEND, raised_codes
from tests.support import mutation, push

# Codes not written out: the refusal class passing its own on, and a problem the crud
# raised made a refusal by its type (the app shows the hub's detail for those).
PASSED_ON = {"crud/rejections.py": [None], "sync_push.py": [None]}


def hub_codes() -> dict[str, list[str | None]]:
    return {
        str(path.relative_to(BACKEND)): codes
        for path in sorted(BACKEND.rglob("*.py"))
        if (codes := raised_codes(path.read_text()))
    }


def test_every_code_the_hub_raises_is_a_rejection_code() -> None:
    found = hub_codes()
    unknown = {
        where: [code for code in codes if code not in set(RejectionCode)]
        for where, codes in found.items()
    }
    assert {where: codes for where, codes in unknown.items() if codes} == PASSED_ON
    # Every code is raised somewhere, so none is worded for nothing (the app makes some).
    raised = {code for codes in found.values() for code in codes} - {None}
    assert set(RejectionCode) - APP_MADE == raised


def test_the_check_finds_a_code_nobody_words() -> None:
    source = (
        "raise MutationRejected('seat_taken', 'Taken.')\n"
        "Rejection(code=RejectionCode.slot_full, detail='x')\n"
        "MutationRejected(kind, 'y')\n"
    )
    assert raised_codes(source) == ["seat_taken", "slot_full", None]


async def test_a_refused_value_names_its_field(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    wrong = mutation("callback.request", queue="help", mode="asap", phone="+13125550100")
    wrong["args"]["mode"] = "whenever"
    (refused,) = await push(client, alice, wrong)
    assert refused["error"]["code"] == "invalid"
    assert refused["error"]["params"] == {"field": "mode"}
