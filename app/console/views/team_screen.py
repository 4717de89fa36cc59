"""Team (admin only): add a member of staff (email, name, role), and for each member their
role, whether they may sign in and when they last did, with a new role, deactivate or
reactivate, and "End sign-ins" (deactivating and ending sign-ins are asked once more in
the member's row). A refused add keeps what was typed; the hub's reason
shows on the screen."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.team import Asked, Done, TeamState
from app.console.strings import tr, when
from app.console.views.context import use_console
from app.console.views.shell import console_view
from app.console.views.sign_in import failure_text
from app.console.views.widgets import dropdown, icon_button
from app.schemas.staff import StaffMember, StaffRole


def role_options(locale: str) -> list[ft.DropdownOption]:
    return [ft.DropdownOption(key=r.value, text=tr(locale, f"role_{r.value}")) for r in StaffRole]


def done_text(locale: str, done: Done | None) -> list[ft.Control]:
    if done is None:
        return []
    said = tr(locale, f"team_done_{done.what}", name=done.member, count=done.count)
    return [ft.Text(said, color=ft.Colors.PRIMARY)]


def add_form(team: TeamState, locale: str) -> ft.Control:
    page, new = ft.context.page, team.new

    def field(name: str, label: str, value: str, **more: object) -> ft.Control:
        return ft.TextField(
            label=label,
            value=value,
            dense=True,
            error=tr(locale, f"team_wrong_{name}") if name in team.wrong else None,
            on_change=lambda e: team.type_new(**{name: e.control.value or ""}),
            on_submit=lambda: page.run_task(team.add),
            **more,  # type: ignore[arg-type]
        )

    return ft.Column(
        [
            ft.Text(tr(locale, "team_add"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM),
            ft.Row(
                [
                    field(
                        "email",
                        tr(locale, "team_email"),
                        new.email,
                        width=280,
                        keyboard_type=ft.KeyboardType.EMAIL,
                    ),
                    field("name", tr(locale, "team_name"), new.name, width=220),
                    # Its own width: in a wrapping row the dropdown's row would take a line.
                    ft.Container(
                        dropdown(
                            label=tr(locale, "team_role"),
                            value=new.role.value,
                            width=190,
                            dense=True,
                            options=role_options(locale),
                            on_select=lambda e: team.choose_role(e.control.value or "agent"),
                        ),
                        width=190,
                    ),
                    ft.FilledButton(
                        tr(locale, "team_add_button"),
                        icon=ft.Icons.PERSON_ADD_ALT,
                        disabled=team.busy,
                        on_click=lambda: page.run_task(team.add),
                    ),
                ],
                wrap=True,
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        spacing=8,
    )


def state_line(locale: str, member: StaffMember) -> str:
    state = tr(locale, "team_deactivated" if member.disabled else "team_active")
    last = (
        tr(locale, "team_last_sign_in", time=when(locale, member.last_sign_in_at))
        if member.last_sign_in_at
        else tr(locale, "team_never_signed_in")
    )
    return f"{member.email} · {state} · {last}"


# Per asked action: the question, and the button that does it.
ASKED: dict[Asked, tuple[str, str]] = {
    "deactivate": ("team_confirm_deactivate", "team_deactivate"),
    "end_sign_ins": ("team_confirm_end_sign_ins", "team_end_sign_ins"),
}


def asked(team: TeamState, member: StaffMember, what: Asked, locale: str) -> ft.Control:
    """The row asks before deactivating or ending sign-ins: Cancel (first, filled) keeps
    everything as it was; the action itself is a plain button in the error colour."""
    page, (question, act) = ft.context.page, ASKED[what]
    return ft.Row(
        [
            ft.Text(tr(locale, question, name=member.name), color=ft.Colors.ERROR),
            ft.FilledButton(tr(locale, "cancel"), on_click=team.cancel),
            ft.TextButton(
                tr(locale, act),
                disabled=team.busy,
                style=ft.ButtonStyle(color=ft.Colors.ERROR),
                on_click=lambda: page.run_task(team.confirm),
            ),
        ],
        tight=True,
        spacing=8,
        wrap=True,
    )


def member_row(team: TeamState, member: StaffMember, locale: str) -> ft.Control:
    page, mine = ft.context.page, member.id == team.me
    role = tr(locale, f"role_{member.role.value}")
    if mine:  # a new role or deactivating would end the sign-in in use
        actions: list[ft.Control] = [ft.Text(f"{role} · {tr(locale, 'team_you')}")]
    else:
        switch = (
            ft.TextButton(
                tr(locale, "team_reactivate"),
                icon=ft.Icons.PERSON_OUTLINE,
                on_click=lambda: page.run_task(team.reactivate, member),
            )
            if member.disabled
            else ft.TextButton(
                tr(locale, "team_deactivate"),
                icon=ft.Icons.PERSON_OFF_OUTLINED,
                on_click=lambda: team.ask(member, "deactivate"),
            )
        )
        actions = [
            dropdown(
                label=tr(locale, "team_role_of", name=member.name),
                value=member.role.value,
                width=190,
                dense=True,
                options=role_options(locale),
                on_select=lambda e: page.run_task(team.set_role, member, e.control.value or ""),
            ),
            switch,
            ft.TextButton(
                tr(locale, "team_end_sign_ins"),
                icon=ft.Icons.LOGOUT,
                tooltip=tr(locale, "team_end_sign_ins_help", name=member.name),
                on_click=lambda: team.ask(member, "end_sign_ins"),
            ),
        ]
    asking = team.asking
    if asking is not None and asking.member == member.id:
        actions = [asked(team, member, asking.what, locale)]
    name = ft.Text(
        member.name,
        weight=ft.FontWeight.BOLD,
        color=ft.Colors.ON_SURFACE_VARIANT if member.disabled else None,
    )
    return ft.Container(
        ft.Row(
            [
                ft.Column(
                    [name, ft.Text(state_line(locale, member), size=13)], spacing=2, expand=True
                ),
                ft.Row(actions, tight=True, spacing=4, wrap=True),
            ],
            vertical_alignment=ft.CrossAxisAlignment.CENTER,
        ),
        padding=ft.Padding.symmetric(vertical=6, horizontal=4),
    )


@ft.component
def TeamScreen(ui: ConsoleUi, team: TeamState) -> ft.View:
    page, locale = ft.context.page, ui.locale
    ft.use_effect(lambda: page.run_task(team.load), dependencies=[])
    rows: list[ft.Control] = []
    for member in team.members:
        rows += [member_row(team, member, locale), ft.Divider(height=1)]
    heading = ft.Row(
        [
            ft.Text(
                tr(locale, "team_members", count=len(team.members)),
                theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                expand=True,
            ),
            icon_button(ft.Icons.REFRESH, tr(locale, "refresh"), lambda: page.run_task(team.load)),
        ]
    )
    body: list[ft.Control] = [
        add_form(team, locale),
        *done_text(locale, team.done),
        *failure_text(locale, team.error),
        ft.Divider(),
        heading,
        ft.ListView(rows, spacing=0, expand=True),
    ]
    return console_view("/team", tr(locale, "nav_team"), body)


@ft.component
def TeamRoute() -> ft.View:
    console = use_console()
    return TeamScreen(console.ui, console.screen(TeamState))
