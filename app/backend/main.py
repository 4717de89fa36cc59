"""The hub's ASGI application."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, OperationalError

import app as careline
from app.backend.channels import mail_in, mail_out
from app.backend.channels.connector import Connector
from app.backend.channels.delivery import ChannelOutbox
from app.backend.channels.registry import build_connector
from app.backend.crud import retention
from app.backend.db import Database, migrate
from app.backend.db.engine import private_folder
from app.backend.event_bus import WakeOnWrite
from app.backend.failures import FailureStreak
from app.backend.hub import Hub
from app.backend.idle_sync import IdleSync
from app.backend.limits import RequestGuard
from app.backend.problems import install_problem_handlers, problem_response
from app.backend.push_delivery.setup import build_dispatcher
from app.backend.routes import (
    admin,
    admin_board,
    admin_files,
    admin_inbox,
    admin_insight,
    admin_social,
    admin_status,
    admin_tokens,
    auth,
    callbacks,
    cases,
    channels,
    devices,
    events,
    kb,
    me,
    search_gaps,
    staff,
    status,
    sync,
)
from app.backend.settings import HubSettings
from app.background import BackgroundTask
from app.schemas import Problem

log = logging.getLogger("careline.hub")


def create_app(
    settings: HubSettings,
    *,
    database: Database | None = None,
    connector: Connector | None = None,
) -> FastAPI:
    """Build the hub; the database is migrated to the latest version first. `connector`
    (tests) stands in for the helpdesk connector the settings name."""
    private_folder(settings.data_dir)
    db = database or Database(settings.database_url)
    migrate(db)
    hub = Hub(settings=settings, db=db)
    connector = connector or build_connector(settings)
    if connector is not None:
        hub.channel_outbox = ChannelOutbox(
            db,
            connector,
            reconcile_seconds=settings.helpdesk_reconcile_seconds,
            max_messages=settings.max_case_messages,
            max_attachment_bytes=settings.max_attachment_bytes,
            on_change=hub.after_write,
        )

    @contextlib.asynccontextmanager
    async def lifespan(_api: FastAPI) -> AsyncIterator[None]:
        # A served hub pushes to devices and prunes what it keeps no longer; a hub driven
        # in process by tests does neither.
        hub.start_listening()
        dispatcher, push_client = build_dispatcher(settings, db)
        dispatcher.start()
        pruning = BackgroundTask(
            lambda: retention.prune_periodically(db, settings), "careline-prune"
        )
        pruning.start()
        if hub.channel_outbox is not None:
            hub.channel_outbox.start()
        mail_server = await mail_in.start_listener(db, settings)
        mail_outbox = BackgroundTask(lambda: mail_out.run_outbox(db, settings), "careline-mail-out")
        mail_outbox.start()
        yield
        await mail_outbox.stop()
        if mail_server is not None:
            mail_server.close()
            await mail_server.wait_closed()
        if hub.channel_outbox is not None:
            await hub.channel_outbox.stop()
            await hub.channel_outbox.connector.aclose()
        await pruning.stop()
        await dispatcher.stop()
        await push_client.aclose()
        await hub.events.stop()
        await hub.stop_listening()

    api = FastAPI(
        lifespan=lifespan,
        title="Careline hub",
        version=careline.__version__,
        summary="Status, knowledge base, callbacks and cases for the Careline app (protocol v1).",
        responses={
            "4XX": {"model": Problem, "description": "Problem details (RFC 9457)."},
            "5XX": {"model": Problem, "description": "Problem details; 503 has Retry-After."},
        },
    )
    api.state.hub = hub
    install_problem_handlers(api)

    # During an outage every request comes to on_database_down, thousands a second on a
    # storm day: a traceback when the first is refused, a count once a transaction (any
    # request's or background loop's) commits again.
    outage = FailureStreak(
        log,
        failing="database unavailable: requests are answered 503 until it is back",
        recovered="the database answers again after %d requests answered 503",
    )

    @event.listens_for(db.engine, "commit")
    def on_commit(_conn: Any) -> None:
        outage.succeeded()

    @api.exception_handler(OperationalError)
    async def on_database_down(_request: Request, _exc: DBAPIError) -> JSONResponse:
        outage.failed()
        problem = Problem(
            type="/problems/unavailable",
            title="Service unavailable",
            status=503,
            detail="The hub cannot reach its database; try again shortly.",
        )
        return problem_response(problem, {"Retry-After": "5"})

    api.add_middleware(IdleSync, hub=hub)  # innermost: see idle_sync.py
    api.add_middleware(
        RequestGuard, max_json=settings.max_json_bytes, max_upload=settings.max_attachment_bytes
    )
    api.add_middleware(WakeOnWrite, on_write=hub.after_write)
    if settings.cors_origins:
        api.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match", "Last-Event-ID"],
            expose_headers=["ETag", "Retry-After"],
            max_age=600,
        )

    @api.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        # One round trip to the database: while it is unreachable this answers the same
        # 503 + Retry-After as every other request (on_database_down), not "ok".
        with db.read() as conn:
            conn.exec_driver_sql("SELECT 1")
        return {"status": "ok"}

    routers = (
        status,
        kb,
        callbacks,
        auth,
        sync,
        cases,
        channels,
        events,
        devices,
        me,
        admin,
        admin_files,
        admin_tokens,
        staff,
        admin_status,
        admin_inbox,
        admin_board,
        admin_insight,
        admin_social,
        search_gaps,
    )
    for module in routers:
        api.include_router(module.router)
    return api
