"""A registry of listeners told of each new value (a sync status, a live event, a notice,
a storage problem). Listeners are often a window's methods: one that raises (a window
that went away) is logged and removed, and never stops what tells it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Listeners(Generic[T]):
    """`what` names the values in the log ("sync status"). Keep a strong reference to a
    listener for as long as it should hear."""

    def __init__(self, log: logging.Logger, what: str) -> None:
        self._log = log
        self._what = what
        self._listeners: list[Callable[[T], None]] = []

    def add(self, listener: Callable[[T], None]) -> None:
        self._listeners.append(listener)

    def remove(self, listener: Callable[[T], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def tell(self, value: T) -> None:
        for listener in list(self._listeners):
            try:
                listener(value)
            except Exception:
                self._log.exception("%s listener failed; removed", self._what)
                self.remove(listener)
