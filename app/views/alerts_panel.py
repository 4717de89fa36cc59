"""The Account screen's alerts: which services, airports, flights and bookings the customer
wants to hear about. Critical disruptions reach everyone."""

from __future__ import annotations

import flet as ft

from app.state.alerts import AlertsState
from app.state.session import Session, UiState
from app.state.zone import local_zone_name
from app.views.strings import tr
from app.views.widgets import error_line, heading, named_dropdown

QUIET_CHOICES = [("off", None), ("22-07", ("22:00", "07:00")), ("23-06", ("23:00", "06:00"))]


def quiet_hours(alerts: AlertsState, ui: UiState) -> ft.Control:
    """Hours without OS notifications or pushes (critical disruptions still come)."""
    page = ft.context.page
    current = alerts.subscriptions.quiet_hours
    chosen = next((k for k, hours in QUIET_CHOICES if hours == current), "off")

    def pick(key: str) -> None:
        hours = dict(QUIET_CHOICES).get(key)
        page.run_task(alerts.set_quiet_hours, hours, local_zone_name())

    dropdown = ft.Dropdown(
        label=tr(ui.locale, "quiet_hours"),
        value=chosen,
        options=[
            ft.DropdownOption(key=k, text=tr(ui.locale, f"quiet_{k}")) for k, _ in QUIET_CHOICES
        ],
        on_select=lambda e: pick(e.control.value or "off"),
    )
    return named_dropdown(dropdown, tr(ui.locale, "quiet_hours"))


@ft.component
def AlertsPanel(session: Session, alerts: AlertsState, ui: UiState) -> ft.Control:
    page = ft.context.page
    # A new key field after each key added: a rendered field is never changed.
    added, set_added = ft.use_state(0)

    async def add() -> None:
        if await alerts.add_key(key.value or ""):
            set_added(added + 1)
            await session.status.load()

    key = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "key_label"),
            hint_text=tr(ui.locale, "key_hint"),
            on_submit=lambda: page.run_task(add),
            expand=True,
            value="",
            key=f"alert-key-{added}",
        ),
        dependencies=[ui.locale, added],
    )

    async def toggle(component_id: str) -> None:
        await alerts.toggle_component(component_id)
        await session.status.load()

    async def remove(name: str) -> None:
        await alerts.remove_key(name)
        await session.status.load()

    chosen = set(alerts.subscriptions.components)
    controls: list[ft.Control] = [
        heading(ui, "alerts_title"),
        ft.Text(tr(ui.locale, "alerts_intro"), size=13),
    ]
    if alerts.sync_state == "pending":
        controls.append(ft.Text(tr(ui.locale, "alerts_pending"), size=13, italic=True))
    elif alerts.sync_state == "rejected":
        controls.append(ft.Text(tr(ui.locale, "alerts_rejected"), color=ft.Colors.ERROR))
    for group in session.status.groups:
        controls.append(ft.Text(group.name, theme_style=ft.TextThemeStyle.TITLE_SMALL))
        controls.append(
            ft.Row(
                [
                    ft.Checkbox(
                        label=c.name,
                        value=c.id in chosen,
                        on_change=lambda _, cid=c.id: page.run_task(toggle, cid),
                    )
                    for c in group.components
                ],
                wrap=True,
            )
        )
    controls.append(
        ft.Text(tr(ui.locale, "alerts_keys"), theme_style=ft.TextThemeStyle.TITLE_SMALL)
    )
    if alerts.subscriptions.keys:
        controls.append(
            ft.Row(
                [
                    ft.Chip(
                        label=ft.Text(name),
                        on_delete=lambda _, n=name: page.run_task(remove, n),
                        delete_icon_tooltip=tr(ui.locale, "remove_key", name=name),
                    )
                    for name in alerts.subscriptions.keys
                ],
                wrap=True,
            )
        )
    controls += [
        ft.Row(
            [key, ft.OutlinedButton(tr(ui.locale, "add_key"), on_click=lambda: page.run_task(add))],
        ),
        *error_line(ui, alerts.error),
        quiet_hours(alerts, ui),
    ]
    return ft.Card(ft.Container(ft.Column(controls, spacing=8), padding=16))
