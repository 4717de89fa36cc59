"""Audit log (admin only): who did what to what and when, newest first, narrowed to one
member of staff or one family of actions, with "Older" for the next page back."""

from __future__ import annotations

import flet as ft

from app.console.state.audit import FAMILIES, AuditState, detail_text
from app.console.state.console import ConsoleUi
from app.console.strings import tr, when
from app.console.views.context import use_console
from app.console.views.shell import console_view
from app.console.views.sign_in import failure_text
from app.console.views.widgets import dropdown, icon_button
from app.schemas.staff import AuditEntry

EVERYONE = "all"  # the filters' "no filter" key


def action_label(locale: str, action: str) -> str:
    """'Published an incident' for incident.publish; the action itself when the catalog
    has no words for it (one added to the hub after this console)."""
    said = tr(locale, f"action_{action.replace('.', '_')}")
    return action if said.startswith("action_") else said


def entry_row(audit: AuditState, entry: AuditEntry, locale: str) -> ft.Control:
    subject = audit.subject(entry)
    what = action_label(locale, entry.action)
    detail = detail_text(entry)
    lines: list[ft.Control] = [
        ft.Text(f"{what} · {subject}" if subject else what, weight=ft.FontWeight.BOLD),
        ft.Text(f"{audit.who(entry)} · {when(locale, entry.at)}", size=13),
    ]
    if detail:
        lines.append(ft.Text(detail, size=12, color=ft.Colors.ON_SURFACE_VARIANT))
    return ft.Container(ft.Column(lines, spacing=2), padding=ft.Padding.symmetric(vertical=6))


def filters(audit: AuditState, locale: str) -> ft.Control:
    page = ft.context.page
    members = [ft.DropdownOption(key=EVERYONE, text=tr(locale, "audit_everyone"))] + [
        ft.DropdownOption(key=m.id, text=m.name) for m in audit.members
    ]
    families = [ft.DropdownOption(key=EVERYONE, text=tr(locale, "audit_all_actions"))] + [
        ft.DropdownOption(key=f, text=tr(locale, f"family_{f}")) for f in FAMILIES
    ]

    def pick(value: str | None) -> str:
        return "" if value in (None, EVERYONE) else value

    return ft.Row(
        [
            # Each its own width: in a wrapping row a dropdown's row would take a line.
            ft.Container(
                dropdown(
                    label=tr(locale, "audit_member"),
                    value=audit.staff_id or EVERYONE,
                    width=260,
                    dense=True,
                    options=members,
                    on_select=lambda e: page.run_task(audit.choose_member, pick(e.control.value)),
                ),
                width=260,
            ),
            ft.Container(
                dropdown(
                    label=tr(locale, "audit_family"),
                    value=audit.family or EVERYONE,
                    width=240,
                    dense=True,
                    options=families,
                    on_select=lambda e: page.run_task(audit.choose_family, pick(e.control.value)),
                ),
                width=240,
            ),
            icon_button(ft.Icons.REFRESH, tr(locale, "refresh"), lambda: page.run_task(audit.load)),
        ],
        wrap=True,
    )


@ft.component
def AuditScreen(ui: ConsoleUi, audit: AuditState) -> ft.View:
    page, locale = ft.context.page, ui.locale
    ft.use_effect(lambda: page.run_task(audit.load), dependencies=[])
    rows: list[ft.Control] = []
    for entry in audit.entries:
        rows += [entry_row(audit, entry, locale), ft.Divider(height=1)]
    if not rows and not audit.busy:
        rows = [ft.Text(tr(locale, "audit_nothing"))]
    if audit.cursor is not None:
        rows.append(
            ft.Container(
                ft.OutlinedButton(
                    tr(locale, "audit_older"),
                    icon=ft.Icons.EXPAND_MORE,
                    disabled=audit.busy,
                    on_click=lambda: page.run_task(audit.older),
                ),
                padding=ft.Padding.symmetric(vertical=8),
            )
        )
    body: list[ft.Control] = [
        filters(audit, locale),
        *failure_text(locale, audit.error),
        ft.ListView(rows, spacing=0, expand=True),
    ]
    return console_view("/audit", tr(locale, "nav_audit"), body)


@ft.component
def AuditRoute() -> ft.View:
    console = use_console()
    return AuditScreen(console.ui, console.screen(AuditState))
