"""The Account screen's privacy card: download everything Careline holds about you, or
erase the account (asked once more), and afterwards what was erased where."""

from __future__ import annotations

import flet as ft

from app.state.account import AccountState
from app.state.window import UiState, WindowState
from app.views.strings import tr
from app.views.widgets import busy_row, confirm_box, error_line, heading

EXPORT_NAME = "careline-my-data.json"


@ft.component
def YourData(window: WindowState, account: AccountState, ui: UiState) -> ft.Control:
    page = ft.context.page
    picker = ft.use_memo(ft.FilePicker, dependencies=[])

    async def download() -> None:
        data = await account.export_data()
        if data is not None:
            await picker.save_file(file_name=EXPORT_NAME, src_bytes=data)

    async def erase() -> None:
        if await account.erase_account(confirmed=True):
            await window.signed_in_or_out()

    controls: list[ft.Control] = [
        heading(ui, "your_data"),
        ft.Text(tr(ui.locale, "your_data_intro"), size=13),
        busy_row(
            [
                ft.OutlinedButton(
                    tr(ui.locale, "download_data"),
                    icon=ft.Icons.DOWNLOAD,
                    disabled=account.data_busy,
                    on_click=lambda: page.run_task(download),
                )
            ],
            account.data_busy,
            wrap=True,
        ),
        *error_line(ui, account.data_error),
    ]
    if account.confirm_erase:
        controls.append(
            confirm_box(
                question=tr(ui.locale, "erase_warning"),
                keep=tr(ui.locale, "keep_account"),
                on_keep=lambda: setattr(account, "confirm_erase", False),
                act=tr(ui.locale, "erase_confirm"),
                on_act=lambda: page.run_task(erase),
                busy=account.data_busy,
            )
        )
    else:
        controls.append(
            ft.TextButton(
                tr(ui.locale, "erase_account"),
                icon=ft.Icons.DELETE_FOREVER,
                on_click=lambda: page.run_task(account.erase_account),
            )
        )
    return ft.Card(ft.Container(ft.Column(controls, spacing=8), padding=16))


def erased_notice(ui: UiState) -> ft.Control:
    """Once the account is erased: what went, on the hub and on this device."""
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=ft.Colors.PRIMARY),
                            ft.Text(
                                tr(ui.locale, "account_erased"),
                                weight=ft.FontWeight.BOLD,
                                expand=True,
                            ),
                        ]
                    ),
                    ft.Text(tr(ui.locale, "account_erased_hub")),
                    ft.Text(tr(ui.locale, "account_erased_device")),
                ],
                spacing=8,
            ),
            padding=16,
        ),
        key="account-erased",
    )
