"""The session of the current window or tab, handed to route components."""

from __future__ import annotations

from typing import cast
from urllib.parse import parse_qs, urlparse

import flet as ft

from app.state.session import Session

SessionContext: ft.ContextProvider[Session | None] = ft.create_context(cast("Session | None", None))


def use_session() -> Session:
    """The session given to `App` (route components are called without arguments)."""
    session = ft.use_context(SessionContext)
    if session is None:
        raise RuntimeError("route rendered outside App")
    return session


def route_query(name: str) -> str | None:
    """A query parameter of the current address (`/callbacks/new?queue=rebooking`)."""
    values = parse_qs(urlparse(ft.context.page.route or "").query).get(name)
    return values[0] if values else None
