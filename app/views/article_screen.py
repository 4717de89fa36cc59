"""One help article: rendered Markdown, 'Was this helpful?' (a vote counts at once, signed
in or not; after "No" an optional comment and a case about the article, or a callback),
when it was last updated, and one list of related articles."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

import flet as ft

from app.state.help import HelpState
from app.state.window import UiState
from app.views.context import use_window
from app.views.freshness import ArticleUpdated
from app.views.help_screen import article_tiles, contact_card, language_mark
from app.views.layout import form_column
from app.views.markdown import markdown
from app.views.shell import detail_view, missing_view
from app.views.strings import tr
from app.views.theme import GOOD
from app.views.widgets import error_line


def feedback_box(
    help_: HelpState,
    ui: UiState,
    comment: ft.TextField,
    asking: bool,
    set_asking: Callable[[bool], None],
) -> ft.Control:
    page = ft.context.page
    if help_.vote is not None and not asking:
        thanks = "thanks_queued" if help_.vote_pending else "thanks"
        return ft.Row(
            [
                ft.Icon(ft.Icons.CHECK, color=GOOD),
                ft.Text(tr(ui.locale, thanks), expand=True),
            ]
        )

    async def record(helpful: bool, text: str | None) -> None:
        """Store and send the vote; if the device refuses, say why and keep the comment
        box (with what was typed) open to send again."""
        await help_.give_feedback(helpful, text)
        if help_.vote_refused is not None and not helpful:
            set_asking(True)

    def vote(helpful: bool) -> None:
        # "No" counts at once too; the comment box that opens is optional.
        set_asking(not helpful)
        page.run_task(record, helpful, None)

    def send() -> None:
        set_asking(False)
        page.run_task(record, False, comment.value or "")

    if asking:
        controls: list[ft.Control] = [
            ft.Row(
                [
                    ft.Icon(ft.Icons.CHECK, color=GOOD),
                    ft.Text(tr(ui.locale, "thanks_comment"), expand=True),
                ]
            ),
            comment,
            ft.FilledButton(tr(ui.locale, "send"), on_click=send),
        ]
    else:
        controls = [
            ft.Text(tr(ui.locale, "helpful_question"), theme_style=ft.TextThemeStyle.TITLE_SMALL),
            ft.Row(
                [
                    ft.OutlinedButton(
                        tr(ui.locale, "yes"),
                        icon=ft.Icons.THUMB_UP_OUTLINED,
                        on_click=lambda: vote(True),
                    ),
                    ft.OutlinedButton(
                        tr(ui.locale, "no"),
                        icon=ft.Icons.THUMB_DOWN_OUTLINED,
                        on_click=lambda: vote(False),
                    ),
                ]
            ),
        ]
    controls += error_line(ui, help_.vote_refused)
    return form_column(controls, spacing=8)


def case_button(help_: HelpState, ui: UiState, comment: ft.TextField) -> ft.Control:
    """After a "No": a case about this article, its form filled in with the article and
    the comment typed (sent or not)."""
    page = ft.context.page

    def open_case() -> None:
        about = help_.ask_about_article(comment.value)
        if about is not None:
            page.navigate(f"/cases/new?{urlencode({'article': about.slug})}")

    return ft.FilledButton(
        tr(ui.locale, "article_case_button"),
        icon=ft.Icons.ADD_COMMENT_OUTLINED,
        on_click=open_case,
    )


@ft.component
def ArticleScreen(help_: HelpState, ui: UiState, slug: str) -> ft.View:
    page = ft.context.page
    sync = use_window().sync
    asking, set_asking = ft.use_state(False)
    # Kept across re-renders, so nothing typed is overwritten (see HelpScreen).
    comment = ft.use_memo(
        lambda: ft.TextField(
            label=tr(ui.locale, "comment_label"), multiline=True, min_lines=2, max_length=2000
        ),
        dependencies=[slug, ui.locale],
    )

    def opened() -> None:
        set_asking(False)  # another article: its own vote, no comment box yet
        page.run_task(help_.open_article, slug)

    ft.use_effect(opened, dependencies=[slug])
    article = help_.article
    if article is None or article.slug != slug:
        if help_.missing_slug == slug:
            return missing_view(
                ui,
                title_key="nav_help",
                message_key="article_missing",
                back_key="back_to_help",
                back_to="/help",
            )
        return detail_view(title=tr(ui.locale, "loading"), body=[ft.ProgressRing()])
    body: list[ft.Control] = [
        ft.Text(article.title, theme_style=ft.TextThemeStyle.HEADLINE_SMALL),
        # An article not translated into the customer's language says which one it is in.
        *language_mark(ui, article.locale),
        ArticleUpdated(article.updated_at, sync, ui),
        markdown(help_.body),
        ft.Divider(),
        feedback_box(help_, ui, comment, asking, set_asking),
    ]
    if help_.contact_after_vote or asking:
        body.append(contact_card(ui, open_case=case_button(help_, ui, comment)))
    if help_.related:
        body.append(ft.Text(tr(ui.locale, "related"), theme_style=ft.TextThemeStyle.TITLE_SMALL))
        body.extend(article_tiles(ui, help_.related))
    return detail_view(title=article.title, body=body)


@ft.component
def ArticleRoute() -> ft.View:
    window = use_window()
    slug = str(ft.use_route_params().get("slug", ""))
    return ArticleScreen(window.help, window.ui, slug)
