"""Races a real database must settle: concurrent wrong sign-in codes and a reply racing a
close. On SQLite writers queue anyway; on PostgreSQL row locks do it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from app.backend.crud import auth, cases, sign_in
from app.backend.crud.rejections import MutationRejected
from app.backend.db import Database
from app.backend.settings import HubSettings
from app.schemas import CaseStatus
from app.schemas.customers import SIGN_IN_CODE_DIGITS


def test_concurrent_wrong_codes_are_all_counted(db: Database, settings: HubSettings) -> None:
    email, client = "race@example.com", "203.0.113.7"
    with db.write() as conn:
        started = sign_in.start_sign_in(conn, email=email, client=client, settings=settings)
    digits = SIGN_IN_CODE_DIGITS
    wrong = f"{(int(started.code) + 1) % 10**digits:0{digits}d}"
    barrier = threading.Barrier(12)

    def guess(code: str) -> sign_in.Verdict:
        with db.write() as conn:
            check = sign_in.check_code(
                conn,
                email=email,
                attempt=started.attempt,
                code=code,
                client=client,
                settings=settings,
            )
        return check.verdict

    def guess_at_once(_: int) -> sign_in.Verdict:
        barrier.wait()
        return guess(wrong)

    with ThreadPoolExecutor(12) as pool:
        verdicts = list(pool.map(guess_at_once, range(12)))
    assert verdicts.count(sign_in.Verdict.wrong) == settings.code_max_attempts
    assert verdicts.count(sign_in.Verdict.locked) == 12 - settings.code_max_attempts
    assert guess(started.code) is sign_in.Verdict.locked


def test_a_reply_racing_a_close_never_reopens_a_closed_case(db: Database) -> None:
    with db.write() as conn:
        customer = auth.ensure_customer(conn, email="racer@example.com")
        case = cases.open_case(
            conn, customer_id=customer.id, subject="s", description="d", category="c"
        )
    barrier = threading.Barrier(2)
    outcomes: dict[str, Any] = {}

    def close() -> None:
        barrier.wait()
        with db.write() as conn:
            outcomes["close"] = cases.set_case_status(
                conn, case_id=case.id, status=CaseStatus.closed
            )

    def reply() -> None:
        barrier.wait()
        try:
            with db.write() as conn:
                outcomes["reply"] = cases.customer_reply(
                    conn, customer_id=customer.id, case_ref=case.id, body="late"
                )
        except MutationRejected as error:
            outcomes["reply"] = error.rejection.code

    threads = [threading.Thread(target=close), threading.Thread(target=reply)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with db.read() as conn:
        final = cases.get_case(conn, case_id=case.id)
    if outcomes["reply"] == "case_closed":
        assert final.status.value == "closed" and final.messages == []
    else:
        # The reply committed first, then the close: the case ends closed either way.
        assert final.status.value == "closed"
        assert [m.body for m in final.messages] == ["late"]


async def test_odd_digits_in_ids_and_cursors_are_clear_errors(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    for path in ("/v1/kb/changes?cursor=%C2%B2", "/v1/sync/pull?cursor=%D9%A3"):
        response = await client.get(path, headers=alice)
        assert response.status_code == 400, (path, response.text)
    assert (await client.get("/v1/cases/%C2%B2", headers=alice)).status_code == 404
