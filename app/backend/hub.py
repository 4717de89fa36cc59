"""What every request of one hub process shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.backend.caching import DocumentCache
from app.backend.channels.delivery import ChannelOutbox
from app.backend.db import Database
from app.backend.event_bus import EventBus
from app.backend.limits import RateLimiter
from app.backend.listen_caches import ChangeMark, TokenCache
from app.backend.listener import Handlers, PgListener
from app.backend.push_delivery.webpush import load_vapid, public_key
from app.backend.settings import HubSettings


@dataclass
class Hub:
    settings: HubSettings
    db: Database
    limiter: RateLimiter = field(default_factory=RateLimiter)
    documents: DocumentCache = field(default_factory=DocumentCache)
    # The outbox to the company's helpdesk and its connector; None: no helpdesk.
    channel_outbox: ChannelOutbox | None = None
    events: EventBus = field(init=False)
    push_key: str = field(init=False)
    # Answered from memory while LISTEN is up (listen_caches.py).
    tokens: TokenCache = field(default_factory=TokenCache)
    changes: ChangeMark = field(default_factory=ChangeMark)
    listener: PgListener | None = None

    def __post_init__(self) -> None:
        self.events = EventBus(self.db)
        self.db.on_revoked.append(self.tokens.revoke)
        self.push_key = public_key(
            load_vapid(self.settings.data_dir, self.settings.vapid_private_key)
        )

    def after_write(self) -> None:
        """This process may have changed data: send its events, look at documents afresh."""
        self.documents.expire()
        self.changes.forget()
        self.events.wake()

    def start_listening(self) -> None:
        """On PostgreSQL, hear what other processes commit (a served hub does; a hub
        driven in process by tests polls, as on SQLite)."""
        if not self.db.is_sqlite and self.listener is None:
            handlers = Handlers(
                notified=self._notified,
                up=lambda: self._listening(True),
                down=lambda: self._listening(False),
            )
            self.listener = PgListener(self.db, handlers)
            self.listener.start()

    async def stop_listening(self) -> None:
        if self.listener is not None:
            await self.listener.stop()
            self.listener = None

    def _notified(self, payload: str) -> None:
        """One notification of `db/notify.py`."""
        kind, rest = payload[:1], payload[1:]
        if kind == "e":
            self.events.wake()
        elif kind == "c":
            self.changes.forget()
        elif kind == "t":
            self.tokens.revoke([rest])

    def _listening(self, up: bool) -> None:
        self.tokens.set_enabled(up)
        self.changes.set_enabled(up)
        self.events.set_listening(up)
