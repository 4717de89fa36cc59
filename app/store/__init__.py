"""The app's local store: one SQLite file (sqlite-utils) holding everything the customer has
seen and everything they did offline. Never imports flet or the hub."""

from app.store.local import LocalStore, open_store

__all__ = ["LocalStore", "open_store"]
