"""Status (home): disruptions that affect the customer, then every other one, services by
group (a troubled one leads to its incident), planned maintenance and recently resolved
incidents."""

from __future__ import annotations

import flet as ft

from app.schemas import Component, Incident
from app.state.relevance import Disruptions
from app.state.status import StatusState
from app.state.sync import SyncState
from app.state.window import UiState
from app.views.alerts_prompt import FirstRunAlertsOffer
from app.views.context import use_window
from app.views.incident_screen import headline, incident_icon
from app.views.shell import shell
from app.views.strings import tr, when
from app.views.theme import GOOD, IMPACT_COLORS, NEUTRAL, STATE_COLORS, STATE_ICONS


def disruption_card(incident: Incident, ui: UiState) -> ft.Control:
    """A banner for one disruption: colour and icon by impact, the latest update."""
    page = ft.context.page
    color = IMPACT_COLORS[incident.impact]
    # The first paragraph of the latest update, as one flowing line of plain text.
    latest = incident.updates[0].body.split("\n\n")[0] if incident.updates else ""
    latest = " ".join(latest.replace("**", "").split())
    return ft.Container(
        bgcolor=ft.Colors.with_opacity(0.12, color),
        border=ft.Border.all(1, color),
        border_radius=12,
        padding=16,
        content=ft.Column(
            [
                ft.Row(headline(incident, ui)),
                ft.Text(incident.title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                ft.Text(latest, max_lines=3, overflow=ft.TextOverflow.ELLIPSIS),
                ft.Row(
                    [
                        ft.Text(
                            when(ui.locale, incident.updated_at, ui.zone),
                            theme_style=ft.TextThemeStyle.BODY_SMALL,
                        ),
                        ft.FilledTonalButton(
                            tr(ui.locale, "see_details"),
                            on_click=lambda: page.navigate(f"/status/{incident.id}"),
                        ),
                    ],
                    alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
                    wrap=True,
                ),
            ],
            spacing=8,
        ),
    )


def incident_tile(incident: Incident, ui: UiState) -> ft.Control:
    page = ft.context.page
    period = (
        tr(
            ui.locale,
            "scheduled_for",
            start=when(ui.locale, incident.scheduled_for, ui.zone),
            end=when(ui.locale, incident.scheduled_until, ui.zone),
        )
        if incident.scheduled_for
        else when(ui.locale, incident.resolved_at or incident.started_at, ui.zone)
    )
    return ft.ListTile(
        leading=incident_icon(incident),
        title=ft.Text(incident.title),
        subtitle=ft.Text(f"{tr(ui.locale, 'status_' + incident.status.value)} · {period}"),
        on_click=lambda: page.navigate(f"/status/{incident.id}"),
    )


def section(title: str, controls: list[ft.Control]) -> ft.Control:
    return ft.Column(
        [ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM), *controls], spacing=8
    )


def notice(text: str, *, good: bool) -> ft.Control:
    """A line on a tinted box: the all-clear (green), or a neutral word about services."""
    color = GOOD if good else NEUTRAL
    return ft.Container(
        bgcolor=ft.Colors.with_opacity(0.12, color),
        border_radius=12,
        padding=16,
        content=ft.Row(
            [
                ft.Icon(ft.Icons.CHECK_CIRCLE if good else ft.Icons.INFO_OUTLINE, color=color),
                ft.Text(text, expand=True),
            ]
        ),
    )


def disruption_sections(shown: Disruptions, ui: UiState) -> list[ft.Control]:
    """What affects the customer first, then every other active disruption; the
    all-clear only when nothing is active anywhere."""
    if shown.all_clear:
        return [notice(tr(ui.locale, "all_operational"), good=True)]
    controls: list[ft.Control] = []
    if shown.following and (shown.affecting_you or shown.nothing_for_you):
        mine: list[ft.Control] = [disruption_card(i, ui) for i in shown.affecting_you]
        controls.append(
            section(
                tr(ui.locale, "affecting_you"), mine or [ft.Text(tr(ui.locale, "nothing_for_you"))]
            )
        )
    if shown.others:
        title = "other_disruptions" if shown.following else "disruptions"
        controls.append(
            section(tr(ui.locale, title), [disruption_card(i, ui) for i in shown.others])
        )
    if not (shown.affecting_you or shown.others):
        # Services in trouble without an incident (yet): never the all-clear.
        controls.append(notice(tr(ui.locale, "services_troubled"), good=False))
    return controls


def component_row(component: Component, incident_id: str | None, ui: UiState) -> ft.Control:
    """A service and its state; a troubled one leads to the incident about it."""
    page = ft.context.page
    state = tr(ui.locale, f"state_{component.status.value}")
    return ft.ListTile(
        leading=ft.Icon(STATE_ICONS[component.status], color=STATE_COLORS[component.status]),
        title=ft.Text(component.name),
        subtitle=ft.Text(state),
        trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT) if incident_id else None,
        on_click=(lambda: page.navigate(f"/status/{incident_id}")) if incident_id else None,
    )


@ft.component
def StatusScreen(status: StatusState, sync: SyncState, ui: UiState) -> ft.View:
    page = ft.context.page

    def refresh() -> None:
        page.run_task(status.refresh)

    body: list[ft.Control] = []
    updated = (
        tr(ui.locale, "last_updated", when=when(ui.locale, status.last_updated, ui.zone))
        if status.last_updated
        else tr(ui.locale, "never_updated")
    )
    body.append(
        ft.Row(
            [
                ft.Text(updated, theme_style=ft.TextThemeStyle.BODY_SMALL),
                *(
                    [ft.ProgressRing(width=16, height=16, stroke_width=2)]
                    if status.refreshing or sync.syncing
                    else []
                ),
            ],
        )
    )
    if status.loaded and not status.groups and not status.active:
        body.append(ft.Text(tr(ui.locale, "no_status")))
    body.append(FirstRunAlertsOffer())
    shown = status.disruptions
    if status.groups or status.active:
        body += disruption_sections(shown, ui)
    for group in status.groups:
        rows = [component_row(c, shown.incident_of.get(c.id), ui) for c in group.components]
        body.append(
            section(
                group.name or tr(ui.locale, "services"),
                [ft.Card(ft.Column(rows, spacing=0))],
            )
        )
    if status.maintenance:
        body.append(
            section(
                tr(ui.locale, "maintenance"), [incident_tile(i, ui) for i in status.maintenance]
            )
        )
    if status.recent:
        body.append(
            section(tr(ui.locale, "recent"), [incident_tile(i, ui) for i in status.recent[:5]])
        )
    return shell(
        ui=ui,
        selected=0,
        title=tr(ui.locale, "nav_status"),
        body=body,
        on_retry=refresh,
    )


@ft.component
def StatusRoute() -> ft.View:
    window = use_window()
    return StatusScreen(window.status, window.sync, window.ui)
