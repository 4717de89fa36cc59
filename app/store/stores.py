"""The two stores and their repositories, each built with its collaborators.

- `PublicStore`: what the hub publishes for everyone (and the free callback times last
  seen). A desktop or phone keeps its own; a server keeps one for all its visitors.
- `PersonalStore`: what belongs to one device. A server keeps one per browser."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from app.store.account import Account
from app.store.callbacks import Callbacks
from app.store.cases import Cases
from app.store.content import Content
from app.store.database import Database
from app.store.feeds import Feeds
from app.store.free_times import FreeTimes
from app.store.outbox import Outbox
from app.store.personal_apply import PersonalApplier
from app.store.public_apply import ContentApplier
from app.store.push import Push
from app.store.search import Search
from app.store.search_gaps import SearchGaps
from app.store.tokens import TokenKeeper
from app.store.uploads import Uploads


class PublicStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.feeds = Feeds(db)
        self.content = Content(db)
        self.free_times = FreeTimes(db)
        self.search = Search(db, content=self.content)
        self.gaps = SearchGaps(db)
        self.applier = ContentApplier(db, content=self.content, feeds=self.feeds)

    def close(self) -> None:
        self.db.close()


class PersonalStore:
    def __init__(
        self,
        db: Database,
        *,
        reopen: Callable[[], sqlite3.Connection],
        tokens: TokenKeeper | None = None,
    ) -> None:
        """`reopen` makes a new, empty file in place of this one (see `wipe`); `tokens`
        keeps the hub token elsewhere than in the file (a keychain)."""
        self.db = db
        self._reopen = reopen
        self.feeds = Feeds(db)
        self.outbox = Outbox(db)
        self.uploads = Uploads(db)
        self.account = Account(db, outbox=self.outbox, feeds=self.feeds, tokens=tokens)
        self.cases = Cases(db, outbox=self.outbox, uploads=self.uploads)
        self.callbacks = Callbacks(db, outbox=self.outbox)
        self.push = Push(db, outbox=self.outbox)
        self.applier = PersonalApplier(
            db,
            account=self.account,
            cases=self.cases,
            callbacks=self.callbacks,
            push=self.push,
            outbox=self.outbox,
            feeds=self.feeds,
        )

    def sign_out(self) -> None:
        """Forget the signed-in customer on this device: their data, then the file that
        held it (a device that refuses writes stops at the first step, keeping all)."""
        self.account.sign_out()
        self.wipe()

    def erase(self) -> None:
        """The account is erased on the hub: as `sign_out`, and nothing left to send."""
        self.account.erase()
        self.wipe()

    def wipe(self) -> None:
        """Delete the file, with everything personal in it, and go on with an empty one
        that keeps only the device's settings (its key, language, theme)."""
        settings = self.account.device_settings()
        self.db.replace(self._reopen)
        self.account.restore_settings(settings)

    def close(self) -> None:
        self.db.close()
