"""`python -m app.console`: the console served as a web app. One process for every
browser; each browser has its own sign-in (`app.console.sessions`), its token kept here."""

from __future__ import annotations

import argparse
import logging
import os

import flet as ft
import flet_web.fastapi as flet_fastapi
import uvicorn

from app.config import DEFAULT_HUB_URL, HUB_URL_ENV
from app.console.client import ConsoleClient
from app.console.sessions import BROWSER_KEY, BrowserSessions
from app.console.state.console import ConsoleState
from app.console.views.app import ConsoleApp

DEFAULT_PORT = 8560
PORT_ENV = "CARELINE_CONSOLE_PORT"
# A closed tab's session stays this long for a reload to come back to.
SESSION_SECONDS = 300


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m app.console", description=__doc__)
    parser.add_argument("--hub", default=os.environ.get(HUB_URL_ENV, DEFAULT_HUB_URL))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get(PORT_ENV, DEFAULT_PORT)))
    return parser.parse_args(argv)


def serve(args: argparse.Namespace) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    os.environ.setdefault("FLET_WEB_NO_CDN", "true")
    sessions = BrowserSessions()
    shared = ConsoleClient(args.hub)

    async def main(page: ft.Page) -> None:
        preferences = ft.SharedPreferences()
        held = await preferences.get(BROWSER_KEY)
        key = held if isinstance(held, str) and len(held) >= 32 else None
        if key is None:
            key = sessions.new_key()
            await preferences.set(BROWSER_KEY, key)
        browser_key = key
        client = shared.for_token(lambda: sessions.token(browser_key))
        console = ConsoleState(
            client, sessions, key, width=page.width or 1280, run_task=page.run_task
        )
        page.title = "Careline console"
        page.theme_mode = ft.ThemeMode.SYSTEM  # the browser's light or dark

        def resized(e: ft.PageResizeEvent) -> None:
            console.ui.width = e.width

        page.on_resize = resized

        def key_pressed(e: ft.KeyboardEvent) -> None:
            # Ctrl+Enter (Cmd+Enter on a Mac) sends the form the member of staff is in.
            if e.key == "Enter" and (e.ctrl or e.meta) and console.send_shortcut:
                console.send_shortcut()

        page.on_keyboard_event = key_pressed
        page.render_views(ConsoleApp, console)

    async def close() -> None:
        await shared.aclose()

    server = flet_fastapi.FastAPI(
        on_shutdown=[close], docs_url=None, redoc_url=None, openapi_url=None
    )
    server.mount(
        "/",
        flet_fastapi.app(
            main,
            app_name="Careline console",
            no_cdn=True,
            session_timeout_seconds=SESSION_SECONDS,
        ),
    )
    print(f"Careline console on http://{args.host}:{args.port} (hub: {args.hub})", flush=True)
    uvicorn.run(server, host=args.host, port=args.port, log_level="warning")
