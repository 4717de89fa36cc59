"""One case: its status, what the customer wrote, and the thread with the agents. Each of
the customer's messages shows whether it is waiting, sent or refused; a refused one can be
sent again or edited first. A reply being typed is kept while the customer looks
elsewhere; closing asks once more and sits with the case's details, away from "Send
reply"; a closed case says how to follow it up."""

from __future__ import annotations

import flet as ft

from app.schemas import MessageAuthor
from app.schemas.cases import agent_name, takes_replies
from app.state.case_drafts import reply_key
from app.state.cases import CasesState
from app.state.window import UiState, WindowState
from app.store.records import CaseRecord, MessageRecord
from app.views.cases_screen import case_label, case_status_chip
from app.views.context import use_window
from app.views.files import file_chips, file_errors, file_problem, thread_files, use_file_picker
from app.views.layout import form_column
from app.views.shell import detail_view, missing_view
from app.views.strings import tr, when
from app.views.widgets import (
    Handler,
    confirm_box,
    error_line,
    sync_marker,
    tinted_box,
    use_showing,
)


def message_state(ui: UiState, message: MessageRecord) -> list[ft.Control]:
    if message.author is MessageAuthor.agent:
        return []
    if message.state == "sent":
        return [
            ft.Row(
                [ft.Icon(ft.Icons.DONE_ALL, size=16), ft.Text(tr(ui.locale, "sent"), size=12)],
                spacing=4,
            )
        ]
    return sync_marker(ui, message.state, message.error)


@ft.component
def EditMessage(cases: CasesState, ui: UiState, message: MessageRecord) -> ft.Control:
    """A refused reply opened for editing, with its text to change."""
    page = ft.context.page
    field = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "edit_reply"), value=message.body, multiline=True, min_lines=2
        ),
        dependencies=[message.id],
    )
    return ft.Column(
        [
            field,
            ft.Row(
                [
                    ft.FilledButton(
                        tr(ui.locale, "send_again"),
                        on_click=lambda: page.run_task(cases.retry, message, field.value or ""),
                    ),
                    ft.TextButton(tr(ui.locale, "cancel_edit"), on_click=lambda: cases.edit(None)),
                ],
                wrap=True,
            ),
        ],
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def author_line(locale: str, message: MessageRecord) -> str:
    """Who wrote an agent's message: the agent's own name, or the company's word for its
    support team in the customer's language."""
    return agent_name(message.author_name) or tr(locale, "support_team")


def channel_line(locale: str, channel: str) -> str | None:
    """The small note under a message or description written by email (None: written in
    the app)."""
    return tr(locale, "by_email") if channel == "email" else None


def channel_mark(locale: str, channel: str) -> list[ft.Control]:
    """The note with its icon, or nothing."""
    written = channel_line(locale, channel)
    if written is None:
        return []
    icon = ft.Icon(ft.Icons.EMAIL_OUTLINED, size=14)
    return [ft.Row([icon, ft.Text(written, size=12, italic=True)], spacing=4)]


def bubble(cases: CasesState, ui: UiState, message: MessageRecord) -> ft.Control:
    page = ft.context.page
    mine = message.author is MessageAuthor.customer
    author = tr(ui.locale, "you") if mine else author_line(ui.locale, message)
    controls: list[ft.Control] = [
        ft.Text(
            f"{author} · {when(ui.locale, message.created_at, ui.zone)}",
            size=12,
            weight=ft.FontWeight.BOLD,
        ),
    ]
    if cases.editing == message.id:
        controls.append(EditMessage(cases, ui, message))
    else:
        controls.append(ft.Text(message.body))
    controls += channel_mark(ui.locale, message.channel)
    if message.attachments:
        controls.append(thread_files(ui, cases, message.attachments))
    controls += message_state(ui, message)
    if message.state == "failed" and cases.editing != message.id:
        controls.append(
            ft.Row(
                [
                    ft.TextButton(
                        tr(ui.locale, "send_again"),
                        icon=ft.Icons.REFRESH,
                        on_click=lambda: page.run_task(cases.retry, message),
                    ),
                    ft.TextButton(
                        tr(ui.locale, "edit"),
                        icon=ft.Icons.EDIT,
                        on_click=lambda: cases.edit(message.id),
                    ),
                ],
                wrap=True,
            )
        )
    # Indented from the side of the other party; the column bounds the width, so long
    # text wraps on a phone.
    return ft.Container(
        ft.Column(controls, spacing=4),
        bgcolor=ft.Colors.with_opacity(0.12, ft.Colors.PRIMARY if mine else ft.Colors.GREY),
        border_radius=12,
        padding=12,
        margin=ft.Margin.only(left=40) if mine else ft.Margin.only(right=40),
    )


def email_replies_switch(cases: CasesState, ui: UiState, case: CaseRecord) -> list[ft.Control]:
    """Agents' replies mailed to the customer too; nothing once the case is closed."""
    if not takes_replies(case.status):
        return []
    page = ft.context.page
    return [
        ft.Switch(
            label=tr(ui.locale, "email_replies_switch"),
            value=case.email_replies,
            on_change=lambda e: page.run_task(cases.set_email_replies, bool(e.control.value)),
        )
    ]


def close_case(cases: CasesState, ui: UiState, case: CaseRecord) -> list[ft.Control]:
    """Close the case, asked once more; nothing once it is closed."""
    page = ft.context.page
    if not takes_replies(case.status):
        return []
    if cases.confirm_close:
        return [
            confirm_box(
                question=tr(ui.locale, "close_case_confirm"),
                keep=tr(ui.locale, "keep_case_open"),
                on_keep=lambda: cases.ask_close(False),
                act=tr(ui.locale, "close_case"),
                on_act=lambda: page.run_task(cases.close_case),
            )
        ]
    return [
        ft.TextButton(
            tr(ui.locale, "close_case"),
            icon=ft.Icons.TASK_ALT,
            on_click=lambda: cases.ask_close(True),
        )
    ]


def follow_up(ui: UiState, case: CaseRecord) -> ft.Control:
    """A closed case takes no reply: the way on is a new case that names this one."""
    page = ft.context.page
    ref = str(case.number) if case.number else case.local_id
    return tinted_box(
        ft.Column(
            [
                ft.Row(
                    [
                        ft.Icon(ft.Icons.LOCK_OUTLINE),
                        ft.Text(tr(ui.locale, "case_closed_follow_up"), expand=True),
                    ]
                ),
                ft.FilledButton(
                    tr(ui.locale, "open_follow_up"),
                    icon=ft.Icons.ADD_COMMENT,
                    on_click=lambda: page.navigate(f"/cases/new?follow_up={ref}"),
                ),
            ],
            spacing=12,
        )
    )


@ft.component
def CaseThread(cases: CasesState, ui: UiState) -> ft.Control:
    case = cases.current
    if case is None:
        return ft.Column([])
    controls: list[ft.Control] = [
        ft.Row(
            [ft.Text(case_label(ui, case)), case_status_chip(ui, case.status)],
            wrap=True,
        ),
        ft.Text(case.subject, theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
        *sync_marker(ui, case.sync_state, case.error),
        ft.Text(case.description),
        *channel_mark(ui.locale, case.channel),
    ]
    if case.attachments:
        controls.append(thread_files(ui, cases, case.attachments))
    controls += file_problem(ui, cases)
    controls += close_case(cases, ui, case)
    controls += email_replies_switch(cases, ui, case)
    controls.append(ft.Divider())
    if not case.messages:
        controls.append(ft.Text(tr(ui.locale, "no_replies_yet"), italic=True))
    controls += [bubble(cases, ui, m) for m in case.messages]
    return ft.Column(controls, spacing=12)


@ft.component
def ReplyExtras(cases: CasesState, ui: UiState) -> ft.Control:
    """The reply box's files and errors, which change with the state."""
    pick = use_file_picker(lambda picked: cases.add_files(picked, reply=True))
    return ft.Column(
        [
            *error_line(ui, cases.reply_error),
            file_chips(
                ui,
                [f.filename for f in cases.reply_files],
                lambda index: cases.remove_file(index, reply=True),
            ),
            *file_errors(ui, cases.file_errors),
            ft.IconButton(
                ft.Icons.ATTACH_FILE, tooltip=tr(ui.locale, "attach_files"), on_click=pick
            ),
        ],
        spacing=4,
    )


@ft.component
def CaseScreen(window: WindowState, ui: UiState, case_id: str) -> ft.View:
    page = ft.context.page
    cases = window.cases
    # The case this screen has loaded: another case's address (a live update's link)
    # shows "loading" until its own is there, never the previous case's title.
    loaded_id, set_loaded_id = ft.use_state("")
    loaded = loaded_id == case_id
    # A new reply field after each sent reply: a rendered field is never changed.
    sent, set_sent = ft.use_state(0)

    async def load() -> None:
        await cases.open_case(case_id)
        set_loaded_id(case_id)

    ft.use_effect(lambda: page.run_task(load), dependencies=[case_id])
    shown = cases.current if loaded else None
    # By the state, not this render's record: a case opened in this window gets the hub's
    # id (which its updates name) while its screen shows it.
    use_showing(window.notices, cases if loaded else None)
    draft = reply_key(shown.local_id) if shown else None

    def typed(e: ft.Event[ft.TextField]) -> None:
        if draft is not None:
            cases.drafts.put(draft, "body", e.control.value or "")

    reply = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "reply_label"),
            multiline=True,
            min_lines=2,
            value=cases.drafts.field(draft, "body") if draft else "",
            on_change=typed,
            # A new key makes the browser drop the sent text with the old field.
            key=f"reply-{sent}",
        ),
        dependencies=[ui.locale, sent, draft],
    )

    async def send() -> None:
        if await cases.reply(reply.value or ""):
            set_sent(sent + 1)

    if not loaded:
        return detail_view(title=tr(ui.locale, "loading"), body=[ft.ProgressRing()])
    if cases.current is None:
        return missing_view(
            ui,
            title_key="nav_cases",
            message_key="case_missing",
            back_key="back_to_cases",
            back_to="/cases",
        )
    return detail_view(
        title=cases.current.subject,
        body=[CaseThread(cases, ui), ReplyBox(cases, ui, reply, lambda: page.run_task(send))],
    )


@ft.component
def ReplyBox(cases: CasesState, ui: UiState, reply: ft.TextField, on_send: Handler) -> ft.Control:
    """The reply box while the case takes replies (a solved one reopens with a reply);
    once closed, the way to follow it up."""
    case = cases.current
    if case is None:
        return ft.Column([])
    if not takes_replies(case.status):
        return follow_up(ui, case)
    hint = (
        [ft.Text(tr(ui.locale, "case_solved_hint"), italic=True)] if case.status == "solved" else []
    )
    return form_column(
        [
            *hint,
            reply,
            ReplyExtras(cases, ui),
            ft.FilledButton(tr(ui.locale, "send_reply"), icon=ft.Icons.SEND, on_click=on_send),
        ]
    )


@ft.component
def CaseRoute() -> ft.View:
    window = use_window()
    case_id = str(ft.use_route_params().get("id", ""))
    return CaseScreen(window, window.ui, case_id)
