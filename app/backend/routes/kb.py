"""Public knowledge base: change feed, articles, categories."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from app.backend.caching import cached_json, encode
from app.backend.crud import changes, kb
from app.backend.deps import HubDep, client_address, counted_address
from app.backend.routes.sync import FEED_PAGE, FeedCursor, FeedLimit
from app.schemas import Article, ArticleVote, Category, ChangeFeed, Page

router = APIRouter(prefix="/v1/kb", tags=["knowledge base"])
Locale = Annotated[str | None, Query(max_length=16, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]


@router.get("/changes", response_model=ChangeFeed)
def kb_changes(
    request: Request,
    hub: HubDep,
    cursor: FeedCursor = None,
    limit: FeedLimit = FEED_PAGE,
) -> Response:
    """Articles and categories changed after `cursor`, with tombstones for removed ones."""
    with hub.db.read() as conn:
        feed = changes.read_feed(
            conn, cursor=cursor, limit=limit, customer_id=None, entities=changes.KB_ENTITIES
        )
    return cached_json(request, encode(feed.model_dump(mode="json")))


@router.get("/articles", response_model=Page[Article])
def list_articles(
    hub: HubDep,
    locale: Locale = None,
    cursor: Annotated[str | None, Query(max_length=220)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[Article]:
    with hub.db.read() as conn:
        items, next_cursor = kb.list_articles(conn, locale=locale, after=cursor, limit=limit)
    return Page[Article](items=items, next_cursor=next_cursor)


@router.get("/articles/{slug}", response_model=Article)
def get_article(slug: str, hub: HubDep, locale: Locale = None) -> Article:
    with hub.db.read() as conn:
        return kb.get_article(conn, article_ref=slug, locale=locale or "en")


@router.get("/categories", response_model=Page[Category])
def list_categories(hub: HubDep, locale: Locale = None) -> Page[Category]:
    """All categories (a short list: one page)."""
    with hub.db.read() as conn:
        return Page[Category](items=kb.list_categories(conn, locale=locale))


@router.post("/feedback", status_code=204, response_class=Response)
def vote(body: ArticleVote, request: Request, hub: HubDep) -> Response:
    """'Was this helpful?': counted at once, no account needed. One vote per voter and
    article (a later one, with or without a comment, replaces it); the voter is kept only
    as a hash. Limited per address (an app server on this machine: per voter key)."""
    limit = hub.settings.votes_per_client
    address = counted_address(request)
    if address is not None:
        hub.limiter.hit("votes", address, limit)
    if body.voter is not None:
        hub.limiter.hit("votes-voter", body.voter, limit)
    with hub.db.write() as conn:
        kb.record_vote(conn, vote=body, address=client_address(request))
    return Response(status_code=204)
