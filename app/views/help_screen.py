"""Help: search as you type (snippets with the matched words marked), or browse topics."""

from __future__ import annotations

import flet as ft

from app.state.help import HelpState, SearchHit
from app.state.session import Session, UiState
from app.views.context import use_session
from app.views.shell import shell
from app.views.strings import tr


def snippet_text(hit: SearchHit) -> ft.Text:
    return ft.Text(
        spans=[
            ft.TextSpan(text, style=ft.TextStyle(weight=ft.FontWeight.BOLD) if marked else None)
            for text, marked in hit.snippet
        ],
        max_lines=3,
        overflow=ft.TextOverflow.ELLIPSIS,
    )


@ft.component
def HelpResults(help_: HelpState, ui: UiState) -> ft.Control:
    """Everything below the search field; it alone re-renders as results arrive, so the
    field keeps its focus while the customer types."""
    page = ft.context.page

    def choose(category_id: str | None) -> None:
        page.run_task(help_.open_category, category_id)

    body: list[ft.Control] = []
    if help_.query.strip():
        if not help_.results:
            body.append(ft.Text(tr(ui.locale, "no_results", query=help_.query.strip())))
        body.extend(
            ft.ListTile(
                title=ft.Text(hit.title, weight=ft.FontWeight.W_500),
                subtitle=snippet_text(hit),
                on_click=lambda _, slug=hit.slug: page.navigate(f"/help/{slug}"),
            )
            for hit in help_.results
        )
    elif not help_.categories:
        body.append(ft.Text(tr(ui.locale, "empty_help")))
    else:
        body.append(
            ft.Text(tr(ui.locale, "categories"), theme_style=ft.TextThemeStyle.TITLE_MEDIUM)
        )
        selected = help_.category.id if help_.category else None
        body.append(
            ft.Row(
                [
                    ft.Chip(
                        label=ft.Text(c.title),
                        selected=c.id == selected,
                        on_select=lambda _, cid=c.id: choose(None if cid == selected else cid),
                    )
                    for c in help_.categories
                ],
                wrap=True,
            )
        )
        body.extend(
            ft.ListTile(
                leading=ft.Icon(ft.Icons.ARTICLE_OUTLINED),
                title=ft.Text(a.title),
                on_click=lambda _, slug=a.slug: page.navigate(f"/help/{slug}"),
            )
            for a in help_.category_articles
        )
    return ft.Column(body, spacing=8)


@ft.component
def HelpScreen(session: Session, ui: UiState) -> ft.View:
    """The Help screen. It is given the session (not the help state itself), so typing and
    results re-render `HelpResults` only."""
    page = ft.context.page
    help_ = session.help

    def typed(e: ft.Event[ft.TextField]) -> None:
        page.run_task(help_.search, e.control.value or "")

    # One field for the screen's whole life: what the customer types lives in the browser
    # and is never overwritten by a re-render carrying an older query.
    field = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "search_help"),
            hint_text=tr(ui.locale, "search_hint"),
            value=help_.query,
            prefix_icon=ft.Icons.SEARCH,
            on_change=typed,
            autofocus=not ui.narrow,
            key="search-help",
        ),
        dependencies=[ui.locale],
    )
    return shell(
        ui=ui,
        selected=1,
        title=tr(ui.locale, "nav_help"),
        body=[field, HelpResults(help_, ui)],
        on_retry=lambda: page.run_task(session.sync_now),
    )


@ft.component
def HelpRoute() -> ft.View:
    session = use_session()
    return HelpScreen(session, session.ui)
