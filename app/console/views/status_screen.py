"""Status: the active and scheduled incidents with their updates, the New incident form
(`incident_form`), and an update or resolution of each incident. Ctrl+Enter sends the
form that is open."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.session import SessionState
from app.console.state.status import StatusBoard, closing_status
from app.console.strings import tr, when
from app.console.views.context import use_console
from app.console.views.incident_form import IncidentForm
from app.console.views.shell import console_view, signed_in_load, who
from app.console.views.sign_in import failure_text
from app.console.views.widgets import dropdown, icon_button
from app.schemas import Incident, IncidentKind, IncidentStatus
from app.schemas.status import INCIDENT_STATUSES, MAINTENANCE_STATUSES


def statuses(incident: Incident) -> list[str]:
    maintenance = incident.kind is IncidentKind.maintenance
    chosen = MAINTENANCE_STATUSES if maintenance else INCIDENT_STATUSES
    return [s.value for s in IncidentStatus if s in chosen]


@ft.component
def UpdateForm(board: StatusBoard, ui: ConsoleUi, incident: Incident) -> ft.Control:
    page, locale = ft.context.page, ui.locale
    chosen, set_chosen = ft.use_state(incident.status.value)
    body = ft.use_memo(
        lambda: ft.TextField(label=tr(locale, "body_en"), multiline=True, min_lines=2, expand=True),
        dependencies=[locale, incident.id],
    )
    body_es = ft.use_memo(
        lambda: ft.TextField(label=tr(locale, "body_es"), multiline=True, min_lines=2, expand=True),
        dependencies=[locale, incident.id],
    )

    async def send(status: str | None = None) -> None:
        await board.update(
            incident, IncidentStatus(status or chosen), body.value or "", body_es.value or ""
        )

    console = use_console()
    ft.use_effect(
        lambda: setattr(console, "send_shortcut", lambda: page.run_task(send)),
        dependencies=[chosen],
    )
    return ft.Column(
        [
            dropdown(
                label=tr(locale, "new_status"),
                value=chosen,
                width=240,
                options=[
                    ft.DropdownOption(key=s, text=tr(locale, f"status_{s}"))
                    for s in statuses(incident)
                ],
                on_select=lambda e: set_chosen(e.control.value or chosen),
            ),
            ft.Row([body, body_es], vertical_alignment=ft.CrossAxisAlignment.START),
            ft.Row(
                [
                    ft.FilledButton(
                        tr(locale, "post_update"),
                        disabled=board.busy,
                        on_click=lambda: page.run_task(send),
                    ),
                    ft.OutlinedButton(
                        tr(locale, "resolve"),
                        disabled=board.busy,
                        on_click=lambda: page.run_task(send, closing_status(incident).value),
                    ),
                    ft.TextButton(tr(locale, "cancel"), on_click=lambda: board.open_update(None)),
                ],
                wrap=True,
            ),
        ],
        spacing=8,
    )


def incident_card(
    board: StatusBoard, ui: ConsoleUi, incident: Incident, manage: bool
) -> ft.Control:
    locale = ui.locale
    # An update's body is Markdown, drawn as customers see it; links are not followed here
    # (they name the customer app's screens).
    updates = [
        ft.Column(
            [
                ft.Text(
                    f"{tr(locale, f'status_{u.status.value}')} · {when(locale, u.created_at)}",
                    weight=ft.FontWeight.W_500,
                ),
                ft.Markdown(u.body, extension_set=ft.MarkdownExtensionSet.GITHUB_WEB),
            ],
            spacing=2,
        )
        for u in incident.updates
    ]
    window = (
        [
            ft.Text(
                tr(
                    locale,
                    "scheduled",
                    start=when(locale, incident.scheduled_for),
                    end=when(locale, incident.scheduled_until),
                )
            )
        ]
        if incident.scheduled_for
        else []
    )
    actions: list[ft.Control] = []
    if manage and board.updating == incident.id:
        actions = [UpdateForm(board, ui, incident)]
    elif manage:
        actions = [
            ft.TextButton(
                tr(locale, "update_or_resolve"),
                icon=ft.Icons.EDIT_NOTE,
                on_click=lambda: board.open_update(incident.id),
            )
        ]
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Text(incident.title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                    ft.Text(
                        f"{tr(locale, f'kind_{incident.kind.value}')} · "
                        f"{tr(locale, f'impact_{incident.impact.value}')} · "
                        f"{tr(locale, f'status_{incident.status.value}')}"
                    ),
                    *window,
                    *updates,
                    *actions,
                ],
                spacing=6,
            ),
            padding=16,
        )
    )


@ft.component
def StatusScreen(session: SessionState, ui: ConsoleUi, board: StatusBoard) -> ft.View:
    page, locale = ft.context.page, ui.locale
    console = use_console()
    ft.use_effect(lambda: signed_in_load(session, page, board.load), dependencies=[who(session)])
    manage = session.can("status")

    if board.composing:
        console.send_shortcut = lambda: page.run_task(
            board.publish if board.audience is not None else board.preview
        )
    elif board.updating is None:
        console.send_shortcut = None
    body: list[ft.Control] = [*failure_text(locale, board.error)]
    if board.published:
        body.append(
            ft.Text(tr(locale, "published", title=board.published), color=ft.Colors.PRIMARY)
        )
    head: list[ft.Control] = [
        icon_button(ft.Icons.REFRESH, tr(locale, "refresh"), lambda: page.run_task(board.load))
    ]
    if manage and not board.composing:
        head.insert(
            0,
            ft.FilledButton(
                tr(locale, "new_incident"), icon=ft.Icons.ADD, on_click=lambda: board.open_form()
            ),
        )
    body.append(ft.Row(head))
    if manage and board.composing:
        components = board.snapshot.components if board.snapshot else []
        body.append(IncidentForm(board, ui, components))
    incidents = board.incidents()
    if board.snapshot is not None and not incidents:
        body.append(ft.Text(tr(locale, "no_incidents")))
    body += [incident_card(board, ui, i, manage) for i in incidents]
    return console_view(
        "/status",
        tr(locale, "nav_status"),
        [ft.Column(body, expand=True, spacing=12, scroll=ft.ScrollMode.AUTO)],
    )


@ft.component
def StatusRoute() -> ft.View:
    console = use_console()
    return StatusScreen(console.session, console.ui, console.screen(StatusBoard))
