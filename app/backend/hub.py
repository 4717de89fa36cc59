"""What every request of one hub process shares."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.backend.caching import DocumentCache
from app.backend.channels.delivery import ChannelOutbox
from app.backend.db import Database
from app.backend.event_bus import EventBus
from app.backend.limits import RateLimiter
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

    def __post_init__(self) -> None:
        self.events = EventBus(self.db)
        self.push_key = public_key(
            load_vapid(self.settings.data_dir, self.settings.vapid_private_key)
        )

    def after_write(self) -> None:
        """This process may have changed data: send its events, look at documents afresh."""
        self.documents.expire()
        self.events.wake()
