"""Help: search as you type (snippets with the matched words marked), or browse topics;
an active incident's articles first, and a way to contact us wherever self-service ends."""

from __future__ import annotations

from urllib.parse import quote

import flet as ft
from babel import Locale, UnknownLocaleError

from app.schemas.wording import CompanyWord
from app.state.help import HelpState, Link, case_subject, in_other_language
from app.state.window import UiState, WindowState
from app.store.records import SearchHit
from app.views.context import use_window
from app.views.freshness import HelpFreshness
from app.views.shell import shell
from app.views.strings import tr
from app.views.widgets import company_tr


def snippet_text(hit: SearchHit) -> ft.Text:
    return ft.Text(
        spans=[
            ft.TextSpan(text, style=ft.TextStyle(weight=ft.FontWeight.BOLD) if marked else None)
            for text, marked in hit.snippet
        ],
        max_lines=3,
        overflow=ft.TextOverflow.ELLIPSIS,
    )


def language_mark(ui: UiState, locale: str | None) -> list[ft.Control]:
    """ "In English" beside an article shown in another language than the customer's (one
    not translated yet); nothing for an article in the customer's language."""
    if locale is None or not in_other_language(locale, ui.locale):
        return []
    try:
        name = Locale.parse(ui.locale).languages.get(Locale.parse(locale).language, locale)
    except (ValueError, UnknownLocaleError):
        name = locale
    return [
        ft.Container(
            ft.Text(
                tr(ui.locale, "in_language", language=name),
                theme_style=ft.TextThemeStyle.LABEL_SMALL,
                color=ft.Colors.ON_SECONDARY_CONTAINER,
            ),
            bgcolor=ft.Colors.SECONDARY_CONTAINER,
            border_radius=8,
            padding=ft.Padding.symmetric(horizontal=6, vertical=2),
            key=f"language-mark-{locale}",
        )
    ]


def titled(
    ui: UiState, title: str, locale: str | None, weight: ft.FontWeight | None = None
) -> ft.Control:
    """An article's title, with its language mark when it is in another language."""
    text = ft.Text(title, weight=weight)
    mark = language_mark(ui, locale)
    return ft.Row([text, *mark], wrap=True, spacing=8) if mark else text


def contact_card(ui: UiState, subject: str = "", open_case: ft.Control | None = None) -> ft.Control:
    """ "Still need help?": open a case (its subject made from `subject`, or the way to a
    case `open_case` gives) or book a call."""
    page = ft.context.page
    words = case_subject(subject)
    case_route = f"/cases/new?subject={quote(words, safe='')}" if words else "/cases/new"
    return ft.Card(
        ft.Container(
            ft.Column(
                [
                    ft.Row(
                        [
                            ft.Icon(ft.Icons.SUPPORT_AGENT),
                            ft.Text(
                                tr(ui.locale, "contact_title"),
                                theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                            ),
                        ]
                    ),
                    ft.Text(tr(ui.locale, "contact_body")),
                    ft.Row(
                        [
                            open_case
                            or ft.FilledButton(
                                tr(ui.locale, "contact_open_case"),
                                icon=ft.Icons.ADD_COMMENT_OUTLINED,
                                on_click=lambda: page.navigate(case_route),
                            ),
                            ft.OutlinedButton(
                                tr(ui.locale, "book_callback"),
                                icon=ft.Icons.PHONE_CALLBACK_OUTLINED,
                                on_click=lambda: page.navigate("/callbacks/new"),
                            ),
                        ],
                        wrap=True,
                    ),
                ],
                spacing=8,
            ),
            padding=16,
        ),
        key="contact-card",
    )


def article_tiles(ui: UiState, links: list[Link]) -> list[ft.Control]:
    page = ft.context.page
    return [
        ft.ListTile(
            leading=ft.Icon(ft.Icons.ARTICLE_OUTLINED),
            title=titled(ui, link.title, link.locale),
            on_click=lambda _, slug=link.slug: page.navigate(f"/help/{slug}"),
        )
        for link in links
    ]


def incident_articles(help_: HelpState, ui: UiState) -> list[ft.Control]:
    """During an active incident, its articles come before anything else."""
    body: list[ft.Control] = []
    for incident in help_.incidents:
        body.append(
            ft.Row(
                [
                    ft.Icon(ft.Icons.WARNING_AMBER_ROUNDED, color=ft.Colors.ERROR),
                    ft.Text(
                        tr(ui.locale, "incident_help", title=incident.title),
                        theme_style=ft.TextThemeStyle.TITLE_MEDIUM,
                        expand=True,
                    ),
                ]
            )
        )
        body.extend(article_tiles(ui, incident.articles))
    return body


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
                title=titled(ui, hit.title, hit.locale, weight=ft.FontWeight.W_500),
                subtitle=snippet_text(hit),
                on_click=lambda _, slug=hit.slug: page.navigate(f"/help/{slug}"),
            )
            for hit in help_.results
        )
    elif not help_.categories:
        body.append(ft.Text(tr(ui.locale, "empty_help")))
    else:
        body.extend(incident_articles(help_, ui))
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
                title=titled(ui, a.title, a.locale),
                on_click=lambda _, slug=a.slug: page.navigate(f"/help/{slug}"),
            )
            for a in help_.category_articles
        )
    if help_.contact_here:
        body.append(contact_card(ui, help_.query))
    return ft.Column(body, spacing=8)


@ft.component
def HelpScreen(window: WindowState, ui: UiState) -> ft.View:
    """The Help screen. It is given the window state (not the help state itself), so typing and
    results re-render `HelpResults` only."""
    page = ft.context.page
    help_ = window.help

    def typed(e: ft.Event[ft.TextField]) -> None:
        page.run_task(help_.search, e.control.value or "")

    # One field for the screen's whole life: what the customer types lives in the browser
    # and is never overwritten by a re-render carrying an older query.
    field = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "search_help"),
            hint_text=company_tr(ui, CompanyWord.search_hint),
            value=help_.query,
            prefix_icon=ft.Icons.SEARCH,
            on_change=typed,
            autofocus=not ui.narrow,
            key="search-help",
        ),
        dependencies=[ui.locale, ui.wording],
    )
    return shell(
        ui=ui,
        selected=1,
        title=tr(ui.locale, "nav_help"),
        body=[field, HelpFreshness(help_, window.sync, ui), HelpResults(help_, ui)],
    )


@ft.component
def HelpRoute() -> ft.View:
    window = use_window()
    return HelpScreen(window, window.ui)
