"""One case in the inbox: its thread, the reply box with "Insert article", status and
assignee. Ctrl+Enter sends the reply."""

from __future__ import annotations

import flet as ft

from app.console.state.cases import InboxState
from app.console.state.console import ConsoleUi
from app.console.strings import tr, when
from app.console.views.context import use_console
from app.console.views.widgets import dropdown
from app.schemas import CaseStatus, MessageAuthor
from app.schemas.console import InboxCase


def thread(case: InboxCase, locale: str) -> list[ft.Control]:
    first = ft.Text(
        f"{case.customer_email} · {when(locale, case.created_at)}\n{case.description}",
    )
    rows: list[ft.Control] = [
        ft.Container(first, padding=10, bgcolor=ft.Colors.SURFACE_CONTAINER_HIGH, border_radius=8)
    ]
    for message in case.messages:
        agent = message.author is MessageAuthor.agent
        who = message.author_name or (tr(locale, "agent") if agent else case.customer_email)
        rows.append(
            ft.Container(
                ft.Text(f"{who} · {when(locale, message.created_at)}\n{message.body}"),
                padding=10,
                border_radius=8,
                bgcolor=ft.Colors.PRIMARY_CONTAINER if agent else ft.Colors.SURFACE_CONTAINER_HIGH,
                margin=ft.Margin.only(left=48) if agent else ft.Margin.only(right=48),
            )
        )
    return rows


@ft.component
def ArticlePicker(inbox: InboxState, ui: ConsoleUi) -> ft.Control:
    page, locale = ft.context.page, ui.locale
    search = ft.use_memo(
        lambda: ft.TextField(
            label=tr(locale, "search_articles"),
            dense=True,
            expand=True,
            on_submit=lambda e: page.run_task(inbox.search_articles, e.control.value or ""),
        ),
        dependencies=[locale],
    )
    found = [
        ft.ListTile(
            title=ft.Text(a.title),
            subtitle=ft.Text(a.slug, size=12),
            dense=True,
            on_click=lambda _, a=a: inbox.insert(a),
        )
        for a in inbox.found
    ]
    return ft.Column(
        [
            ft.Row(
                [
                    search,
                    ft.OutlinedButton(
                        tr(locale, "insert_article"),
                        icon=ft.Icons.ARTICLE,
                        on_click=lambda: page.run_task(inbox.search_articles, search.value or ""),
                    ),
                ]
            ),
            *found,
        ],
        spacing=4,
    )


@ft.component
def CaseDetail(inbox: InboxState, ui: ConsoleUi, case: InboxCase) -> ft.Control:
    page, locale = ft.context.page, ui.locale
    console = use_console()
    reply = ft.use_memo(
        lambda: ft.TextField(
            label=tr(locale, "reply_label"),
            value=inbox.reply_text,
            # A new key for a new text (sent, or an article added): a new input, not the
            # old one that keeps what it held.
            key=f"reply-{case.id}-{inbox.reply_version}",
            multiline=True,
            min_lines=3,
            max_lines=10,
            expand=True,
            on_change=lambda e: setattr(inbox, "reply_text", e.control.value or ""),
        ),
        dependencies=[locale, case.id, inbox.reply_version],
    )
    after, set_after = ft.use_state(CaseStatus.pending.value)

    async def send() -> None:
        await inbox.reply(reply.value or "", CaseStatus(after))

    console.send_shortcut = lambda: page.run_task(send)
    staff = console.session.staff
    mine = staff is not None and case.assignee == staff.id
    assignee = case.assignee_name or tr(locale, "nobody")
    facts = [tr(locale, f"status_{case.status.value}"), case.category, case.channel]
    facts.append(f"{tr(locale, 'assignee')}: {assignee}")
    return ft.Column(
        [
            ft.Text(f"#{case.number} {case.subject}", theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            ft.Text(" · ".join(facts)),
            ft.Row(
                [
                    dropdown(
                        label=tr(locale, "case_status"),
                        value=case.status.value,
                        width=200,
                        dense=True,
                        options=[
                            ft.DropdownOption(key=s.value, text=tr(locale, f"status_{s.value}"))
                            for s in CaseStatus
                        ],
                        on_select=lambda e: page.run_task(
                            inbox.set_status, CaseStatus(e.control.value or case.status.value)
                        ),
                    ),
                    ft.OutlinedButton(
                        tr(locale, "unassign" if mine else "assign_to_me"),
                        icon=ft.Icons.PERSON_REMOVE if mine else ft.Icons.PERSON_ADD,
                        on_click=lambda: page.run_task(inbox.assign, not mine),
                    ),
                ],
                wrap=True,
            ),
            *thread(case, locale),
            ft.Row([reply]),  # as wide as the pane
            ArticlePicker(inbox, ui),
            ft.Row(
                [
                    ft.FilledButton(
                        tr(locale, "send_reply"),
                        icon=ft.Icons.SEND,
                        disabled=inbox.busy,
                        on_click=lambda: page.run_task(send),
                    ),
                    dropdown(
                        label=tr(locale, "then_status"),
                        value=after,
                        width=260,
                        dense=True,
                        options=[
                            ft.DropdownOption(key=s.value, text=tr(locale, f"status_{s.value}"))
                            for s in CaseStatus
                        ],
                        on_select=lambda e: set_after(e.control.value or after),
                    ),
                    ft.Text(tr(locale, "shortcut_hint"), size=12, italic=True),
                ],
                wrap=True,
            ),
        ],
        spacing=10,
        scroll=ft.ScrollMode.AUTO,
        expand=True,
    )
