"""The app's local stores (SQLite, WAL, versioned migrations): public content, the same for
every customer, and personal data, one device's own. Never imports flet or the hub."""

from app.store.database import Database
from app.store.faults import (
    StorageError,
    StorageFull,
    StorageHealth,
    StorageProblem,
    StorageReadOnly,
)
from app.store.opening import LocalStores, open_local, open_personal, open_public
from app.store.stores import PersonalStore, PublicStore

__all__ = [
    "Database",
    "LocalStores",
    "PersonalStore",
    "PublicStore",
    "StorageError",
    "StorageFull",
    "StorageHealth",
    "StorageProblem",
    "StorageReadOnly",
    "open_local",
    "open_personal",
    "open_public",
]
