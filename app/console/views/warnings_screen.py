"""Early warnings (whoever runs the status page): bursts of public posts the hub noticed,
open ones first, each with its key, when the burst started and was detected, its posts
against the usual, and a few sample posts as plain text. Acknowledge; Dismiss (asked
first); Publish incident opens the New incident form on the Status screen, filled from
the warning."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.session import SessionState
from app.console.state.warnings import Done, WarningsState, shown
from app.console.strings import tr, when
from app.console.views.context import use_console
from app.console.views.shell import console_view, signed_in_load, who
from app.console.views.sign_in import failure_text
from app.console.views.widgets import icon_button
from app.schemas.warnings import EarlyWarning, WarningState

ROUTE = "/warnings"


def done_text(locale: str, done: Done | None) -> list[ft.Control]:
    if done is None:
        return []
    said = tr(locale, f"warning_done_{done.what}", name=shown(done.key))
    return [ft.Text(said, color=ft.Colors.PRIMARY)]


def sample(text: str, moment: str) -> ft.Control:
    # Plain text, never Markdown; at most three lines of the clipped, one-line text.
    return ft.Text(
        f"{moment} · {shown(text)}",
        size=13,
        max_lines=3,
        overflow=ft.TextOverflow.ELLIPSIS,
        color=ft.Colors.ON_SURFACE_VARIANT,
    )


def actions(warnings: WarningsState, warning: EarlyWarning, locale: str) -> list[ft.Control]:
    page = ft.context.page
    if warning.state in (WarningState.dismissed, WarningState.published):
        return []
    if warnings.asking == warning.id:
        return [
            ft.Text(
                tr(locale, "warning_confirm_dismiss", name=shown(warning.key)),
                color=ft.Colors.ERROR,
            ),
            ft.FilledButton(tr(locale, "cancel"), on_click=warnings.cancel),
            ft.TextButton(
                tr(locale, "warning_dismiss"),
                disabled=warnings.busy,
                style=ft.ButtonStyle(color=ft.Colors.ERROR),
                on_click=lambda: page.run_task(warnings.confirm_dismiss),
            ),
        ]

    async def publish() -> None:
        await warnings.prefill(warning)
        page.navigate("/status")

    shown_actions: list[ft.Control] = [
        ft.FilledButton(
            tr(locale, "warning_publish"),
            icon=ft.Icons.CAMPAIGN,
            disabled=warnings.busy,
            on_click=lambda: page.run_task(publish),
        )
    ]
    if warning.state is WarningState.new:
        shown_actions.append(
            ft.OutlinedButton(
                tr(locale, "warning_acknowledge"),
                icon=ft.Icons.VISIBILITY_OUTLINED,
                disabled=warnings.busy,
                on_click=lambda: page.run_task(warnings.acknowledge, warning),
            )
        )
    shown_actions.append(
        ft.TextButton(
            tr(locale, "warning_dismiss"),
            icon=ft.Icons.CLOSE,
            disabled=warnings.busy,
            on_click=lambda: warnings.ask_dismiss(warning),
        )
    )
    return shown_actions


def warning_card(warnings: WarningsState, warning: EarlyWarning, locale: str) -> ft.Control:
    facts = tr(
        locale,
        "warning_facts",
        started=when(locale, warning.started_at),
        detected=when(locale, warning.detected_at),
        count=warning.count,
        baseline=f"{warning.baseline:.1f}",
    )
    state = tr(locale, f"warning_state_{warning.state.value}")
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Text(
                        f"{shown(warning.key)} · {state}",
                        theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                        max_lines=1,
                        overflow=ft.TextOverflow.ELLIPSIS,
                    ),
                    ft.Text(facts),
                    *(sample(s.text, when(locale, s.created_at)) for s in warning.samples[:3]),
                    ft.Row(actions(warnings, warning, locale), wrap=True, spacing=8),
                ],
                spacing=6,
            ),
            padding=16,
        )
    )


@ft.component
def WarningsScreen(session: SessionState, ui: ConsoleUi, warnings: WarningsState) -> ft.View:
    page, locale = ft.context.page, ui.locale
    ft.use_effect(lambda: signed_in_load(session, page, warnings.load), dependencies=[who(session)])
    open_now, handled = warnings.open(), warnings.handled()
    heading = ft.Row(
        [
            ft.Text(
                tr(locale, "warnings_open", count=len(open_now)),
                theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                expand=True,
            ),
            icon_button(
                ft.Icons.REFRESH, tr(locale, "refresh"), lambda: page.run_task(warnings.load)
            ),
        ]
    )
    body: list[ft.Control] = [
        *done_text(locale, warnings.done),
        *failure_text(locale, warnings.error),
        heading,
    ]
    if warnings.loaded and not open_now:
        body.append(ft.Text(tr(locale, "warnings_none_open")))
    body += [warning_card(warnings, w, locale) for w in open_now]
    if handled:
        body.append(
            ft.Text(tr(locale, "warnings_handled"), theme_style=ft.TextThemeStyle.TITLE_SMALL)
        )
        body += [warning_card(warnings, w, locale) for w in handled]
    return console_view(
        ROUTE,
        tr(locale, "nav_warnings"),
        [ft.Column(body, expand=True, spacing=12, scroll=ft.ScrollMode.AUTO)],
    )


@ft.component
def WarningsRoute() -> ft.View:
    console = use_console()
    return WarningsScreen(console.session, console.ui, console.screen(WarningsState))
