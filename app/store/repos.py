"""The repositories of one store, created together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.store.account import Account
from app.store.apply import Applier
from app.store.callbacks import Callbacks
from app.store.cases import Cases
from app.store.content import Content
from app.store.outbox import Outbox
from app.store.search import Search
from app.store.uploads import Uploads

if TYPE_CHECKING:
    from app.store.local import LocalStore


class Repos:
    def __init__(self, store: LocalStore) -> None:
        self.account = Account(store)
        self.content = Content(store)
        self.cases = Cases(store)
        self.callbacks = Callbacks(store)
        self.outbox = Outbox(store)
        self.search = Search(store)
        self.uploads = Uploads(store)
        self.applier = Applier(store)
