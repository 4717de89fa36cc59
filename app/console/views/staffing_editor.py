"""The staffing editor of the chosen queue: agents per interval of the day and the weekly
opening hours, each saved with its own button. What was typed stays when the hub refuses
it (the reason shows above, on the screen)."""

from __future__ import annotations

import flet as ft

from app.console.state.board import WEEKDAYS, BoardState
from app.console.state.console import ConsoleUi
from app.console.strings import tr


def weekday(locale: str, day: str) -> str:
    return {
        "mon": tr(locale, "weekday_mon"),
        "tue": tr(locale, "weekday_tue"),
        "wed": tr(locale, "weekday_wed"),
        "thu": tr(locale, "weekday_thu"),
        "fri": tr(locale, "weekday_fri"),
        "sat": tr(locale, "weekday_sat"),
        "sun": tr(locale, "weekday_sun"),
    }[day]


def agents_field(board: BoardState, index: int, locale: str) -> ft.Control:
    row = board.rows[index]
    times = f"{board.local(row.starts_at)}–{board.local(row.ends_at)}"
    return ft.TextField(
        label=tr(locale, "agents_at", time=times),
        value=row.agents,
        width=190,
        dense=True,
        keyboard_type=ft.KeyboardType.NUMBER,
        error=tr(locale, "agents_wrong") if index in board.wrong_agents else None,
        on_change=lambda e: board.type_agents(index, e.control.value or ""),
    )


def hours_field(board: BoardState, day: str, locale: str) -> ft.Control:
    return ft.TextField(
        label=weekday(locale, day),
        value=board.hours.get(day, ""),
        hint_text="08:00-12:00, 13:00-18:00",
        dense=True,
        error=tr(locale, "hours_wrong") if day in board.wrong_hours else None,
        on_change=lambda e: board.type_hours(day, e.control.value or ""),
    )


def new_interval(board: BoardState, locale: str) -> ft.Control:
    page, typed = ft.context.page, board.new_interval
    wrong = tr(locale, "interval_wrong") if -1 in board.wrong_agents else None

    def field(name: str, label: str, value: str, hint: str) -> ft.Control:
        return ft.TextField(
            label=label,
            value=value,
            hint_text=hint,
            width=150,
            dense=True,
            on_change=lambda e: board.type_new(**{name: e.control.value or ""}),
        )

    return ft.Column(
        [
            ft.Row(
                [
                    field("start", tr(locale, "interval_from"), typed.start, "09:00"),
                    field("end", tr(locale, "interval_to"), typed.end, "13:00"),
                    field("agents", tr(locale, "interval_agents"), typed.agents, "4"),
                    ft.OutlinedButton(
                        tr(locale, "add_staffing"),
                        icon=ft.Icons.GROUP_ADD,
                        disabled=board.busy,
                        on_click=lambda: page.run_task(board.add_interval),
                    ),
                ],
                wrap=True,
            ),
            *([ft.Text(wrong, color=ft.Colors.ERROR)] if wrong else []),
        ],
        spacing=4,
    )


@ft.component
def StaffingEditor(board: BoardState, ui: ConsoleUi) -> ft.Control:
    page, locale = ft.context.page, ui.locale
    saved = [ft.Text(tr(locale, "saved"), color=ft.Colors.PRIMARY)] if board.saved else []
    return ft.Column(
        [
            ft.Text(tr(locale, "staffing"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            ft.Text(tr(locale, "staffing_help"), size=12),
            ft.Row(
                [agents_field(board, i, locale) for i in range(len(board.rows))]
                or [ft.Text(tr(locale, "no_intervals"))],
                wrap=True,
            ),
            new_interval(board, locale),
            ft.FilledButton(
                tr(locale, "save_staffing"),
                icon=ft.Icons.SAVE,
                disabled=board.busy,
                on_click=lambda: page.run_task(board.save_staffing),
            ),
            *saved,
            ft.Text(tr(locale, "opening_hours"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            *(hours_field(board, day, locale) for day in WEEKDAYS),
            ft.OutlinedButton(
                tr(locale, "save_hours"),
                icon=ft.Icons.SCHEDULE,
                disabled=board.busy,
                on_click=lambda: page.run_task(board.save_hours),
            ),
        ],
        spacing=10,
    )
