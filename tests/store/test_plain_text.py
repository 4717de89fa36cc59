"""Snippets are plain text: no Markdown table pipes or rule rows, heading marks, emphasis,
link targets, images, code fences or HTML, on the demo's own articles with tables."""

from __future__ import annotations

import re

from app.store import PublicStore
from app.store.plain_text import CELL_BREAK, plain_text
from app.store.ranking import snippet
from tests.store.kb_fixture import demo_articles

# What Markdown leaves behind when it is shown as text.
MARKUP = re.compile(r"\||-{3}|\*\*|^#|\]\(|!\[|```|<[a-z/]", re.MULTILINE)


def snippet_text(store: PublicStore, query: str, locale: str = "en") -> tuple[str, list[str]]:
    [hit, *_] = store.search.search(query, locale=locale, limit=1)
    return "".join(t for t, _ in hit.snippet), [t for t, marked in hit.snippet if marked]


def test_a_snippet_from_a_table_shows_its_cells_not_its_markdown(store: PublicStore) -> None:
    # damaged-baggage: "| Covered | Not covered (normal wear and tear) |" then "|---|---|".
    text, marked = snippet_text(store, "damaged baggage not covered wear and tear")
    assert "Covered" in text and "Not covered" in text
    assert not MARKUP.search(text), text
    assert CELL_BREAK.strip() in text, "cells stay apart"
    assert any(w.lower().startswith("cover") for w in marked)
    # checked-baggage-allowance: a fares table ("| Basic | 0 | 0 | 1 |").
    article = store.content.article("checked-baggage-allowance", "en")
    assert article is not None and "| Basic |" in article.body
    parts = snippet(article.body, {"basic", "flex", "stand"})
    text = "".join(t for t, _ in parts)
    assert f"Basic{CELL_BREAK}0" in text and not MARKUP.search(text), text
    assert {t for t, marked in parts if marked} >= {"Basic", "Flex", "Standard"}


def test_a_spanish_table_too(store: PublicStore) -> None:
    text, marked = snippet_text(store, "plazo de check-in", "es")
    assert marked and not MARKUP.search(text), text


def test_no_demo_article_leaves_markup_in_its_text() -> None:
    for article in demo_articles():
        text = plain_text(article.body)
        assert not MARKUP.search(text), (article.id, MARKUP.search(text))


def test_what_plain_text_keeps_and_drops() -> None:
    source = (
        "# Title #\n\nSome **bold**, _em_ and `code`; see [the form](/help/claim) or "
        "<https://example.com>.\n\n![A photo](bag.png)\n\n| A | B |\n|:--|--:|\n| 1 | |\n\n"
        "```\nfenced code\n```\n<p>Hi &amp; bye</p>\n> quoted\n- item\n\\*not emphasis\\* "
        "snake_case\n\n---\n[ref]: https://example.com"
    )
    assert " ".join(plain_text(source).split()) == (
        "Title Some bold, em and code; see the form or https://example.com. "
        f"A{CELL_BREAK}B 1 fenced code Hi & bye quoted item *not emphasis* snake_case"
    )
