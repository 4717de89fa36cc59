"""Nothing lost, nothing doubled: random sequences of customer actions, transport faults and
app restarts always end with the hub holding exactly what the customer did."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
from pathlib import Path
from typing import Any

import httpx
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from app.api import HubClient, HubError
from app.backend.crud import auth
from app.backend.db.tables import article_feedback, callbacks, case_messages, cases
from app.backend.main import create_app
from app.backend.settings import HubSettings, RateLimit, sqlite_url
from app.schemas import CallbackMode, Customer
from app.store import open_local
from app.sync import SyncEngine
from tests.sync.support import FaultyTransport, seed

FAULTS = [None, "drop_before", "drop_after", "timeout_after", "500", "503"]


class CustomerMachine(RuleBasedStateMachine):
    @initialize()
    def start(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="careline-sm-"))
        self.loop = asyncio.new_event_loop()
        settings_ = HubSettings(
            data_dir=self.folder / "hub",
            database_url=sqlite_url(self.folder / "hub"),
            writes_per_customer=RateLimit(1_000_000, 60),
        )
        self.hub = create_app(settings_)
        self.db = self.hub.state.hub.db
        seed(self.db)
        with self.db.write() as conn:
            customer = auth.ensure_customer(conn, email="sm@example.com")
            self.session = auth.issue_customer_session(conn, customer=customer, settings=settings_)
        self.customer_id = customer.id
        self.transport = FaultyTransport(httpx.ASGITransport(app=self.hub))
        self._open_app()
        self.subjects: list[str] = []
        self.replies: dict[str, list[str]] = {}
        self.votes: dict[str, bool] = {}
        self.active_callback: str | None = None
        self.callback_requests = 0
        self.counter = 0

    def _open_app(self) -> None:
        self.store = open_local(self.folder / "app")
        self.store.personal.account.sign_in(
            self.session.token, Customer.model_validate(self.session.customer.model_dump())
        )
        self.client = HubClient(
            "http://hub.test", token=self.store.personal.account.token, transport=self.transport
        )
        self.engine = SyncEngine(
            self.client, public=self.store.public, personal=self.store.personal
        )

    def _name(self, kind: str) -> str:
        self.counter += 1
        return f"{kind} {self.counter}"

    @rule()
    def open_case(self) -> None:
        subject = self._name("case")
        self.store.personal.cases.open(subject=subject, description="d", category="general")
        self.subjects.append(subject)
        self.replies[subject] = []

    @rule(data=st.data())
    def reply(self, data: st.DataObject) -> None:
        if not self.subjects:
            return
        subject = data.draw(st.sampled_from(self.subjects))
        case = next(c for c in self.store.personal.cases.list() if c.subject == subject)
        body = self._name("reply")
        self.store.personal.cases.reply(case.local_id, body)
        self.replies[subject].append(body)

    @rule(helpful=st.booleans())
    def vote(self, helpful: bool) -> None:
        self.store.personal.account.give_feedback("en:lost-bag", helpful)
        self.votes["en:lost-bag"] = helpful

    @rule()
    def request_or_cancel_callback(self) -> None:
        if self.active_callback is None:
            self.active_callback = self.store.personal.callbacks.request(
                queue_id="help", mode=CallbackMode.asap, phone="+13125550123"
            )
            self.callback_requests += 1
        else:
            self.store.personal.callbacks.cancel(self.active_callback)
            self.active_callback = None

    @rule(fault=st.sampled_from(FAULTS), then=st.sampled_from(FAULTS))
    def sync(self, fault: str | None, then: str | None) -> None:
        self.transport.plan = [f for f in (fault, then) if f]
        with contextlib.suppress(HubError):
            self.loop.run_until_complete(self.engine.sync())
        self.transport.plan = []

    @rule()
    def restart_app(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.store.close()
        self._open_app()

    @invariant()
    def store_is_sound(self) -> None:
        if hasattr(self, "store"):
            assert self.store.personal.db.integrity_ok()

    def teardown(self) -> None:
        try:
            self.transport.plan = []
            for _ in range(5):
                self.loop.run_until_complete(self.engine.sync())
                if not self.store.personal.outbox.counts()["pending"]:
                    break
            self._check_hub()
        finally:
            self.loop.run_until_complete(self.client.aclose())
            self.store.close()
            self.db.dispose()
            self.loop.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _check_hub(self) -> None:
        assert self.store.personal.outbox.counts() == {"pending": 0, "rejected": 0}
        with self.db.read() as conn:
            rows = conn.execute(select(cases.c.id, cases.c.subject)).all()
            assert sorted(r.subject for r in rows) == sorted(self.subjects)
            for row in rows:
                bodies = conn.execute(
                    select(case_messages.c.body)
                    .where(case_messages.c.case_id == row.id)
                    .order_by(case_messages.c.created_at, case_messages.c.id)
                ).scalars()
                assert sorted(bodies) == sorted(self.replies[row.subject])
            votes = conn.execute(select(article_feedback.c.helpful)).scalars().all()
            assert votes == ([self.votes["en:lost-bag"]] if self.votes else [])
            made: list[Any] = conn.execute(select(callbacks.c.status)).scalars().all()
            assert len(made) == self.callback_requests
            active = [s for s in made if s == "requested"]
            assert len(active) == (1 if self.active_callback else 0)


CustomerMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None)
TestExactlyOnce = CustomerMachine.TestCase
