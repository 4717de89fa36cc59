"""The Cases screen's state: the inbox with its filters, the selected case's thread,
replying (with an article inserted from the knowledge base), status and assignee."""

from __future__ import annotations

import flet as ft

from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas import Article, CaseStatus
from app.schemas.admin import AgentReplyIn, CaseStatusIn
from app.schemas.console import InboxCase

FILTERS = ("status", "category", "incident", "channel", "assignee", "waiting")
# The assignee filter's two choices that name nobody in particular, and how the hub
# spells "nobody".
MINE, UNASSIGNED = "mine", "unassigned"
HUB_UNASSIGNED = "none"


def article_snippet(article: Article, public_url: str) -> str:
    """What "Insert article" adds to a reply: the title, a link and the first lines."""
    summary = " ".join(article.body.replace("#", "").split())[:240]
    link = f"{public_url.rstrip('/')}/help/{article.slug}" if public_url else article.slug
    return f"{article.title}\n{link}\n{summary}"


class InboxState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._console = console
        self.filters: dict[str, str] = dict.fromkeys(FILTERS, "")
        self.items: list[InboxCase] = []
        self.selected: InboxCase | None = None
        self.error: Failure | None = None
        self.busy = False
        self.reply_version = 0  # a new number empties the reply box (sent)
        self.reply_text = ""  # what the reply box holds
        self.articles: list[Article] = []
        self.found: list[Article] = []  # "Insert article" search results
        self.searching = False
        self.public_url = ""  # the help centre's address, for links in replies

    def query(self) -> dict[str, str]:
        sent = dict(self.filters)
        staff = self._console.session.staff
        if sent.get("assignee") == MINE:
            sent["assignee"] = staff.id if staff is not None else ""
        elif sent.get("assignee") == UNASSIGNED:
            sent["assignee"] = HUB_UNASSIGNED
        sent["waiting"] = "true" if sent.get("waiting") else ""
        return sent

    async def load(self) -> None:
        self.busy = True
        page = await self._console.session.call(self, self._console.client.inbox(self.query()))
        self.busy = False
        if page is not None:
            self.items = page.items
            if self.selected is not None:
                self.selected = next((c for c in page.items if c.id == self.selected.id), None)

    async def set_filter(self, name: str, value: str) -> None:
        self.filters = {**self.filters, name: value}
        await self.load()

    async def select(self, case_id: str) -> None:
        found = await self._console.session.call(self, self._console.client.inbox_case(case_id))
        if found is not None:
            if self.selected is None or self.selected.id != found.id:
                self.reply_text, self.reply_version = "", self.reply_version + 1
            self.selected = found

    async def _refresh_selected(self) -> None:
        if self.selected is not None:
            await self.select(self.selected.id)
        await self.load()

    async def reply(self, body: str, status: CaseStatus | None) -> None:
        case, staff = self.selected, self._console.session.staff
        if case is None:
            return
        try:
            sent = AgentReplyIn(
                body=body.strip(), status=status, author_name=staff.name if staff else "Support"
            )
        except ValueError:
            self.error = Failure("empty_reply")
            return
        self.busy = True
        done = await self._console.session.call(self, self._console.client.reply(case.id, sent))
        self.busy = False
        if done is not None:
            self.reply_text, self.reply_version = "", self.reply_version + 1
            await self._refresh_selected()

    async def set_status(self, status: CaseStatus) -> None:
        if self.selected is None:
            return
        sent = CaseStatusIn(status=status)
        client = self._console.client
        if await self._console.session.call(self, client.set_case_status(self.selected.id, sent)):
            await self._refresh_selected()

    async def assign(self, to_me: bool) -> None:
        staff = self._console.session.staff
        if self.selected is None or staff is None:
            return
        client, case_id = self._console.client, self.selected.id
        await self._console.session.call(self, client.assign(case_id, staff.id if to_me else None))
        if self.error is None:
            await self._refresh_selected()

    async def search_articles(self, text: str) -> None:
        """Articles whose title or tags hold every word typed (any text is a query)."""
        if not self.articles:
            self.searching = True
            client, session = self._console.client, self._console.session
            found = await session.call(self, client.articles(self._console.ui.locale))
            self.articles = found or []
            snapshot = await session.call(self, client.status())
            self.public_url = snapshot.page.url if snapshot else ""
            self.searching = False
        words = text.casefold().split()
        self.found = [
            a
            for a in self.articles
            if all(w in f"{a.title} {' '.join(a.tags)}".casefold() for w in words)
        ][:8]

    def insert(self, article: Article) -> None:
        """Adds the article to what the reply box holds (re-created with it)."""
        snippet = article_snippet(article, self.public_url)
        self.reply_text = f"{self.reply_text.rstrip()}\n\n{snippet}".strip()
        self.reply_version += 1
        self.found = []
