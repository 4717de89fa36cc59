"""Import knowledge-base articles from a folder of Markdown files with YAML front matter.

Front matter keys: title, slug, category, tags, locale, published. A file whose slug is
missing uses its file name; its locale defaults to the one given to the importer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection

from app.backend.crud import kb
from app.schemas import Category

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ArticleFile:
    path: Path
    slug: str
    locale: str
    title: str
    category: str
    tags: list[str]
    published: bool
    body: str


class FrontMatterError(ValueError):
    """A file that cannot be imported, with the reason."""


def parse_article(path: Path, *, default_locale: str = "en") -> ArticleFile:
    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    match = re.match(r"^---\s*\n(.*?)\n---\s*(?:\n|$)(.*)$", text, re.DOTALL)
    if match is None:
        raise FrontMatterError(f"{path}: no front matter (a '---' block at the top)")
    try:
        meta: Any = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise FrontMatterError(f"{path}: front matter is not valid YAML: {error}") from error
    if not isinstance(meta, dict):
        raise FrontMatterError(f"{path}: front matter must be a mapping")
    slug = str(meta.get("slug") or path.stem)
    if not SLUG.match(slug):
        raise FrontMatterError(f"{path}: slug {slug!r} must be lowercase words joined by '-'")
    for key in ("title", "category"):
        if not str(meta.get(key) or "").strip():
            raise FrontMatterError(f"{path}: front matter needs '{key}'")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [t.strip() for t in tags.split(",")]
    body = match.group(2).strip()
    if not body:
        raise FrontMatterError(f"{path}: the article has no body")
    return ArticleFile(
        path=path,
        slug=slug,
        locale=str(meta.get("locale") or default_locale),
        title=str(meta["title"]).strip(),
        category=str(meta["category"]).strip(),
        tags=[str(t) for t in tags],
        published=bool(meta.get("published", True)),
        body=body,
    )


@dataclass
class ImportReport:
    created_or_changed: int = 0
    unchanged: int = 0
    errors: list[str] | None = None


def import_folder(
    conn: Connection, folder: Path, *, locale: str | None = None, default_locale: str = "en"
) -> ImportReport:
    """Import every `*.md` below `folder` (only those in `locale`, if given); a bad file is
    reported and the rest imported. A file that does not say its language is in `locale`,
    else in `default_locale` (the company's). Categories not defined yet are created from
    their key."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder")
    report = ImportReport(errors=[])
    known = {(c.id, c.locale) for c in kb.list_categories(conn)}
    for path in sorted(folder.rglob("*.md")):
        try:
            article = parse_article(path, default_locale=locale or default_locale)
        except (FrontMatterError, UnicodeDecodeError) as error:
            assert report.errors is not None
            report.errors.append(str(error))
            continue
        if locale and article.locale != locale:
            continue
        if (article.category, article.locale) not in known:
            title = article.category.replace("-", " ").capitalize()
            kb.save_category(
                conn, category=Category(id=article.category, locale=article.locale, title=title)
            )
            known.add((article.category, article.locale))
        _saved, changed = kb.save_article(
            conn,
            slug=article.slug,
            locale=article.locale,
            title=article.title,
            body=article.body,
            category=article.category,
            tags=article.tags,
            published=article.published,
        )
        if changed:
            report.created_or_changed += 1
        else:
            report.unchanged += 1
    return report
