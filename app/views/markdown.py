"""Markdown from the hub, shown safely: links only to help articles and to http(s),
mailto and tel addresses; nothing else is followed."""

from __future__ import annotations

import flet as ft

SAFE_SCHEMES = ("https://", "http://", "mailto:", "tel:")


def markdown(text: str) -> ft.Markdown:
    page = ft.context.page

    async def follow(e: ft.Event[ft.Markdown]) -> None:
        target = str(e.data or "")
        if target.startswith(("/help/", "/status")):
            page.navigate(target)
        elif target.lower().startswith(SAFE_SCHEMES):
            await ft.UrlLauncher().launch_url(target)

    return ft.Markdown(
        value=text,
        extension_set=ft.MarkdownExtensionSet.GITHUB_WEB,
        selectable=True,
        on_tap_link=follow,
    )
