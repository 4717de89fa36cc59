"""Starting the app: a desktop window for one device, or a web server for many browsers,
each a device of its own (see `app.state.devices`); a session per window or tab."""

from __future__ import annotations

import logging
from pathlib import Path

import flet as ft
import flet_web.fastapi as flet_fastapi
import uvicorn

from app.config import AppConfig
from app.state.hosting import Hosting
from app.state.services import Services
from app.state.session import Session
from app.views.app import App
from app.views.theme import apply_theme

ASSETS = Path(__file__).resolve().parents[2] / "assets"
# Where a browser keeps its device key (Flet's client storage: `localStorage` on the web).
DEVICE_KEY = "careline.device"
# A closed tab's window stays this long for a reload to come back to it (Flet's default
# is an hour, which a server with many visitors cannot afford).
SESSION_SECONDS = 300


def run(config: AppConfig) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if config.web:
        serve(config)
    else:
        open_window(config)


async def show(page: ft.Page, session: Session, on_close: ft.ControlEventHandler[ft.Page]) -> None:
    """Draw the app for `session` in `page`."""
    page.title = "Careline"
    apply_theme(page, session.ui.theme)

    def resized(e: ft.PageResizeEvent) -> None:
        session.ui.width = e.width

    page.on_resize = resized
    page.on_close = on_close
    await session.start()
    page.render_views(App, session)


def open_window(config: AppConfig) -> None:
    """A desktop window: one device, its stores in the data folder."""
    shared: dict[str, Services] = {}

    async def main(page: ft.Page) -> None:
        services = shared.get("services")
        if services is None:
            services = Services.create(data_dir=config.data_dir, hub_url=config.hub_url, web=False)
            shared["services"] = services
            services.start()
        session = Session(services, width=page.width or 1024, run_task=page.run_task)
        await show(page, session, lambda _: session.close())

    ft.run(main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS), no_cdn=True)


def serve(config: AppConfig) -> None:
    """The app on the web for every customer: public content once per process, a device
    (and its personal store, on this server) per browser."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per hub request: too many
    hosting = Hosting(
        config.data_dir, config.hub_url, port=config.port, keep_days=config.device_days
    )

    async def main(page: ft.Page) -> None:
        preferences = ft.SharedPreferences()
        held = await preferences.get(DEVICE_KEY)
        device, issued = await hosting.devices.attach(held if isinstance(held, str) else None)
        try:
            if issued is not None:
                await preferences.set(DEVICE_KEY, issued)
        except BaseException:  # the browser left before taking its key
            hosting.devices.detach(device)
            raise
        session = Session(device.services, width=page.width or 1024, run_task=page.run_task)

        def closed(_: ft.Event[ft.Page]) -> None:
            session.close()
            hosting.devices.detach(device)

        await show(page, session, closed)

    server = flet_fastapi.FastAPI(
        on_startup=[hosting.start],
        on_shutdown=[hosting.close],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    server.mount(
        "/",
        flet_fastapi.app(
            main, assets_dir=str(ASSETS), no_cdn=True, session_timeout_seconds=SESSION_SECONDS
        ),
    )
    print(
        f"Careline app on http://{config.host}:{config.port} (hub: {config.hub_url}, data: "
        f"{config.data_dir})",
        flush=True,
    )
    # Behind a reverse proxy on this machine, the client's address comes from its headers.
    uvicorn.run(server, host=config.host, port=config.port, log_level="warning")
