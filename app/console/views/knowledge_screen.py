"""Knowledge: each article's helpfulness, worst first, with what customers wrote on 'No'
votes; what customers searched for and did not find; the article editor
(`article_editor`) opened from a row, from a search gap, or as a new article."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.knowledge import KnowledgeState, helpful_share
from app.console.strings import tr, when
from app.console.views.article_editor import ArticleEditor
from app.console.views.context import use_console
from app.console.views.shell import console_view
from app.console.views.sign_in import failure_text
from app.console.views.widgets import icon_button
from app.schemas.console import ArticleHelpfulness, SearchGap

# Below this share of 'Yes' votes an article's number shows in the error colour.
POOR = 0.5


def heading(text: str) -> ft.Control:
    return ft.Text(text, theme_style=ft.TextThemeStyle.TITLE_MEDIUM)


def article_row(knowledge: KnowledgeState, row: ArticleHelpfulness, locale: str) -> ft.Control:
    page = ft.context.page
    share = helpful_share(row)
    percent = tr(locale, "helpful_percent", percent=round(share * 100)) if share is not None else ""
    votes = tr(locale, "votes", helpful=row.helpful, unhelpful=row.unhelpful)
    comments = [ft.Text(f"“{c}”", italic=True, size=13, selectable=True) for c in row.comments[:5]]
    return ft.Column(
        [
            ft.ListTile(
                title=ft.Text(f"{row.title} ({row.locale})"),
                subtitle=ft.Text(votes),
                trailing=ft.Text(
                    percent,
                    color=ft.Colors.ERROR if share is not None and share < POOR else None,
                    weight=ft.FontWeight.BOLD,
                ),
                dense=True,
                on_click=lambda: page.run_task(knowledge.open, row.locale, row.slug),
                tooltip=tr(locale, "edit_article"),
            ),
            *[ft.Container(c, padding=ft.Padding.only(left=24)) for c in comments],
        ],
        spacing=2,
    )


def gap_row(knowledge: KnowledgeState, gap: SearchGap, locale: str) -> ft.Control:
    return ft.ListTile(
        title=ft.Text(f"“{gap.query}” ({gap.locale})"),
        subtitle=ft.Text(
            tr(locale, "gap_count", count=gap.count, time=when(locale, gap.last_seen))
        ),
        trailing=ft.TextButton(
            tr(locale, "write_article"), on_click=lambda: knowledge.new_article(gap.query)
        ),
        dense=True,
    )


@ft.component
def KnowledgeScreen(ui: ConsoleUi, knowledge: KnowledgeState) -> ft.View:
    page, locale = ft.context.page, ui.locale
    ft.use_effect(lambda: page.run_task(knowledge.load), dependencies=[])
    articles = [article_row(knowledge, a, locale) for a in knowledge.articles]
    gaps = [gap_row(knowledge, g, locale) for g in knowledge.gaps]
    lists = ft.ListView(
        [
            heading(tr(locale, "helpfulness")),
            *(articles or [ft.Text(tr(locale, "no_votes"))]),
            ft.Divider(),
            heading(tr(locale, "search_gaps")),
            ft.Text(tr(locale, "search_gaps_help"), size=12),
            *(gaps or [ft.Text(tr(locale, "no_gaps"))]),
        ],
        spacing=4,
        expand=True,
    )
    top = ft.Row(
        [
            ft.FilledButton(
                tr(locale, "new_article"),
                icon=ft.Icons.ADD,
                on_click=lambda: knowledge.new_article(),
            ),
            icon_button(
                ft.Icons.REFRESH, tr(locale, "refresh"), lambda: page.run_task(knowledge.load)
            ),
        ]
    )
    editor: list[ft.Control] = (
        [ArticleEditor(knowledge, ui, knowledge.draft)] if knowledge.draft else []
    )
    if ui.narrow or not editor:
        main: ft.Control = ft.Column([*editor, lists], expand=True)
    else:
        main = ft.Row(
            [
                ft.Container(lists, expand=2),
                ft.VerticalDivider(width=1),
                ft.Container(ft.ListView(editor, expand=True), expand=3),
            ],
            expand=True,
            vertical_alignment=ft.CrossAxisAlignment.START,
        )
    body: list[ft.Control] = [top, *failure_text(locale, knowledge.error), main]
    return console_view("/knowledge", tr(locale, "nav_knowledge"), body)


@ft.component
def KnowledgeRoute() -> ft.View:
    console = use_console()
    return KnowledgeScreen(console.ui, console.screen(KnowledgeState))
