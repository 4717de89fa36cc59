"""The app's local store: one SQLite file (sqlite-utils) holding everything the customer has
seen and everything they did offline. Never imports flet or the hub."""

from app.store.faults import (
    StorageError,
    StorageFull,
    StorageHealth,
    StorageProblem,
    StorageReadOnly,
)
from app.store.local import LocalStore
from app.store.opening import open_store

__all__ = [
    "LocalStore",
    "StorageError",
    "StorageFull",
    "StorageHealth",
    "StorageProblem",
    "StorageReadOnly",
    "open_store",
]
