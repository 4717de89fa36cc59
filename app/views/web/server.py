"""`python -m app --web`: the app on the web for every customer. Public content is synced
once per process, each browser is a device (and its personal store stays on this server,
`app.state.devices`), and beside the Flet app at `/` are the addresses Careline's own
browser code uses: the offline copy, a case thread's files, and (for alerts) the hub's
push key and the device's push subscription."""

from __future__ import annotations

import logging

import flet as ft
import flet_web.fastapi as flet_fastapi
import uvicorn

from app.config import AppConfig
from app.state.attachments import FileTickets
from app.state.hosting import Hosting
from app.state.window import WindowState
from app.views.main import ASSETS, show
from app.views.web.alerts import alerts_router
from app.views.web.files import files_router
from app.views.web.offline import offline_router

# Where a browser keeps its device key (Flet's client storage: `localStorage` on the web).
DEVICE_KEY = "careline.device"
# Where the page (assets/careline/page.js) writes the browser's IANA time zone: Flet's
# client does not tell the server, and the server's own zone is not the customer's.
BROWSER_ZONE = "careline.zone"
# A closed tab's window stays this long for a reload to come back to (Flet's default
# is an hour, which a server with many visitors cannot afford).
SESSION_SECONDS = 300


def serve(config: AppConfig) -> None:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per hub request: too many
    hosting = Hosting(
        config.data_dir, config.hub_url, port=config.port, keep_days=config.device_days
    )
    tickets = FileTickets()

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
        zone = await preferences.get(BROWSER_ZONE)
        window = WindowState(
            device.runtime,
            width=page.width or 1024,
            run_task=page.run_task,
            zone=zone if isinstance(zone, str) else None,
        )
        window.cases.tickets = tickets  # files download through this server

        def closed(_: ft.Event[ft.Page]) -> None:
            window.close()
            hosting.devices.detach(device)

        await show(page, window, closed, config.company)

    server = flet_fastapi.FastAPI(
        on_startup=[hosting.start],
        on_shutdown=[hosting.close],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    server.include_router(offline_router(hosting, config.company))
    server.include_router(alerts_router(hosting, config.company))
    server.include_router(files_router(tickets))
    server.mount(
        "/",
        flet_fastapi.app(
            main,
            assets_dir=str(ASSETS),
            app_name=config.company,
            no_cdn=True,
            session_timeout_seconds=SESSION_SECONDS,
        ),
    )
    print(
        f"Careline app on http://{config.host}:{config.port} (hub: {config.hub_url}, data: "
        f"{config.data_dir})",
        flush=True,
    )
    # Behind a reverse proxy on this machine, the client's address comes from its headers.
    uvicorn.run(server, host=config.host, port=config.port, log_level="warning")
