"""One incident: its impact, the services it affects, the timeline of updates, related
help articles and what the customer can do."""

from __future__ import annotations

from typing import cast
from urllib.parse import quote

import flet as ft

from app.schemas import Incident, IncidentAction
from app.state.session import UiState
from app.state.status import StatusState
from app.views.context import use_session
from app.views.markdown import markdown
from app.views.shell import detail_view, missing_view
from app.views.strings import tr, when
from app.views.theme import IMPACT_COLORS, IMPACT_ICONS

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
    color = IMPACT_COLORS[found.impact]
    body: list[ft.Control] = [
        ft.Row(
            [
                ft.Icon(IMPACT_ICONS[found.impact], color=color),
                ft.Text(
                    tr(ui.locale, f"impact_{found.impact.value}"),
                    weight=ft.FontWeight.BOLD,
                ),
                ft.Text("· " + tr(ui.locale, f"status_{found.status.value}")),
            ],
            wrap=True,
        ),
        ft.Text(found.title, theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
    ]
    if found.components:
        body.append(ft.Text(tr(ui.locale, "affected"), theme_style=ft.TextThemeStyle.TITLE_SMALL))
        body.append(
            ft.Row(
                [
                    ft.Chip(label=ft.Text(name))
                    for name in component_names(status, found.components)
                ],
                wrap=True,
            )
        )
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
                                f"{when(ui.locale, update.created_at)}",
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
    session = use_session()
    incident_id = str(ft.use_route_params().get("id", ""))
    return IncidentScreen(session.status, session.ui, incident_id)
