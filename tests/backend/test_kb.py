"""Knowledge base: import from Markdown with front matter, public feed with tombstones."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from app.backend.db import Database
from app.backend.db.tables import articles
from app.backend.kb_import import FrontMatterError, import_folder, parse_article
from tests.support import Company


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ARTICLE = """---
title: Pets in the cabin
slug: pets-in-cabin
category: pets
tags: [Pets, dog, cat]
locale: en
published: true
---
## Rules
Small dogs and cats may travel in a carrier under the seat.
"""


def test_parse_article(tmp_path: Path) -> None:
    article = parse_article(write(tmp_path, "pets-in-cabin.md", ARTICLE))
    assert (article.slug, article.locale, article.category) == ("pets-in-cabin", "en", "pets")
    assert article.body.startswith("## Rules")
    assert article.tags == ["Pets", "dog", "cat"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("no front matter", "no front matter"),
        ("---\ntitle: [unclosed\n---\nbody", "not valid YAML"),
        ("---\n- a list\n---\nbody", "must be a mapping"),
        ("---\ntitle: T\ncategory: c\nslug: Bad Slug\n---\nbody", "slug"),
        ("---\ncategory: c\n---\nbody", "needs 'title'"),
        ("---\ntitle: T\ncategory: c\n---\n", "no body"),
    ],
)
def test_bad_files_are_explained(tmp_path: Path, text: str, reason: str) -> None:
    with pytest.raises(FrontMatterError, match=reason):
        parse_article(write(tmp_path, "bad.md", text))


def test_import_reports_bad_files_and_keeps_going(tmp_path: Path, db: Database) -> None:
    write(tmp_path, "en/pets-in-cabin.md", ARTICLE)
    write(
        tmp_path,
        "es/pets-in-cabin.md",
        ARTICLE.replace("locale: en", "locale: es").replace(
            "Pets in the cabin", "Mascotas en cabina"
        ),
    )
    write(tmp_path, "en/broken.md", "nothing here")
    with db.write() as conn:
        report = import_folder(conn, tmp_path)
    assert report.created_or_changed == 2
    assert report.errors is not None and "broken.md" in report.errors[0]
    with db.write() as conn:
        again = import_folder(conn, tmp_path)
        only_es = import_folder(conn, tmp_path, locale="es")
    assert (again.created_or_changed, again.unchanged) == (0, 2)
    assert (only_es.created_or_changed, only_es.unchanged) == (0, 1)


def test_an_article_that_does_not_say_its_language_is_in_the_companys(
    tmp_path: Path, db: Database
) -> None:
    write(tmp_path, "equipaje.md", ARTICLE.replace("locale: en\n", ""))
    with db.write() as conn:
        import_folder(conn, tmp_path, default_locale="es")
        [(locale,)] = conn.execute(select(articles.c.locale)).all()
    assert locale == "es"


async def test_kb_feed_is_public_paged_cacheable_with_tombstones(
    client: httpx.AsyncClient, company: Company, operator: dict[str, str]
) -> None:
    first = await client.get("/v1/kb/changes", params={"limit": 1})
    assert first.status_code == 200
    assert first.json()["has_more"] is True
    whole = await client.get("/v1/kb/changes")
    body = whole.json()
    assert {c["entity"] for c in body["changes"]} == {"article", "category"}
    assert whole.headers["cache-control"].startswith("public, max-age=15")
    cached = await client.get("/v1/kb/changes", headers={"If-None-Match": whole.headers["etag"]})
    assert cached.status_code == 304

    removed = await client.delete("/v1/admin/kb/articles/en/bag-fees", headers=operator)
    assert removed.status_code == 204
    saved = await client.put(
        "/v1/admin/kb/articles/en/new-one",
        headers=operator,
        json={"title": "New", "body": "Fresh.", "category": "baggage", "tags": ["X "]},
    )
    assert saved.json()["tags"] == ["x"]
    later = (await client.get("/v1/kb/changes", params={"cursor": body["cursor"]})).json()
    assert [(c["op"], c["id"]) for c in later["changes"]] == [
        ("delete", "en:bag-fees"),
        ("upsert", "en:new-one"),
    ]
    assert (
        await client.delete("/v1/admin/kb/articles/en/bag-fees", headers=operator)
    ).status_code == 404


async def test_articles_and_categories(
    client: httpx.AsyncClient, company: Company, db: Database, tmp_path: Path
) -> None:
    write(
        tmp_path,
        "es/lost-bag.md",
        ARTICLE.replace("locale: en", "locale: es")
        .replace("slug: pets-in-cabin", "slug: lost-bag")
        .replace("category: pets", "category: baggage"),
    )
    with db.write() as conn:
        import_folder(conn, tmp_path)
    article = await client.get("/v1/kb/articles/lost-bag")
    assert article.json()["title"] == "My bag did not arrive"
    spanish = await client.get("/v1/kb/articles/lost-bag", params={"locale": "es"})
    assert spanish.json()["locale"] == "es"
    assert (await client.get("/v1/kb/articles/nope")).status_code == 404
    bad_locale = await client.get("/v1/kb/articles/lost-bag", params={"locale": "'; drop"})
    assert bad_locale.status_code == 422
    listed = (await client.get("/v1/kb/articles", params={"locale": "en", "limit": 1})).json()
    assert len(listed["items"]) == 1 and listed["next_cursor"]
    rest = (
        await client.get(
            "/v1/kb/articles", params={"locale": "en", "cursor": listed["next_cursor"]}
        )
    ).json()
    assert rest["next_cursor"] is None
    assert {a["slug"] for a in listed["items"] + rest["items"]} == {"lost-bag", "bag-fees"}
    categories = (await client.get("/v1/kb/categories", params={"locale": "en"})).json()
    assert [c["id"] for c in categories["items"]] == ["baggage"]
