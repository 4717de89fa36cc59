"""The Account screen's alerts: which services, and which keys of the company's trade
(named as the company names them), the customer wants to hear about, how alerts arrive,
and a word confirming each change. Critical disruptions reach everyone."""

from __future__ import annotations

import flet as ft

from app.schemas.wording import CompanyWord
from app.state.alerts import AlertsState, Saved
from app.state.window import UiState, WindowState
from app.state.zone import zone_key
from app.views.layout import form_column
from app.views.strings import tr
from app.views.theme import GOOD
from app.views.widgets import company_tr, error_line, heading, named_dropdown

QUIET_CHOICES = [("off", None), ("22-07", ("22:00", "07:00")), ("23-06", ("23:00", "06:00"))]


def quiet_hours(alerts: AlertsState, ui: UiState) -> ft.Control:
    """Hours without OS notifications or pushes (critical disruptions still come)."""
    page = ft.context.page
    current = alerts.subscriptions.quiet_hours
    chosen = next((k for k, hours in QUIET_CHOICES if hours == current), "off")

    def pick(key: str) -> None:
        hours = dict(QUIET_CHOICES).get(key)
        page.run_task(alerts.set_quiet_hours, hours, zone_key(ui.zone))

    dropdown = ft.Dropdown(
        label=tr(ui.locale, "quiet_hours"),
        value=chosen,
        options=[
            ft.DropdownOption(key=k, text=tr(ui.locale, f"quiet_{k}")) for k, _ in QUIET_CHOICES
        ],
        on_select=lambda e: pick(e.control.value or "off"),
    )
    return named_dropdown(dropdown, tr(ui.locale, "quiet_hours"))


def arrival_text(alerts: AlertsState, ui: UiState) -> str:
    """How alerts reach this customer: on this device (also when the app is closed, in a
    browser with alerts turned on); never by email."""
    if not ui.web:
        return tr(ui.locale, "alerts_arrive_open")
    return tr(ui.locale, "alerts_arrive_closed" if alerts.on_this_device else "alerts_arrive_web")


def saved_line(
    window: WindowState, alerts: AlertsState, ui: UiState, area: str
) -> list[ft.Control]:
    """'Saved: you'll get alerts about …' below the part of the panel just changed, read
    out by screen readers as it appears."""
    saved: Saved | None = alerts.saved
    if saved is None or saved.area != area or alerts.error:
        return []
    if saved.area == "quiet":
        hours = alerts.subscriptions.quiet_hours
        choice = next((k for k, h in QUIET_CHOICES if h == hours and h), None)
        text = (
            tr(ui.locale, "alerts_saved_quiet", hours=tr(ui.locale, f"quiet_{choice}"))
            if choice
            else tr(ui.locale, "alerts_saved_quiet_off")
        )
    else:
        names = {c.id: c.name for g in window.status.groups for c in g.components}
        name = names.get(saved.subject, saved.subject)
        key = "alerts_saved_follow" if saved.following else "alerts_saved_unfollow"
        text = tr(ui.locale, key, name=name)
    line = ft.Row(
        [ft.Icon(ft.Icons.CHECK, color=GOOD, size=18), ft.Text(text, size=13, expand=True)]
    )
    return [ft.Semantics(content=line, live_region=True, container=True)]


def service_group(name: str, checkboxes: list[ft.Control]) -> ft.Control:
    """A group of services named by its title ('Airports'), each checkbox its own node."""
    return ft.Semantics(
        container=True,
        content=ft.Column(
            [
                ft.Text(name, theme_style=ft.TextThemeStyle.TITLE_SMALL),
                ft.Row(checkboxes, wrap=True),
            ],
            spacing=4,
        ),
    )


@ft.component
def AlertsPanel(window: WindowState, alerts: AlertsState, ui: UiState) -> ft.Control:
    page = ft.context.page
    # A new key field after each key added: a rendered field is never changed.
    added, set_added = ft.use_state(0)

    async def add() -> None:
        if await alerts.add_key(key.value or ""):
            set_added(added + 1)
            await window.status.load()

    key = ft.use_memo(
        lambda: ft.TextField(
            label=company_tr(ui, CompanyWord.key_label),
            hint_text=company_tr(ui, CompanyWord.key_hint),
            on_submit=lambda: page.run_task(add),
            value="",
            key=f"alert-key-{added}",
        ),
        dependencies=[ui.locale, ui.wording, added],
    )

    async def toggle(component_id: str) -> None:
        await alerts.toggle_component(component_id)
        await window.status.load()

    async def remove(name: str) -> None:
        await alerts.remove_key(name)
        await window.status.load()

    chosen = set(alerts.subscriptions.components)
    controls: list[ft.Control] = [
        heading(ui, "alerts_title"),
        ft.Text(tr(ui.locale, "alerts_intro"), size=13),
        ft.Row(
            [
                ft.Icon(ft.Icons.NOTIFICATIONS_OUTLINED, size=18),
                ft.Text(arrival_text(alerts, ui), size=13, expand=True),
            ]
        ),
    ]
    if alerts.sync_state == "pending":
        controls.append(ft.Text(tr(ui.locale, "alerts_pending"), size=13, italic=True))
    elif alerts.sync_state == "rejected":
        controls.append(ft.Text(tr(ui.locale, "alerts_rejected"), color=ft.Colors.ERROR))
    for group in window.status.groups:
        boxes: list[ft.Control] = [
            ft.Checkbox(
                label=c.name,
                value=c.id in chosen,
                on_change=lambda _, cid=c.id: page.run_task(toggle, cid),
            )
            for c in group.components
        ]
        controls.append(service_group(group.name or tr(ui.locale, "services"), boxes))
    controls += saved_line(window, alerts, ui, "services")
    controls.append(
        ft.Text(company_tr(ui, CompanyWord.alerts_keys), theme_style=ft.TextThemeStyle.TITLE_SMALL)
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
        # The field on a line of its own, its button below: beside the button, a phone
        # left the field too narrow for its label (in Spanish it broke over two lines).
        form_column(
            [key, ft.OutlinedButton(tr(ui.locale, "add_key"), on_click=lambda: page.run_task(add))],
            spacing=8,
        ),
        *error_line(ui, alerts.error),
        *saved_line(window, alerts, ui, "keys"),
        quiet_hours(alerts, ui),
        *saved_line(window, alerts, ui, "quiet"),
    ]
    # Not one semantic container: its texts, fields and checkboxes each keep their name.
    return ft.Card(
        ft.Container(ft.Column(controls, spacing=8), padding=16), semantic_container=False
    )
