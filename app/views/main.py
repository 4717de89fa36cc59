"""Starting the app: a desktop window for one device, or a web server for many browsers,
each a device of its own (see `app.state.devices`); a `WindowState` per window or tab."""

from __future__ import annotations

import logging
from pathlib import Path

import flet as ft
from flet_secure_storage import SecureStorage

from app.config import AppConfig
from app.state.keychain import open_keychain
from app.state.runtime import DeviceRuntime
from app.state.window import WindowState
from app.views.app import App
from app.views.shell import back_handler
from app.views.theme import apply_theme

ASSETS = Path(__file__).resolve().parents[2] / "assets"


def run(config: AppConfig) -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if config.web:
        from app.views.web.server import serve  # the web server's libraries: web mode only

        serve(config)
    else:
        open_window(config)


async def show(
    page: ft.Page, window: WindowState, on_close: ft.ControlEventHandler[ft.Page], title: str
) -> None:
    """Draw the app for `window` in `page`."""
    page.title = title
    ui = window.ui
    ui.web, ui.installed, ui.ios = page.web, page.pwa, page.platform is ft.PagePlatform.IOS
    ui.phone = page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
    apply_theme(page, window.ui.theme)

    def resized(e: ft.PageResizeEvent) -> None:
        window.ui.width = e.width

    page.on_resize = resized
    page.on_close = on_close

    def connected(_: ft.Event[ft.Page]) -> None:
        window.history.restart(page.route or "/")
        page.run_task(window.came_back)

    page.on_connect = connected
    # Set before the router starts, which then leaves Back to it.
    page.on_view_pop = back_handler(page, window.history)
    await window.start()
    page.render_views(App, window)


def open_window(config: AppConfig) -> None:
    """A desktop or phone window (as `flet build` packages it, see `main.py`): one
    device, its stores in the data folder, the hub token in the keychain if it has one."""
    shared: dict[str, DeviceRuntime] = {}

    async def main(page: ft.Page) -> None:
        runtime = shared.get("services")
        if runtime is None:
            tokens = await open_keychain(SecureStorage())
            phone = page.platform in (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)
            runtime = DeviceRuntime.create(
                data_dir=config.data_dir,
                hub_url=config.hub_url,
                os_notifications=not phone,
                tokens=tokens,
            )
            shared["services"] = runtime
            runtime.start()
        window = WindowState(runtime, width=page.width or 1024, run_task=page.run_task)
        await show(page, window, lambda _: window.close(), config.company)

    ft.run(main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS), no_cdn=True)
