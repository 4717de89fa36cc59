"""Status (home): disruptions that concern the customer, services by group, planned
maintenance and recently resolved incidents."""

from __future__ import annotations

import flet as ft

from app.schemas import Incident
from app.state.session import UiState
from app.state.status import StatusState
from app.state.sync import SyncState
from app.views.alerts_prompt import FirstRunAlertsOffer
from app.views.context import use_session
from app.views.shell import shell
from app.views.strings import tr, when
from app.views.theme import GOOD, IMPACT_COLORS, IMPACT_ICONS, STATE_COLORS, STATE_ICONS


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
                ft.Row(
                    [
                        ft.Icon(IMPACT_ICONS[incident.impact], color=color),
                        ft.Text(
                            tr(ui.locale, f"impact_{incident.impact.value}"),
                            weight=ft.FontWeight.BOLD,
                        ),
                        ft.Text("· " + tr(ui.locale, f"status_{incident.status.value}")),
                    ],
                    wrap=True,
                ),
                ft.Text(incident.title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                ft.Text(latest, max_lines=3, overflow=ft.TextOverflow.ELLIPSIS),
                ft.Row(
                    [
                        ft.Text(
                            when(ui.locale, incident.updated_at),
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
            start=when(ui.locale, incident.scheduled_for),
            end=when(ui.locale, incident.scheduled_until),
        )
        if incident.scheduled_for
        else when(ui.locale, incident.resolved_at or incident.started_at)
    )
    return ft.ListTile(
        leading=ft.Icon(IMPACT_ICONS[incident.impact], color=IMPACT_COLORS[incident.impact]),
        title=ft.Text(incident.title),
        subtitle=ft.Text(f"{tr(ui.locale, 'status_' + incident.status.value)} · {period}"),
        on_click=lambda: page.navigate(f"/status/{incident.id}"),
    )


def section(title: str, controls: list[ft.Control]) -> ft.Control:
    return ft.Column(
        [ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM), *controls], spacing=8
    )


@ft.component
def StatusScreen(status: StatusState, sync: SyncState, ui: UiState) -> ft.View:
    page = ft.context.page

    def refresh() -> None:
        page.run_task(status.refresh)

    body: list[ft.Control] = []
    updated = (
        tr(ui.locale, "last_updated", when=when(ui.locale, status.last_updated))
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
    if status.banner:
        body.append(
            section(tr(ui.locale, "disruptions"), [disruption_card(i, ui) for i in status.banner])
        )
    elif status.groups:
        body.append(
            ft.Container(
                bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.GREEN),
                border_radius=12,
                padding=16,
                content=ft.Row(
                    [
                        ft.Icon(ft.Icons.CHECK_CIRCLE, color=GOOD),
                        ft.Text(tr(ui.locale, "all_operational"), expand=True),
                    ]
                ),
            )
        )
    for group in status.groups:
        body.append(
            section(
                group.name or tr(ui.locale, "services"),
                [
                    ft.Card(
                        ft.Column(
                            [
                                ft.ListTile(
                                    leading=ft.Icon(
                                        STATE_ICONS[c.status], color=STATE_COLORS[c.status]
                                    ),
                                    title=ft.Text(c.name),
                                    subtitle=ft.Text(tr(ui.locale, f"state_{c.status.value}")),
                                )
                                for c in group.components
                            ],
                            spacing=0,
                        )
                    )
                ],
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
    session = use_session()
    return StatusScreen(session.status, session.sync, session.ui)
