"""Races a real database must settle: concurrent wrong sign-in codes and a reply racing a
close. On SQLite writers queue anyway; on PostgreSQL row locks do it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from app.backend.crud import auth, cases
from app.backend.crud.rejections import Rejected
from app.backend.db import Database
from app.backend.settings import HubSettings
from app.schemas import CaseStatus


def test_concurrent_wrong_codes_are_all_counted(db: Database, settings: HubSettings) -> None:
    with db.write() as conn:
        code = auth.start_sign_in(conn, email="race@example.com", settings=settings)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    barrier = threading.Barrier(12)

    def guess(_: int) -> auth.Verdict:
        barrier.wait()
        with db.write() as conn:
            return auth.check_code(conn, email="race@example.com", code=wrong, settings=settings)

    with ThreadPoolExecutor(12) as pool:
        verdicts = list(pool.map(guess, range(12)))
    assert verdicts.count(auth.Verdict.wrong) == settings.code_max_attempts
    assert verdicts.count(auth.Verdict.locked) == 12 - settings.code_max_attempts
    with db.write() as conn:
        assert (
            auth.check_code(conn, email="race@example.com", code=code, settings=settings)
            is auth.Verdict.locked
        )


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
        except Rejected as error:
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
