"""Which live updates the customer is told about, once each: a disruption that concerns
them, an agent's reply, a callback completed or missed. Every window shows them as an
in-app banner and badge; on a desktop with a notification service an OS notification is
sent too, except in quiet hours (critical disruptions ignore those)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import flet as ft
from pydantic import ValidationError

from app.notify import DesktopNotifier, Notice
from app.schemas import Callback, Case, Event, Incident, Subscriptions
from app.schemas.alerting import may_interrupt, quiet_now
from app.schemas.event_text import event_text
from app.state.relevance import affects
from app.store.account import Account

log = logging.getLogger("careline.notices")
RECENT = 20
NoticeListener = Callable[[Notice], None]
__all__ = ["Notice", "NoticeCenter", "NoticesState", "in_quiet_hours", "notice_for"]


def in_quiet_hours(subscriptions: Subscriptions, moment: datetime) -> bool:
    return quiet_now(subscriptions, moment)


def notice_for(event: Event, subscriptions: Subscriptions, locale: str) -> Notice | None:
    """What to tell the customer about an event, if anything (its words: `event_text`)."""
    if event.kind == "incident":
        incident = Incident.model_validate(event.data)
        if not affects(incident, subscriptions):
            return None
        key = f"incident:{incident.id}:{event.version}"
    elif event.kind == "case":
        case = Case.model_validate(event.data)
        if not case.messages:
            return None
        key = f"message:{case.messages[-1].id}"
    elif event.kind in ("callback", "reminder"):
        callback = Callback.model_validate(event.data)
        # A rescheduled call is reminded again: its reminder comes with a new version.
        what = f"reminder:{event.version}" if event.kind == "reminder" else callback.status.value
        key = f"callback:{callback.id}:{what}"
    else:
        return None
    text = event_text(event, locale)
    if text is None:
        return None
    # An update's Markdown emphasis means nothing in a banner or an OS notification.
    body = text.body.replace("**", "") if event.kind == "incident" else text.body
    return Notice.make(key=key, title=text.title, body=body, route=text.route)


class NoticeCenter:
    """One per device (shared by its windows): decides, remembers and sends, in the
    device's language."""

    def __init__(self, account: Account, notifier: DesktopNotifier | None) -> None:
        self.account = account
        self.notifier = notifier
        self.locale = "en"
        self.sent: list[Notice] = []  # OS notifications, for tests and the log
        self._listeners: list[NoticeListener] = []
        self._tasks: set[asyncio.Task[bool]] = set()

    def on_notice(self, listener: NoticeListener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: NoticeListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def handle(self, event: Event) -> None:
        """The live-events listener: runs on the loop, so the work goes to a task."""
        task: asyncio.Task[bool] = asyncio.get_running_loop().create_task(self.consider(event))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def consider(self, event: Event) -> bool:
        """Tell the customer about `event` if it concerns them and is new; True if told."""
        account = self.account
        subscriptions = await asyncio.to_thread(account.subscriptions)
        try:
            notice = notice_for(event, subscriptions, self.locale)
        except ValidationError:  # an entity this version cannot read: nothing to tell
            return False
        if notice is None or not await asyncio.to_thread(account.first_notice, notice.key):
            return False
        for listener in list(self._listeners):
            try:
                listener(notice)
            except Exception:  # a closed window
                log.exception("notice listener failed; removed")
                self.remove_listener(listener)
        if (
            self.notifier is not None
            and may_interrupt(event, subscriptions, datetime.now().astimezone())
            and await self.notifier.show(notice)
        ):
            self.sent.append(notice)
        return True


class NoticesState(ft.Observable):
    """One window's banner and badges.

    The banner is the latest update, shown on the screen where it arrived (or the first
    one visited after it). Once the customer has seen it there and moved on, dismissed it
    or opened it, it stays away from every screen until a newer update arrives; the
    badges still count what was not looked at."""

    def __init__(self) -> None:
        self.items: list[Notice] = []
        self.unseen: dict[str, int] = {}  # by route prefix: /status, /cases, /callbacks
        # The case or callback on screen (its route): it shows its own updates.
        self.showing: str | None = None
        # The address on screen, and where the latest update's banner was first shown.
        self.route: str | None = None
        self.banner_on: str | None = None
        # The latest update was seen, dismissed or opened: no banner until a newer one.
        self.quiet = False

    @property
    def banner(self) -> Notice | None:
        """The update the banner shows, if any."""
        return None if self.quiet or not self.items else self.items[0]

    def banner_for(self, route: str) -> Notice | None:
        """The banner on the screen at `route`: none on a screen other than the one it
        was shown on (asked before `visit` records that screen, so it never flashes)."""
        banner = self.banner
        return banner if self.banner_on in (None, route) else None

    def add(self, notice: Notice) -> None:
        if notice.route == self.showing:
            return
        self.items = [notice, *self.items][:RECENT]
        self.quiet, self.banner_on = False, self.route
        section = "/" + notice.route.split("/")[1]
        self.unseen = {**self.unseen, section: self.unseen.get(section, 0) + 1}

    def visit(self, route: str) -> None:
        """The window now shows the screen at `route`. A banner already shown on another
        screen has been seen: it does not follow the customer here."""
        if route == self.route:
            return
        self.route = route
        if self.banner is None:
            return
        if self.banner_on is None:
            self.banner_on = route
        elif self.banner_on != route:
            self.quiet = True

    def show(self, route: str | None) -> None:
        """The screen now shows the item at `route` (None: no item): its notices go."""
        self.showing = route
        if route is not None and any(n.route == route for n in self.items):
            if self.banner is not None and self.banner.route == route:
                self.quiet = True
            self.items = [n for n in self.items if n.route != route]

    def dismiss(self, key: str) -> None:
        if self.banner is not None and self.banner.key == key:
            self.quiet = True
        self.items = [n for n in self.items if n.key != key]

    def seen(self, section: str) -> None:
        if self.unseen.get(section):
            self.unseen = {k: v for k, v in self.unseen.items() if k != section}
