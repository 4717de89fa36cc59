"""The first-run offer on Status: follow the services an active disruption touches."""

from __future__ import annotations

import flet as ft

from app.state.account import AccountState
from app.state.alerts import AlertsState
from app.state.status import StatusState
from app.state.window import UiState
from app.views.context import use_window
from app.views.incident_screen import component_names
from app.views.strings import tr


@ft.component
def AlertsOffer(
    alerts: AlertsState, status: StatusState, account: AccountState, ui: UiState
) -> ft.Control:
    page = ft.context.page
    touched = sorted({c for incident in status.active for c in incident.components})
    follows = alerts.subscriptions.components or alerts.subscriptions.keys
    if account.customer is None or alerts.prompted or follows or not touched:
        return ft.Column([])
    names = ", ".join(component_names(status, touched))
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.NOTIFICATIONS_OUTLINED),
                            ft.Text(tr(ui.locale, "alerts_offer_title"), weight=ft.FontWeight.BOLD),
                        ]
                    ),
                    ft.Text(tr(ui.locale, "alerts_offer", names=names)),
                    ft.Row(
                        [
                            ft.FilledButton(
                                tr(ui.locale, "alerts_follow"),
                                on_click=lambda: page.run_task(alerts.follow, touched),
                            ),
                            ft.TextButton(
                                tr(ui.locale, "not_now"),
                                on_click=lambda: page.run_task(alerts.skip_prompt),
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=8,
            ),
            padding=16,
        )
    )


@ft.component
def FirstRunAlertsOffer() -> ft.Control:
    window = use_window()
    return AlertsOffer(window.alerts, window.status, window.account, window.ui)
