"""Clients pushing like real ones, for the fault tests: customers and an operator issued
sessions directly (sign-in through the API is rate limited per address), and writers
with an outbox that send an unacknowledged batch again with the same keys; the check that
every answer a writer got agrees with the database, and the 503 an outage answers with."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Connection, func, select

from app.backend.crud import auth
from app.backend.db import Database, migrate
from app.backend.db.tables import callbacks, case_messages, cases, mutations
from app.backend.settings import HubSettings
from app.schemas import Customer
from tests.support import PROBLEM_JSON, bearer, seed_company

# A push error the test tolerates while the hub is down or restarting; anything else fails.
RETRYABLE = {503}
# Rejections that are right answers under this load; any other is a bug.
EXPECTED_REJECTIONS = {"slot_full", "not_found", "not_cancellable", "not_reschedulable"}


@dataclass
class Prepared:
    tokens: list[str]
    customer_ids: list[str]
    operator: str
    app_session: tuple[str, Customer]


def prepare(database_url: str, data_dir: Path, customers: int) -> Prepared:
    """Migrate and seed the hub's database, and issue sessions directly: sign-in through
    the API is rate limited per address, and every client here comes from 127.0.0.1."""
    data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(database_url)
    try:
        migrate(db)
        seed_company(db, agents=1)
        settings = HubSettings(data_dir=data_dir, database_url=database_url)
        tokens, ids = [], []
        with db.write() as conn:
            for n in range(customers + 1):
                customer = auth.ensure_customer(conn, email=f"storm{n}@example.com")
                session = auth.issue_customer_session(conn, customer=customer, settings=settings)
                tokens.append(session.token)
                ids.append(customer.id)
            operator = auth.create_operator_token(conn, scopes=sorted(auth.OPERATOR_SCOPES))
        app_customer = Customer.model_validate(session.customer.model_dump())
        return Prepared(tokens[:-1], ids[:-1], operator, (tokens[-1], app_customer))
    finally:
        db.dispose()


@dataclass
class Sent:
    """One outbox entry of a simulated client and what became of it."""

    mutation: dict[str, Any]
    attempts: int = 0
    unanswered: int = 0  # attempts that got no answer, or a 503
    result: dict[str, Any] | None = None


@dataclass
class Writer:
    """A client with an outbox: pushes it in order, a few entries per request, and sends
    an unacknowledged batch again with the same keys until the hub answers it."""

    n: int
    token: str
    outbox: list[Sent]
    statuses: Counter[int] = field(default_factory=Counter)
    in_flight: list[Sent] = field(default_factory=list)
    # Seconds between pushes: the hub allows 120 pushes a minute per customer.
    pause: tuple[float, float] = (0.0, 0.06)

    async def drain(
        self, http: httpx.AsyncClient, deadline: float, enough: threading.Event | None = None
    ) -> None:
        """Push until the outbox is empty, or until `enough` is set (what was never sent
        is then dropped from the outbox)."""
        rng = random.Random(self.n)
        done = 0
        while done < len(self.outbox):
            if enough is not None and enough.is_set():
                del self.outbox[done:]
                return
            assert time.monotonic() < deadline, f"writer {self.n} not drained in time"
            batch = self.outbox[done : done + rng.randint(1, 3)]
            for sent in batch:
                sent.attempts += 1
            self.in_flight = batch
            try:
                response = await http.post(
                    "/v1/sync/push",
                    headers=bearer(self.token),
                    json={
                        "client_id": f"writer-{self.n}",
                        "mutations": [s.mutation for s in batch],
                    },
                )
            except httpx.TransportError:
                response = None
            self.in_flight = []
            if response is None or response.status_code in RETRYABLE:
                if response is not None:
                    self.statuses[response.status_code] += 1
                for sent in batch:
                    sent.unanswered += 1
                await asyncio.sleep(0.05 + rng.random() * 0.1)
                continue
            self.statuses[response.status_code] += 1
            assert response.status_code == 200, response.text
            answered = {r["seq"]: r for r in response.json()["results"]}
            for sent in batch:
                sent.result = answered[sent.mutation["seq"]]
            done += len(batch)
            await asyncio.sleep(rng.uniform(*self.pause))


def check_writers(conn: Connection, writers: list[Writer], customer_ids: list[str]) -> None:
    """Every answer is final and agrees with the database; each effect exactly once."""
    for writer in writers:
        customer_id = customer_ids[writer.n]
        stored = {
            row.key: row
            for row in conn.execute(select(mutations).where(mutations.c.customer_id == customer_id))
        }
        assert len(stored) == len(writer.outbox), "one idempotency record per mutation"
        applied: dict[str, list[dict[str, Any]]] = {}
        for sent in writer.outbox:
            result = sent.result
            assert result is not None
            row = stored[sent.mutation["key"]]
            assert row.status in ("applied", "rejected"), f"left {row.status}: a partial write"
            record = json.loads(row.result)
            if result["status"] == "rejected":
                assert result["error"]["code"] in EXPECTED_REJECTIONS, result
                assert record["status"] == "rejected"
                continue
            # A retried mutation that had committed before the kill answers `duplicate`.
            assert result["status"] == "applied" or (
                result["status"] == "duplicate" and sent.unanswered
            ), (result, sent.unanswered)
            assert record["entity"]["id"] == result["entity"]["id"]
            applied.setdefault(sent.mutation["name"], []).append(sent.mutation["args"])
        applied.setdefault("case.open", [])
        applied.setdefault("case.reply", [])

        own_cases = conn.execute(select(cases).where(cases.c.customer_id == customer_id)).all()
        assert sorted(c.client_ref for c in own_cases) == sorted(
            a["client_ref"] for a in applied["case.open"]
        ), "each acknowledged case exactly once"
        replies = conn.execute(
            select(case_messages.c.client_ref, func.count())
            .join(cases, cases.c.id == case_messages.c.case_id)
            .where(cases.c.customer_id == customer_id)
            .group_by(case_messages.c.client_ref)
        ).all()
        assert sorted(r[0] for r in replies) == sorted(
            a["client_ref"] for a in applied["case.reply"]
        ), "each acknowledged reply"
        assert all(r[1] == 1 for r in replies), f"a reply stored twice: {replies}"

        own = conn.execute(select(callbacks).where(callbacks.c.customer_id == customer_id)).all()
        assert sorted(c.client_ref for c in own) == sorted(
            a["client_ref"] for a in applied.get("callback.request", [])
        ), "each acknowledged booking exactly once"
        cancelled = {a["callback"] for a in applied.get("callback.cancel", [])}
        for row in own:
            expected = "cancelled" if row.client_ref in cancelled else "scheduled"
            assert row.status == expected, (row.client_ref, row.status)


UNAVAILABLE_WITHIN = 5.0  # seconds a request may take while the database is down


def assert_unavailable(response: httpx.Response, seconds: float) -> None:
    assert response.status_code == 503, (response.status_code, response.text)
    assert response.headers["content-type"].startswith(PROBLEM_JSON), response.headers
    assert int(response.headers["retry-after"]) > 0
    body = response.json()
    assert body["status"] == 503 and body["type"].endswith("/unavailable"), body
    assert seconds < UNAVAILABLE_WITHIN, f"took {seconds:.1f} s to answer"
