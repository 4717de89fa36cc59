"""Starting the app: the shared services once per process, a session per window or tab."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import flet as ft

from app.config import AppConfig
from app.state.services import Services
from app.state.session import Session
from app.views.app import App
from app.views.theme import apply_theme

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def run(config: AppConfig) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if config.web:
        # Served, never opening a browser, and never fetching CanvasKit or fonts from a CDN.
        os.environ.setdefault("FLET_FORCE_WEB_SERVER", "true")
        os.environ.setdefault("FLET_WEB_NO_CDN", "true")
    shared: dict[str, Services] = {}

    async def main(page: ft.Page) -> None:
        services = shared.get("services")
        if services is None:
            services = Services.create(
                data_dir=config.data_dir, hub_url=config.hub_url, web=config.web
            )
            shared["services"] = services
            services.start()
        session = Session(services, width=page.width or 1024, run_task=page.run_task)
        page.title = "Careline"
        apply_theme(page, session.ui.theme)

        def resized(e: ft.PageResizeEvent) -> None:
            session.ui.width = e.width

        page.on_resize = resized
        page.on_close = lambda _: session.close()
        await session.start()
        page.render_views(App, session)

    if config.web:
        print(
            f"Careline app on http://127.0.0.1:{config.port} (hub: {config.hub_url}, data: "
            f"{config.data_dir})",
            flush=True,
        )
    ft.run(
        main,
        view=None if config.web else ft.AppView.FLET_APP,
        port=config.port if config.web else 0,
        host="127.0.0.1" if config.web else None,
        assets_dir=str(ASSETS),
        no_cdn=True,
    )
