"""Which live updates the customer is told about, once each: a disruption that concerns
them, an agent's reply, a callback completed or missed. Every window of the device hears
of them (its banner and badges: `app.state.notices`); on a desktop with a notification
service an OS notification is sent too, except in quiet hours (critical disruptions
ignore those)."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from pydantic import ValidationError

from app.listeners import Listeners
from app.notify.desktop import DesktopNotifier
from app.notify.text import Notice
from app.schemas import Callback, Case, Event, Incident, Subscriptions
from app.schemas.alerting import affects, may_interrupt
from app.schemas.event_text import event_text
from app.store.account import Account

log = logging.getLogger("careline.notices")


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
        # Every window of the device; a closed one is removed.
        self.listeners: Listeners[Notice] = Listeners(log, "notice")
        self._tasks: set[asyncio.Task[bool]] = set()

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
        self.listeners.tell(notice)
        if self.notifier is not None and may_interrupt(
            event, subscriptions, datetime.now().astimezone()
        ):
            await self.notifier.show(notice)
        return True
