"""A new case: topic, subject, description and files, with help articles that may answer
the question shown while the customer types. Offline, the case is saved and sent later."""

from __future__ import annotations

import flet as ft

from app.state.account import AccountState
from app.state.cases import GENERAL, CasesState
from app.state.session import Session, UiState
from app.views.context import route_query, use_session
from app.views.shell import detail_view
from app.views.strings import tr
from app.views.widgets import (
    error_line,
    file_chips,
    file_errors,
    heading,
    named_dropdown,
    sign_in_prompt,
    use_file_picker,
)


@ft.component
def FieldError(cases: CasesState, ui: UiState, field: str) -> ft.Control:
    return ft.Column(error_line(ui, cases.errors.get(field)))


@ft.component
def Suggestions(cases: CasesState, ui: UiState) -> ft.Control:
    """Deflection: articles that match what is typed so far."""
    page = ft.context.page
    if not cases.suggestions:
        return ft.Column([])
    return ft.Container(
        ft.Column(
            [
                ft.Row([ft.Icon(ft.Icons.LIGHTBULB_OUTLINE), heading(ui, "suggestions_title")]),
                *(
                    ft.ListTile(
                        leading=ft.Icon(ft.Icons.ARTICLE_OUTLINED),
                        title=ft.Text(hit.title),
                        on_click=lambda _, slug=hit.slug: page.navigate(f"/help/{slug}"),
                        dense=True,
                    )
                    for hit in cases.suggestions
                ),
            ],
            spacing=4,
        ),
        bgcolor=ft.Colors.with_opacity(0.08, ft.Colors.PRIMARY),
        border_radius=12,
        padding=12,
    )


@ft.component
def PickedFiles(cases: CasesState, ui: UiState) -> ft.Control:
    pick = use_file_picker(cases.add_files)
    return ft.Column(
        [
            ft.Row(
                [
                    ft.OutlinedButton(
                        tr(ui.locale, "attach_files"), icon=ft.Icons.ATTACH_FILE, on_click=pick
                    ),
                    ft.Text(tr(ui.locale, "attachments_hint"), size=12),
                ],
                wrap=True,
            ),
            file_chips(ui, [f.filename for f in cases.files], cases.remove_file),
            *file_errors(ui, cases.file_errors),
            *error_line(ui, cases.errors.get("files")),
        ],
        spacing=8,
    )


@ft.component
def NewCaseForm(session: Session, ui: UiState) -> ft.Control:
    """The form's fields are made once (see HelpScreen) and never re-rendered by the
    state: only the children that show state are."""
    page = ft.context.page
    cases = session.cases
    incident_id = route_query("incident")
    incident = next((i for i in session.status.active if i.id == incident_id), None)

    def typed(_: ft.Event[ft.TextField]) -> None:
        text = subject.value or (description.value or "")[:200]
        page.run_task(cases.suggest, text)

    category = ft.use_memo(
        lambda: ft.Dropdown(
            label=tr(ui.locale, "category_label"),
            value=route_query("category") or GENERAL,
            options=[
                *(ft.DropdownOption(key=c.id, text=c.title) for c in cases.categories),
                ft.DropdownOption(key=GENERAL, text=tr(ui.locale, "category_general")),
            ],
        ),
        dependencies=[ui.locale],
    )
    subject = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "subject_label"),
            max_length=200,
            on_change=typed,
            value=incident.title if incident else (route_query("subject") or ""),
        ),
        dependencies=[ui.locale],
    )
    description = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "description_label"),
            multiline=True,
            min_lines=4,
            max_lines=12,
            on_change=typed,
        ),
        dependencies=[ui.locale],
    )
    busy, set_busy = ft.use_state(False)
    ft.use_effect(cases.start_case, dependencies=[])

    async def send() -> None:
        set_busy(True)
        try:
            local_id = await cases.submit(
                subject=subject.value or "",
                description=description.value or "",
                category=category.value,
                incident_id=incident_id,
            )
        finally:
            set_busy(False)
        if local_id:
            page.navigate(f"/cases/{local_id}")

    return ft.Column(
        [
            *([ft.Text(tr(ui.locale, "about_incident", title=incident.title))] if incident else []),
            named_dropdown(category, tr(ui.locale, "category_label")),
            subject,
            FieldError(cases, ui, "subject"),
            description,
            FieldError(cases, ui, "description"),
            Suggestions(cases, ui),
            PickedFiles(cases, ui),
            # Not saved (the device is full or read-only): everything above stays as typed.
            FieldError(cases, ui, "form"),
            ft.FilledButton(
                tr(ui.locale, "send_case"),
                icon=ft.Icons.SEND,
                disabled=busy,
                on_click=lambda: page.run_task(send),
            ),
        ],
        spacing=12,
    )


@ft.component
def NewCaseScreen(session: Session, account: AccountState, ui: UiState) -> ft.View:
    """Given the account (re-rendered on sign-in) but not the cases state, so the form's
    fields are not redrawn as the customer types."""
    if account.customer is None:
        where = ft.context.page.route or "/cases/new"
        body: list[ft.Control] = [sign_in_prompt(session, ui, "sign_in_for_cases", where)]
    else:
        body = [NewCaseForm(session, ui)]
    return detail_view(title=tr(ui.locale, "new_case"), body=body)


@ft.component
def NewCaseRoute() -> ft.View:
    session = use_session()
    return NewCaseScreen(session, session.account, session.ui)
