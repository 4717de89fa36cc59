"""What one sync did, for the scheduler, the tests and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    requests: int = 0
    status_changed: bool = False
    content_changed: bool = False  # public content (status, help, queues) changed
    needs_sign_in: bool = False
    errors: list[str] = field(default_factory=list)
