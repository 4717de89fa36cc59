"""The app's routes. Every screen has an address, so deep links work: `/status`,
`/status/<incident id>`, `/help`, `/help/<article slug>`, `/callbacks`, `/callbacks/new`,
`/callbacks/<id>`, `/cases`, `/cases/new`, `/cases/<id or number>`, `/account`."""

from __future__ import annotations

import flet as ft

from app.state.window import WindowState
from app.views.account_screen import AccountRoute
from app.views.article_screen import ArticleRoute
from app.views.book_callback_screen import BookCallbackRoute
from app.views.callback_screen import CallbackRoute
from app.views.callbacks_screen import CallbacksRoute
from app.views.case_screen import CaseRoute
from app.views.cases_screen import CasesRoute
from app.views.context import WindowContext, use_window
from app.views.help_screen import HelpRoute
from app.views.incident_screen import IncidentRoute
from app.views.new_case_screen import NewCaseRoute
from app.views.status_screen import StatusRoute
from app.views.strings import tr


@ft.component
def NotFound() -> ft.View:
    window = use_window()
    page = ft.context.page
    return ft.View(
        route=ft.use_view_path(),
        controls=[
            ft.Text(tr(window.ui.locale, "not_found"), theme_style=ft.TextThemeStyle.TITLE_LARGE),
            ft.FilledButton(
                tr(window.ui.locale, "go_home"), on_click=lambda: page.navigate("/status")
            ),
        ],
    )


@ft.component
def App(window: WindowState) -> ft.Control:
    return WindowContext(
        window,
        lambda: ft.Router(
            [
                # The home address shows Status at once (a redirect would cost a round trip
                # and leave a history entry that bounces back).
                ft.Route(index=True, component=StatusRoute),
                ft.Route(path="account", component=AccountRoute),
                ft.Route(
                    path="status",
                    component=StatusRoute,
                    children=[ft.Route(path=":id", component=IncidentRoute)],
                ),
                ft.Route(
                    path="help",
                    component=HelpRoute,
                    children=[ft.Route(path=":slug", component=ArticleRoute)],
                ),
                ft.Route(
                    path="callbacks",
                    component=CallbacksRoute,
                    children=[
                        ft.Route(path="new", component=BookCallbackRoute),
                        ft.Route(path=":id", component=CallbackRoute),
                    ],
                ),
                ft.Route(
                    path="cases",
                    component=CasesRoute,
                    children=[
                        ft.Route(path="new", component=NewCaseRoute),
                        ft.Route(path=":id", component=CaseRoute),
                    ],
                ),
            ],
            not_found=NotFound,
            manage_views=True,
        ),
    )
