"""Keeping the local store and the hub in step: pull, push, and when to do it."""

from app.sync.backoff import Backoff
from app.sync.engine import SyncEngine
from app.sync.report import SyncReport
from app.sync.scheduler import SyncScheduler, SyncStatus

__all__ = ["Backoff", "SyncEngine", "SyncReport", "SyncScheduler", "SyncStatus"]
