"""Cases: the inbox with its filters and how long each case has waited, beside the
selected case (`case_detail`); on a narrow window the case shows under the list."""

from __future__ import annotations

from datetime import UTC, datetime

import flet as ft

from app.console.state.cases import MINE, UNASSIGNED, InboxState
from app.console.state.console import ConsoleUi
from app.console.state.session import SessionState
from app.console.strings import duration, tr
from app.console.views.case_detail import CaseDetail
from app.console.views.context import use_console
from app.console.views.shell import console_view, signed_in_load, who
from app.console.views.sign_in import failure_text
from app.console.views.widgets import dropdown
from app.schemas import CaseStatus
from app.schemas.console import InboxCase


def waited(case: InboxCase, locale: str, now: datetime) -> str:
    if not case.waiting_on_us or case.waiting_since is None:
        return ""
    return tr(locale, "waiting_for", time=duration(locale, now - case.waiting_since))


def filters(inbox: InboxState, locale: str) -> ft.Control:
    page = ft.context.page

    def choose(name: str, value: str | None) -> None:
        page.run_task(inbox.set_filter, name, value or "")

    def menu(name: str, options: list[tuple[str, str]]) -> ft.Control:
        return dropdown(
            label=tr(locale, f"filter_{name}"),
            value=inbox.filters.get(name, ""),
            width=170,
            dense=True,
            options=[
                ft.DropdownOption(key=k, text=t) for k, t in [("", tr(locale, "any")), *options]
            ],
            on_select=lambda e: choose(name, e.control.value),
        )

    def typed(name: str) -> ft.Control:
        return ft.TextField(
            label=tr(locale, f"filter_{name}"),
            value=inbox.filters.get(name, ""),
            width=150,
            dense=True,
            on_submit=lambda e: choose(name, e.control.value),
        )

    return ft.Row(
        [
            menu("status", [(s.value, tr(locale, f"status_{s.value}")) for s in CaseStatus]),
            menu("assignee", [(MINE, tr(locale, "mine")), (UNASSIGNED, tr(locale, "unassigned"))]),
            typed("category"),
            typed("channel"),
            typed("incident"),
            ft.Checkbox(
                label=tr(locale, "waiting_on_us"),
                value=bool(inbox.filters.get("waiting")),
                on_change=lambda e: choose("waiting", "1" if e.control.value else ""),
            ),
        ],
        wrap=True,
    )


def case_row(inbox: InboxState, case: InboxCase, locale: str, now: datetime) -> ft.Control:
    page = ft.context.page
    chosen = inbox.selected is not None and inbox.selected.id == case.id
    details = " · ".join(
        p
        for p in (
            tr(locale, f"status_{case.status.value}"),
            case.customer_email,
            case.assignee_name or "",
            waited(case, locale, now),
        )
        if p
    )
    return ft.ListTile(
        title=ft.Text(f"#{case.number} {case.subject}"),
        subtitle=ft.Text(details),
        selected=chosen,
        on_click=lambda: page.run_task(inbox.select, case.id),
    )


@ft.component
def CasesScreen(session: SessionState, ui: ConsoleUi, inbox: InboxState) -> ft.View:
    page, locale = ft.context.page, ui.locale
    ft.use_effect(lambda: signed_in_load(session, page, inbox.load), dependencies=[who(session)])
    now = datetime.now(UTC)
    listing = ft.Column(
        [
            filters(inbox, locale),
            *failure_text(locale, inbox.error),
            ft.ListView(
                [case_row(inbox, c, locale, now) for c in inbox.items]
                or [ft.Text(tr(locale, "no_cases"))],
                expand=True,
            ),
        ],
        expand=True,
    )
    detail: list[ft.Control] = [CaseDetail(inbox, ui, inbox.selected)] if inbox.selected else []
    if ui.narrow and detail:
        # A tablet held upright: the inbox above, the open case below with more room.
        body: list[ft.Control] = [
            ft.Column(
                [ft.Container(listing, expand=2), ft.Container(detail[0], expand=3)],
                expand=True,
            )
        ]
    elif ui.narrow:
        body = [listing]
    else:
        body = [
            ft.Row(
                [
                    ft.Container(listing, expand=2),
                    ft.VerticalDivider(width=1),
                    ft.Container(ft.Column(detail, expand=True), expand=3),
                ],
                expand=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            )
        ]
    return console_view("/cases", tr(locale, "nav_cases"), body)


@ft.component
def CasesRoute() -> ft.View:
    console = use_console()
    return CasesScreen(console.session, console.ui, console.screen(InboxState))
