"""Cases: the customer's support cases, newest activity first, with their status and how
many agent replies are unread."""

from __future__ import annotations

import flet as ft

from app.state.account import AccountState
from app.state.cases import CasesState
from app.state.window import UiState, WindowState
from app.store.records import CaseRecord
from app.views.context import use_window
from app.views.own_lists import OwnList, item_card, own_list_screen
from app.views.strings import tr, when
from app.views.theme import CASE_STATUS_COLORS, NEUTRAL
from app.views.widgets import status_chip as chip

CASES = OwnList(
    "/cases", "new_case", ft.Icons.ADD_COMMENT, sign_in="sign_in_for_cases", empty="cases_empty"
)


def case_status_chip(ui: UiState, status: str) -> ft.Control:
    color = CASE_STATUS_COLORS.get(status, NEUTRAL)
    return chip(tr(ui.locale, f"case_{status}"), color)


def case_label(ui: UiState, case: CaseRecord) -> str:
    return (
        tr(ui.locale, "case_number", number=case.number)
        if case.number
        else tr(ui.locale, "case_draft")
    )


def case_tile(ui: UiState, case: CaseRecord) -> ft.Control:
    page = ft.context.page
    marks: list[ft.Control] = [case_status_chip(ui, case.status)]
    if case.unread:
        marks.insert(
            0,
            ft.Icon(
                ft.Icons.MARK_CHAT_UNREAD,
                color=ft.Colors.PRIMARY,
                badge=ft.Badge(label=str(case.unread)),
            ),
        )
    tile = ft.ListTile(
        title=ft.Text(
            case.subject,
            weight=ft.FontWeight.BOLD if case.unread else ft.FontWeight.W_500,
            max_lines=2,
            overflow=ft.TextOverflow.ELLIPSIS,
        ),
        # The status and unread marks under the subject, not beside it: on a phone a long
        # status ("Esperando tu respuesta") beside it would squeeze the subject to a word.
        subtitle=ft.Column(
            [
                ft.Text(
                    f"{case_label(ui, case)} · {when(ui.locale, case.updated_at, ui.zone)}"
                    + (
                        f" · {tr(ui.locale, 'unread_replies', count=case.unread)}"
                        if case.unread
                        else ""
                    )
                ),
                ft.Row(marks, wrap=True, spacing=8),
            ],
            spacing=4,
            tight=True,
        ),
        on_click=lambda: page.navigate(f"/cases/{case.local_id}"),
    )
    return item_card(tile, ui, case.sync_state, case.error)


@ft.component
def CasesScreen(
    window: WindowState, cases: CasesState, account: AccountState, ui: UiState
) -> ft.View:
    return own_list_screen(
        window, account, ui, CASES, lambda: [case_tile(ui, c) for c in cases.cases]
    )


@ft.component
def CasesRoute() -> ft.View:
    window = use_window()
    return CasesScreen(window, window.cases, window.account, window.ui)
