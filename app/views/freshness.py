"""How fresh help is: when an article was last updated, and when the help centre was last
synced (prominently when offline: the device's copy is then all there is). Relative times
are worked out as the lines render, and the lines render again at every sync, which keeps
them fresh on a screen left open without a timer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

import flet as ft

from app.state.help import HelpState
from app.state.sync import SyncState
from app.state.window import UiState
from app.views.strings import ago, parse_moment, tr, when
from app.views.widgets import tinted_box

# Closer than this reads "just now": seconds are noise here, and CLDR says "in 0 seconds".
JUST_NOW = timedelta(minutes=1)


def since(locale: str, moment: datetime | str, now: datetime) -> str:
    """'2 days ago' / 'hace 2 días', or 'just now'; never in the future (a hub's clock
    ahead of the device's)."""
    found = parse_moment(moment)
    if now - found < JUST_NOW:
        return tr(locale, "just_now")
    return ago(locale, found, now)


def article_updated(locale: str, updated_at: datetime | str, now: datetime) -> str:
    """'Updated 2 days ago'."""
    return tr(locale, "article_updated", when=since(locale, updated_at, now))


def help_synced(
    locale: str, synced_at: str | None, offline: bool, now: datetime, zone: tzinfo | None
) -> str:
    """'Help synced 5 minutes ago'; offline, 'Offline — help as of Dec 7, 2:05 PM' (in the
    customer's `zone`)."""
    if offline:
        if synced_at is None:
            return tr(locale, "help_offline_never")
        return tr(locale, "help_offline_as_of", when=when(locale, synced_at, zone))
    if synced_at is None:
        return tr(locale, "help_never_synced")
    return tr(locale, "help_synced", when=since(locale, synced_at, now))


@ft.component
def ArticleUpdated(updated_at: datetime, sync: SyncState, ui: UiState) -> ft.Control:
    """A quiet line under an article's title (given `sync` to render again at each sync)."""
    text = article_updated(ui.locale, updated_at, datetime.now(UTC))
    return ft.Text(text, theme_style=ft.TextThemeStyle.BODY_SMALL)


@ft.component
def HelpFreshness(help_: HelpState, sync: SyncState, ui: UiState) -> ft.Control:
    """When the help centre was last synced: a quiet line, set apart when offline."""
    page = ft.context.page

    def synced() -> None:
        page.run_task(help_.read_synced)

    ft.use_effect(synced, dependencies=[sync.last_synced])
    text = help_synced(ui.locale, help_.synced_at, sync.offline, datetime.now(UTC), ui.zone)
    if not sync.offline:
        return ft.Text(text, theme_style=ft.TextThemeStyle.BODY_SMALL, key="help-synced")
    return tinted_box(
        ft.Row(
            [
                ft.Icon(ft.Icons.CLOUD_OFF),
                ft.Text(text, weight=ft.FontWeight.W_500, expand=True),
            ]
        ),
        padding=12,
    )
