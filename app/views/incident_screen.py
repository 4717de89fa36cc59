"""One incident: its impact, the services it affects, the timeline of updates, related
help articles and what the customer can do."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

import flet as ft

from app.schemas import Incident, IncidentAction
from app.state.relevance import is_finished
from app.state.status import StatusState
from app.state.window import UiState
from app.views.context import use_window
from app.views.markdown import markdown
from app.views.shell import detail_view, missing_view
from app.views.strings import tr, when
from app.views.theme import GOOD, IMPACT_COLORS, IMPACT_ICONS, STATE_COLORS, STATE_ICONS

ACTION_ICONS = {
    "article": ft.Icons.ARTICLE,
    "callback": ft.Icons.PHONE_CALLBACK,
    "case": ft.Icons.ADD_COMMENT,
}


def action_route(incident: Incident, action: IncidentAction) -> str:
    """Where an incident's self-service action leads: an article, a callback booking for
    its queue, or a new case about the incident."""
    target = quote(action.target or "", safe="")
    if action.kind == "callback":
        return f"/callbacks/new?queue={target}" if target else "/callbacks/new"
    if action.kind == "case":
        category = f"&category={target}" if target else ""
        return f"/cases/new?incident={quote(incident.id, safe='')}{category}"
    return f"/help/{target}" if target else "/help"


def component_names(status: StatusState, ids: list[str]) -> list[str]:
    names = {c.id: c.name for g in status.groups for c in g.components}
    return [names.get(i, i) for i in ids]


def incident_icon(incident: Incident) -> ft.Icon:
    """Resolved and completed items look done (a green check), whatever their impact."""
    if is_finished(incident):
        return ft.Icon(ft.Icons.CHECK_CIRCLE_OUTLINE, color=GOOD)
    return ft.Icon(IMPACT_ICONS[incident.impact], color=IMPACT_COLORS[incident.impact])


def headline(incident: Incident, ui: UiState) -> list[ft.Control]:
    """Icon, impact in plain words (while it lasts) and the stage: 'Severe disruption ·
    We're watching it', or 'Fixed'."""
    stage = tr(ui.locale, f"status_{incident.status.value}")
    if is_finished(incident):
        return [incident_icon(incident), ft.Text(stage, weight=ft.FontWeight.BOLD)]
    impact = tr(ui.locale, f"impact_{incident.impact.value}")
    # One text, so a narrow screen wraps it as a sentence.
    words = ft.Text(
        spans=[
            ft.TextSpan(impact, style=ft.TextStyle(weight=ft.FontWeight.BOLD)),
            ft.TextSpan(f" · {stage}"),
        ],
        expand=True,
    )
    return [incident_icon(incident), words]


def affected_services(status: StatusState, ids: list[str], ui: UiState) -> ft.Control:
    """The services an incident touches and how each is now: plain text, not chips (a
    disabled chip reads as a disabled checkbox to a screen reader)."""
    known = {c.id: c for g in status.groups for c in g.components}
    rows: list[ft.Control] = []
    for component_id in ids:
        component = known.get(component_id)
        if component is None:
            rows.append(ft.Text(component_id))
            continue
        state = component.status
        rows.append(
            ft.Row(
                [
                    ft.Icon(STATE_ICONS[state], color=STATE_COLORS[state], size=18),
                    ft.Text(
                        f"{component.name}: {tr(ui.locale, f'state_{state.value}')}",
                        expand=True,
                    ),
                ]
            )
        )
    return ft.Column(rows, spacing=4)


@ft.component
def IncidentScreen(status: StatusState, ui: UiState, incident_id: str) -> ft.View:
    page = ft.context.page
    incident, set_incident = ft.use_state(cast("Incident | None", None))
    titles, set_titles = ft.use_state(cast("dict[str, str]", {}))
    loaded, set_loaded = ft.use_state(False)

    async def load() -> None:
        found = await status.incident(incident_id)
        set_incident(found)
        if found is not None:
            set_titles(await status.article_titles(found.articles, ui.locale))
        set_loaded(True)

    ft.use_effect(lambda: page.run_task(load), dependencies=[incident_id, status.last_updated])
    if not loaded:
        return detail_view(title=tr(ui.locale, "loading"), body=[ft.ProgressRing()])
    if incident is None:
        return missing_view(
            ui,
            title_key="nav_status",
            message_key="incident_missing",
            back_key="back_to_status",
            back_to="/status",
        )
    found = incident
    body: list[ft.Control] = [
        ft.Row(headline(found, ui)),
        ft.Text(found.title, theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
    ]
    if found.components:
        body.append(ft.Text(tr(ui.locale, "affected"), theme_style=ft.TextThemeStyle.TITLE_SMALL))
        body.append(affected_services(status, found.components, ui))
    routes = [(action, action_route(found, action)) for action in found.actions]
    if routes:
        body.append(
            ft.Text(tr(ui.locale, "what_you_can_do"), theme_style=ft.TextThemeStyle.TITLE_SMALL)
        )
        body.append(
            ft.Row(
                [
                    ft.FilledButton(
                        action.label,
                        icon=ACTION_ICONS.get(action.kind, ft.Icons.ARROW_FORWARD),
                        on_click=lambda _, to=route: page.navigate(to),
                    )
                    for action, route in routes
                ],
                wrap=True,
            )
        )
    body.append(ft.Text(tr(ui.locale, "timeline"), theme_style=ft.TextThemeStyle.TITLE_SMALL))
    for update in found.updates:
        body.append(
            ft.Card(
                ft.Container(
                    ft.Column(
                        [
                            ft.Text(
                                f"{tr(ui.locale, 'status_' + update.status.value)} · "
                                f"{when(ui.locale, update.created_at, ui.zone)}",
                                weight=ft.FontWeight.BOLD,
                            ),
                            markdown(update.body),
                        ],
                        spacing=4,
                    ),
                    padding=12,
                )
            )
        )
    if found.articles:
        body.append(
            ft.Text(tr(ui.locale, "related_articles"), theme_style=ft.TextThemeStyle.TITLE_SMALL)
        )
        body.extend(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.ARTICLE_OUTLINED),
                title=ft.Text(titles[slug]),
                on_click=lambda _, s=slug: page.navigate(f"/help/{s}"),
            )
            for slug in found.articles
            if slug in titles
        )
    return detail_view(title=found.title, body=body)


@ft.component
def IncidentRoute() -> ft.View:
    window = use_window()
    incident_id = str(ft.use_route_params().get("id", ""))
    return IncidentScreen(window.status, window.ui, incident_id)
