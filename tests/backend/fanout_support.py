"""Hub processes sharing one event's pushes on one PostgreSQL database, with the stand-in
push service (tests/push_service.py): hubs started with short leases, many devices
registered at once, and what the database recorded of each push."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from py_vapid import Vapid02
from sqlalchemy import create_engine, func, select, text

from app.backend.db import Database
from app.backend.db.tables import devices, meta, push_batches, push_sent
from app.backend.push_delivery.dispatcher import CURSOR_KEY
from app.backend.util import dumps, now_text
from tests.backend.webpush_support import Browser
from tests.hub_process import RealHub
from tests.push_service import HOST, PushService
from tests.support import until

PER_HOST = 4
# Sends time out after 3 s, so a lease is 1.5 x (3 timeouts + 2 s) = 16.5 s at least.
LIMITS = {
    "CARELINE_PUSH_PER_HOST": str(PER_HOST),
    "CARELINE_PUSH_TIMEOUT_SECONDS": "3",
    "CARELINE_PUSH_LEASE_SECONDS": "17",
    "CARELINE_PUSH_BATCH_SIZE": "10",
}


def start_hubs(folder: Path, url: str, service: PushService, count: int) -> list[RealHub]:
    """`count` hub processes on `url` sharing one VAPID key (as a company's hubs do),
    each pushing to `service`; returned once they answer and pushing has its start."""
    key = Vapid02()
    key.generate_keys()
    hubs = []
    for n in range(count):
        hub = RealHub(folder / f"hub{n}", url)
        hub.env.update({**service.env(), **LIMITS})
        hub.env["CARELINE_VAPID_PRIVATE_KEY"] = key.private_pem().decode()
        hub.start(demo=False)
        hubs.append(hub)
    db = Database(url)
    try:
        until(lambda: cursor_set(db), "the hubs set where pushing starts")
    finally:
        db.dispose()
    return hubs


def cursor_set(db: Database) -> bool:
    with db.read() as conn:
        return (
            conn.execute(select(meta.c.value).where(meta.c.key == CURSOR_KEY)).first() is not None
        )


def register_devices(db: Database, service: PushService, count: int, host: str = HOST) -> None:
    """`count` Web Push devices on `host`, each its own customer's, in one insert (one key
    pair for all: the stand-in service never decrypts)."""
    keys = dumps(Browser("https://unused.example/").keys())
    moment = now_text()
    rows = [
        {
            "id": f"dev-{host}-{n}",
            "customer_id": f"cus-{host}-{n}",
            "platform": "webpush",
            "endpoint": service.endpoint(f"{host}-{n}", host),
            "keys": keys,
            "created_at": moment,
            "updated_at": moment,
            "push_failures": 0,
        }
        for n in range(count)
    ]
    with db.write() as conn:
        conn.execute(devices.insert(), rows)


def all_done(db: Database) -> bool:
    """Every batch split so far is finished (each of its pushes recorded)."""
    with db.read() as conn:
        total = conn.execute(select(func.count()).select_from(push_batches)).scalar_one()
        done = conn.execute(
            select(func.count()).where(push_batches.c.done_at.is_not(None))
        ).scalar_one()
    return bool(total) and total == done


def senders(db: Database) -> Counter[str]:
    """Pushes recorded per hub process (its id starts with its host and pid)."""
    with db.read() as conn:
        return Counter(conn.execute(select(push_sent.c.sent_by)).scalars())


def batch_senders(db: Database, ids: set[int]) -> set[str]:
    """The hub processes that recorded pushes of these batches."""
    with db.read() as conn:
        query = select(push_sent.c.sent_by).where(push_sent.c.batch_id.in_(ids)).distinct()
        return set(conn.execute(query).scalars())


def recorded(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(push_sent)).scalar_one())


def held_by(db: Database, pid: int) -> set[int]:
    """The batches the hub process `pid` holds, unfinished."""
    with db.read() as conn:
        query = select(push_batches.c.id).where(
            push_batches.c.claimed_by.like(f"%:{pid}:%"), push_batches.c.done_at.is_(None)
        )
        return set(conn.execute(query).scalars())


def terminate(application_name: str) -> int:
    """End the PostgreSQL connections of this application name (pg_terminate_backend, as
    a failover or an administrator does); returns how many."""
    engine = create_engine(
        os.environ["CARELINE_TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://")
    )
    try:
        with engine.begin() as conn:
            ended = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    " WHERE application_name = :name AND pid <> pg_backend_pid()"
                ),
                {"name": application_name},
            ).scalar_one()
    finally:
        engine.dispose()
    return int(ended)
