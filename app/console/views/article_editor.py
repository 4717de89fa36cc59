"""The article editor: title, body (Markdown), category and tags of one translation,
saved with PUT; a new article also gets its address (slug) and language. A refused save
keeps the draft; the reason shows on the screen."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleUi
from app.console.state.knowledge import ArticleDraft, KnowledgeState
from app.console.strings import LANGUAGES, tr
from app.console.views.widgets import dropdown, icon_button


@ft.component
def ArticleEditor(knowledge: KnowledgeState, ui: ConsoleUi, draft: ArticleDraft) -> ft.Control:
    page, locale = ft.context.page, ui.locale

    def field(name: str, label: str, value: str, **more: object) -> ft.Control:
        return ft.TextField(
            label=label,
            value=value,
            dense=True,
            on_change=lambda e: knowledge.edit(**{name: e.control.value or ""}),
            **more,  # type: ignore[arg-type]
        )

    address: list[ft.Control] = []
    if draft.new:
        address = [
            ft.Row(
                [
                    dropdown(
                        label=tr(locale, "article_language"),
                        value=draft.locale,
                        width=160,
                        dense=True,
                        options=[ft.DropdownOption(key=k, text=v) for k, v in LANGUAGES.items()],
                        on_select=lambda e: knowledge.edit(locale=e.control.value or "en"),
                    ),
                    field("slug", tr(locale, "article_slug"), draft.slug, expand=True),
                ]
            )
        ]
    saved = [ft.Text(tr(locale, "saved"), color=ft.Colors.PRIMARY)] if knowledge.saved else []
    title = tr(locale, "new_article") if draft.new else f"{draft.slug} ({draft.locale})"
    return ft.Column(
        [
            ft.Row(
                [
                    ft.Text(title, theme_style=ft.TextThemeStyle.TITLE_MEDIUM, expand=True),
                    icon_button(ft.Icons.CLOSE, tr(locale, "close_editor"), knowledge.close),
                ]
            ),
            *address,
            field("title", tr(locale, "article_title"), draft.title),
            field("category", tr(locale, "article_category"), draft.category),
            field(
                "tags", tr(locale, "article_tags"), draft.tags, hint_text=tr(locale, "tags_hint")
            ),
            field(
                "body",
                tr(locale, "article_body"),
                draft.body,
                multiline=True,
                min_lines=8,
                max_lines=20,
            ),
            ft.Row(
                [
                    ft.FilledButton(
                        tr(locale, "save_article"),
                        icon=ft.Icons.SAVE,
                        disabled=knowledge.busy,
                        on_click=lambda: page.run_task(knowledge.save),
                    ),
                    *saved,
                ]
            ),
        ],
        spacing=10,
        # Fields as wide as the pane: an article's text needs the room.
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
