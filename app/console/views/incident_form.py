"""The New incident form: template, title and body in English and Spanish side by side,
impact, kind (a maintenance has its window), components by group, subscription keys;
then the audience preview, then Publish. Ctrl+Enter previews, then publishes."""

from __future__ import annotations

from collections import defaultdict

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.status import Draft, StatusBoard
from app.console.strings import tr
from app.console.views.widgets import dropdown
from app.schemas import Component, Impact, IncidentKind


def text_field(
    board: StatusBoard, name: str, label: str, *, multiline: bool = False
) -> ft.TextField:
    draft: Draft = board.draft
    return ft.TextField(
        label=label,
        value=str(getattr(draft, name)),
        multiline=multiline,
        min_lines=3 if multiline else None,
        max_lines=8 if multiline else None,
        expand=True,
        on_change=lambda e: board.typed(name, e.control.value or ""),
    )


def component_groups(
    board: StatusBoard, components: list[Component], locale: str
) -> list[ft.Control]:
    groups: dict[str, list[Component]] = defaultdict(list)
    for component in sorted(components, key=lambda c: c.position):
        groups[component.group or tr(locale, "services")].append(component)
    return [
        ft.Column(
            [
                ft.Text(group, weight=ft.FontWeight.BOLD),
                *(
                    ft.Checkbox(
                        label=c.name,
                        value=c.id in board.draft.components,
                        on_change=lambda e, cid=c.id: board.toggle_component(
                            cid, bool(e.control.value)
                        ),
                    )
                    for c in members
                ),
            ],
            spacing=0,
        )
        for group, members in groups.items()
    ]


def preview(board: StatusBoard, locale: str) -> list[ft.Control]:
    audience = board.audience
    if audience is None:
        return []
    lines: list[ft.Control] = [
        ft.Text(
            tr(
                locale,
                "audience",
                customers=audience.customers,
                devices=audience.devices,
                push=audience.push_devices,
            ),
            weight=ft.FontWeight.BOLD,
        )
    ]
    for item in audience.previews:
        lines.append(ft.Text(f"[{item.locale}] {item.title} — {item.body}"))
    return [
        ft.Container(
            ft.Column(lines, spacing=4),
            padding=12,
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            border_radius=8,
        )
    ]


@ft.component
def IncidentForm(board: StatusBoard, ui: ConsoleUi, components: list[Component]) -> ft.Control:
    page, locale = ft.context.page, ui.locale
    draft = board.draft
    fields = ft.use_memo(
        lambda: {
            "title": text_field(board, "title", tr(locale, "title_en")),
            "title_es": text_field(board, "title_es", tr(locale, "title_es")),
            "body": text_field(board, "body", tr(locale, "body_en"), multiline=True),
            "body_es": text_field(board, "body_es", tr(locale, "body_es"), multiline=True),
            "keys": text_field(board, "keys", tr(locale, "keys"), multiline=True),
            "starts": text_field(board, "starts", tr(locale, "window_start")),
            "ends": text_field(board, "ends", tr(locale, "window_end")),
        },
        dependencies=[locale, board.form_version],
    )
    templates = (
        [
            dropdown(
                label=tr(locale, "template"),
                width=320,
                options=[
                    ft.DropdownOption(key=t.id, text=t.name or t.title) for t in board.templates
                ],
                on_select=lambda e: board.use_template(e.control.value or ""),
            )
        ]
        if board.templates
        else []
    )
    choices = ft.Row(
        [
            dropdown(
                label=tr(locale, "impact"),
                value=draft.impact.value,
                width=200,
                options=[
                    ft.DropdownOption(key=i.value, text=tr(locale, f"impact_{i.value}"))
                    for i in Impact
                ],
                on_select=lambda e: board.edit(impact=Impact(e.control.value or "minor")),
            ),
            ft.RadioGroup(
                value=draft.kind.value,
                on_change=lambda e: board.edit(kind=IncidentKind(e.control.value or "incident")),
                content=ft.Row(
                    [
                        ft.Radio(value=k.value, label=tr(locale, f"kind_{k.value}"))
                        for k in IncidentKind
                    ]
                ),
            ),
        ],
        wrap=True,
    )
    window = (
        [ft.Row([fields["starts"], fields["ends"]])]
        if draft.kind is IncidentKind.maintenance
        else []
    )
    previewed = board.audience is not None
    buttons = ft.Row(
        [
            ft.OutlinedButton(
                tr(locale, "preview"),
                icon=ft.Icons.PREVIEW,
                disabled=board.busy,
                on_click=lambda: page.run_task(board.preview),
            ),
            ft.FilledButton(
                tr(locale, "publish"),
                icon=ft.Icons.CAMPAIGN,
                disabled=board.busy or not previewed,
                on_click=lambda: page.run_task(board.publish),
            ),
            ft.TextButton(tr(locale, "cancel"), on_click=board.close_form),
            ft.Text(tr(locale, "shortcut_hint"), size=12, italic=True),
        ],
        wrap=True,
    )
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Text(tr(locale, "new_incident"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
                    *templates,
                    ft.Row([fields["title"], fields["title_es"]]),
                    ft.Row(
                        [fields["body"], fields["body_es"]],
                        vertical_alignment=ft.CrossAxisAlignment.START,
                    ),
                    choices,
                    *window,
                    ft.Text(tr(locale, "components")),
                    ft.Row(
                        component_groups(board, components, locale),
                        wrap=True,
                        vertical_alignment=ft.CrossAxisAlignment.START,
                        spacing=24,
                    ),
                    fields["keys"],
                    *preview(board, locale),
                    buttons,
                ],
                spacing=10,
            ),
            padding=16,
        )
    )
