"""Markdown from the hub, shown safely: links are followed only to app routes and to
http(s), mailto and tel addresses (`app.state.links`). Raw HTML is never rendered: Flet's
Markdown has no HTML renderer, so tags stay text and never become links."""

from __future__ import annotations

import flet as ft

from app.state.links import safe_link_target


def markdown(text: str) -> ft.Markdown:
    page = ft.context.page

    async def follow(e: ft.Event[ft.Markdown]) -> None:
        target = safe_link_target(str(e.data or ""))
        if target is None:
            return
        if target.startswith("/"):
            page.navigate(target)
        else:
            await ft.UrlLauncher().launch_url(target)

    return ft.Markdown(
        value=text,
        extension_set=ft.MarkdownExtensionSet.GITHUB_WEB,
        selectable=True,
        on_tap_link=follow,
    )
