"""Following a hashtag on a Mastodon instance: its public hashtag timeline
(`GET /api/v1/timelines/tag/:hashtag`, no account needed), paged forward with `min_id`
(each page holds the statuses right after the cursor, newest first), as posts to ingest.

A status's `content` is HTML: it is reduced to its text as an email's HTML body is
(`html_to_text`: tags and scripts dropped, entities decoded) and is never rendered.
The author is not read. Statuses are stored under `source` "mastodon:<host>", so the same
status reached through two hashtags counts once.

A transport error, 429 or 5xx is `Unavailable` (with the wait the instance asked for,
from Retry-After or X-RateLimit-Reset, when it gave one); 404 (a hashtag nobody has used
yet) is an empty page; any other 4xx is `Refused`, such as 401 from an instance that lets
only signed-in users read hashtag timelines.

Written against Mastodon's documented requests and answers; it has not run against a
live instance from here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlsplit

import httpx
from pydantic import ValidationError

from app.backend.channels.mail_parse import html_to_text
from app.backend.settings import is_loopback_host
from app.schemas.warnings import POST_TEXT_ACCEPTED, PostIn

PAGE_LIMIT = 40  # the most a page holds (the API's maximum)
MAX_PAGES = 25  # pages read in one poll: a long backlog is read over several polls


class Unavailable(Exception):
    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Refused(Exception):
    pass


def instance_url(text: str) -> str:
    """The instance's base URL: https, or http to this machine only (a test server)."""
    parts = urlsplit(text.strip())
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host or parts.path.strip("/"):
        raise ValueError("an instance's address, such as https://mastodon.social")
    if parts.scheme == "http" and not is_loopback_host(host):
        raise ValueError("https (plain http only to this machine)")
    return f"{parts.scheme}://{parts.netloc}"


def hashtag(text: str) -> str:
    tag = text.strip().removeprefix("#")
    if not tag or not all(ch.isalnum() or ch == "_" for ch in tag):
        raise ValueError("a hashtag: letters, digits and _ (with or without #)")
    return tag


def status_post(status: dict[str, Any], source: str) -> PostIn | None:
    """The post a public status makes (its content warning and text); None for a status
    that is not public or not a status."""
    if status.get("visibility", "public") != "public":
        return None
    content = status.get("content")
    spoiler = status.get("spoiler_text") or ""
    if not isinstance(content, str) or not isinstance(spoiler, str):
        return None
    text = " ".join(part for part in (spoiler, html_to_text(content)) if part)
    try:
        return PostIn(
            id=str(status.get("id")),
            created_at=status.get("created_at"),
            text=text[:POST_TEXT_ACCEPTED],
            url=status.get("url") if isinstance(status.get("url"), str) else None,
            lang=status.get("language") if isinstance(status.get("language"), str) else None,
            source=source,
        )
    except ValidationError:
        return None


def newest(ids: list[str]) -> str:
    """The newest of status ids (numeric strings of any length)."""
    return max(ids, key=lambda i: (len(i), i))


def _wait(response: httpx.Response) -> float | None:
    """Seconds the instance asked to wait: Retry-After, else X-RateLimit-Reset."""
    after = response.headers.get("Retry-After")
    if after:
        try:
            return max(0.0, float(after))
        except ValueError:
            pass
    reset = response.headers.get("X-RateLimit-Reset")
    if reset:
        try:
            moment = datetime.fromisoformat(reset.replace("Z", "+00:00"))
            return max(0.0, (moment - datetime.now(UTC)).total_seconds())
        except ValueError:
            pass
    return None


@dataclass(frozen=True)
class Page:
    posts: list[PostIn]
    ids: list[str]  # every status's id, those skipped included
    skipped: int


def fetch_page(client: httpx.Client, tag: str, min_id: str | None) -> Page:
    """One page of the tag's timeline: the newest statuses, or those right after
    `min_id`."""
    params: dict[str, str | int] = {"limit": PAGE_LIMIT}
    if min_id is not None:
        params["min_id"] = min_id
    path = f"/api/v1/timelines/tag/{quote(tag, safe='')}"
    try:
        response = client.get(path, params=params)
    except httpx.HTTPError as error:
        raise Unavailable(f"unreachable: {error!r}") from error
    if response.status_code == 429 or response.status_code >= 500:
        raise Unavailable(f"answered {response.status_code}", _wait(response))
    if response.status_code == 404:  # a hashtag nobody has used yet
        return Page([], [], 0)
    if response.status_code >= 400:
        raise Refused(f"refused ({response.status_code}): {response.text[:200]}")
    try:
        statuses = response.json()
    except ValueError as error:
        raise Unavailable("answered something other than JSON") from error
    if not isinstance(statuses, list):
        raise Unavailable("answered JSON that is not a list of statuses")
    source = f"mastodon:{urlsplit(str(client.base_url)).hostname}"[:40]
    found = [s for s in statuses if isinstance(s, dict) and isinstance(s.get("id"), str)]
    posts = [post for s in found if (post := status_post(s, source)) is not None]
    return Page(posts, [s["id"] for s in found], len(statuses) - len(posts))


def poll(client: httpx.Client, tag: str, since_id: str | None) -> Iterator[Page]:
    """Pages of everything after `since_id`, oldest page first; without one, the newest
    page alone. Stops at a short page or after MAX_PAGES."""
    cursor = since_id
    for _ in range(MAX_PAGES):
        page = fetch_page(client, tag, cursor)
        yield page
        if cursor is None or len(page.ids) < PAGE_LIMIT:
            return
        cursor = newest(page.ids)


Sleep = Callable[[float], None]


@dataclass
class Follower:
    """Polls one tag every `every` seconds, handing each page's posts to `ingest`; waits
    what the instance asks after 429 or 5xx (else doubles its wait, up to 15 minutes)."""

    client: httpx.Client
    tag: str
    ingest: Callable[[list[PostIn]], None]
    since_id: str | None = None
    every: float = 60.0

    def once(self) -> int:
        """One poll; returns the statuses read. Raises Unavailable or Refused."""
        read = 0
        for page in poll(self.client, self.tag, self.since_id):
            if page.posts:
                self.ingest(page.posts)
            if page.ids:
                ids = page.ids + ([self.since_id] if self.since_id else [])
                self.since_id = newest(ids)
            read += len(page.ids)
        return read

    def run(
        self,
        sleep: Sleep,
        rounds: int | None = None,
        on_wait: Callable[[str, float], None] | None = None,
    ) -> None:
        """Poll until stopped (or `rounds` polls); Refused ends it."""
        backoff = self.every
        done = 0
        while rounds is None or done < rounds:
            done += 1
            try:
                self.once()
            except Unavailable as error:
                wait = error.retry_after if error.retry_after is not None else backoff
                backoff = min(backoff * 2, 900.0)
                if on_wait is not None:
                    on_wait(str(error), wait)
                sleep(max(wait, 1.0))
                continue
            backoff = self.every
            sleep(self.every)
