"""A new case: topic, subject, description and files, with help articles that may answer
the question shown while the customer types. Offline, the case is saved and sent later.
What is typed is kept as a draft while the customer reads a suggested article."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import flet as ft

from app.state.account import AccountState
from app.state.case_drafts import new_case_key
from app.state.cases import GENERAL, CasesState
from app.state.window import UiState, WindowState
from app.store.records import CaseRecord
from app.views.context import route_query, use_window
from app.views.files import file_chips, file_errors, use_file_picker
from app.views.help_screen import titled
from app.views.layout import form_column
from app.views.shell import detail_view
from app.views.strings import tr
from app.views.widgets import (
    BookingRefInput,
    error_line,
    heading,
    named_dropdown,
    signed_in_only,
    tinted_box,
)


@ft.component
def FieldError(cases: CasesState, ui: UiState, field: str) -> ft.Control:
    return ft.Column(error_line(ui, cases.errors.get(field)))


@ft.component
def CaseBookingRef(
    cases: CasesState, ui: UiState, typed: dict[str, str], keep: Callable[[str], None]
) -> ft.Control:
    return BookingRefInput(cases.booking_field, ui, cases.errors.get("booking_ref"), typed, keep)


@ft.component
def Suggestions(cases: CasesState, ui: UiState) -> ft.Control:
    """Deflection: articles that match what is typed so far."""
    page = ft.context.page
    if not cases.suggestions:
        return ft.Column([])
    return tinted_box(
        ft.Column(
            [
                ft.Row([ft.Icon(ft.Icons.LIGHTBULB_OUTLINE), heading(ui, "suggestions_title")]),
                *(
                    ft.ListTile(
                        leading=ft.Icon(ft.Icons.ARTICLE_OUTLINED),
                        title=titled(ui, hit.title, hit.locale),
                        on_click=lambda _, slug=hit.slug: page.navigate(f"/help/{slug}"),
                        dense=True,
                    )
                    for hit in cases.suggestions
                ),
            ],
            spacing=4,
        ),
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


def follow_up_subject(ui: UiState, cases: CasesState, ref: str | None) -> str:
    """The subject of a case that follows up a closed one (by number or local id)."""
    if not ref:
        return ""
    earlier: CaseRecord | None = next(
        (c for c in cases.cases if ref in (str(c.number), c.local_id)), None
    )
    number = earlier.number if earlier and earlier.number else ref
    subject = tr(ui.locale, "follow_up_subject", number=number)
    return f"{subject}: {earlier.subject}"[:200] if earlier else subject


def article_start(window: WindowState, ui: UiState, slug: str | None) -> dict[str, str]:
    """The fields a case about an article that did not help starts with (the article the
    customer asked about: see HelpState.ask_about_article); none for another address."""
    about = window.help.case_about
    if not slug or about is None or about.slug != slug:
        return {}
    subject = tr(ui.locale, "article_case_subject", title=about.title)
    reference = tr(ui.locale, "article_case_reference", title=about.title, slug=about.slug)
    return window.cases.article_case(about, subject=subject, reference=reference)


@ft.component
def NewCaseForm(window: WindowState, ui: UiState) -> ft.Control:
    """The form's fields are made once (see HelpScreen) and never re-rendered by the
    state: only the children that show state are. Each field keeps its text in the
    form's draft as it is typed, and starts from it."""
    page = ft.context.page
    cases = window.cases
    query = dict(parse_qsl(urlsplit(page.route or "").query))
    draft = new_case_key(query)
    incident_id = query.get("incident")
    incident = next((i for i in window.status.active if i.id == incident_id), None)
    # A case from help starts with what was searched for or read (or, about an article
    # that did not help, with the article and what was said of it); a follow-up names
    # the case it follows.
    start = article_start(window, ui, query.get("article"))
    prefilled = (
        start.get("subject")
        or query.get("subject")
        or follow_up_subject(ui, cases, query.get("follow_up"))
    )

    def kept(name: str, default: str = "") -> str:
        return cases.drafts.field(draft, name, default)

    def keep(name: str, text: str | None) -> None:
        cases.drafts.put(draft, name, text or "")

    def typed(e: ft.Event[ft.TextField]) -> None:
        keep(str(e.control.data), e.control.value)
        text = subject.value or (description.value or "")[:200]
        page.run_task(cases.suggest, text)

    category = ft.use_memo(
        lambda: ft.Dropdown(
            label=tr(ui.locale, "category_label"),
            value=kept("category", start.get("category") or route_query("category") or GENERAL),
            options=[
                *(ft.DropdownOption(key=c.id, text=c.title) for c in cases.categories),
                ft.DropdownOption(key=GENERAL, text=tr(ui.locale, "category_general")),
            ],
            on_select=lambda e: keep("category", e.control.value),
        ),
        dependencies=[ui.locale, draft],
    )
    # From an incident, the customer says what their own question is about: the
    # incident's title is shown above, never made every customer's subject.
    subject = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "subject_label"),
            hint_text=tr(ui.locale, "subject_incident_hint") if incident else None,
            max_length=200,
            on_change=typed,
            value=kept("subject", prefilled),
            data="subject",
        ),
        dependencies=[ui.locale, draft],
    )
    reference: dict[str, str] = ft.use_memo(
        lambda: {"value": kept("booking_ref")}, dependencies=[draft]
    )
    description = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "description_label"),
            multiline=True,
            min_lines=4,
            max_lines=12,
            on_change=typed,
            value=kept("description", start.get("description", "")),
            data="description",
        ),
        dependencies=[ui.locale, draft],
    )
    busy, set_busy = ft.use_state(False)

    def opened() -> None:
        cases.start_case(draft)
        if subject.value or description.value:
            typed_again = subject.value or (description.value or "")[:200]
            page.run_task(cases.suggest, typed_again)

    ft.use_effect(opened, dependencies=[draft])

    async def send() -> None:
        set_busy(True)
        try:
            local_id = await cases.submit(
                subject=subject.value or "",
                description=description.value or "",
                category=category.value,
                incident_id=incident_id,
                draft=draft,
                booking_ref=reference.get("value", ""),
            )
        finally:
            set_busy(False)
        if local_id:
            # The case takes the form's place: Back from it does not return to the form.
            window.history.replace_next()
            page.navigate(f"/cases/{local_id}")

    return form_column(
        [
            *([ft.Text(tr(ui.locale, "about_incident", title=incident.title))] if incident else []),
            named_dropdown(category, tr(ui.locale, "category_label")),
            subject,
            FieldError(cases, ui, "subject"),
            CaseBookingRef(cases, ui, reference, lambda text: keep("booking_ref", text)),
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
    )


@ft.component
def NewCaseScreen(window: WindowState, account: AccountState, ui: UiState) -> ft.View:
    """Given the account (re-rendered on sign-in) but not the cases state, so the form's
    fields are not redrawn as the customer types."""
    where = ft.context.page.route or "/cases/new"
    body = signed_in_only(
        window, account, ui, "sign_in_for_cases", where, lambda: [NewCaseForm(window, ui)]
    )
    return detail_view(title=tr(ui.locale, "new_case"), body=body)


@ft.component
def NewCaseRoute() -> ft.View:
    window = use_window()
    return NewCaseScreen(window, window.account, window.ui)
