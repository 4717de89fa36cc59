"""What can go wrong talking to the hub, as a tree the sync engine can act on:

HubError
├── Offline          no answer (no network, hub down, connection dropped)
│   └── TimedOut     no answer in time
├── Unauthorized     401: the session is gone, sign in again
├── RateLimited      429: wait `retry_after` seconds
├── ServerError      5xx: the hub failed; retry later (503 may say when)
└── Rejected         any other 4xx: this request will never work as it is
"""

from __future__ import annotations

from app.schemas import Problem


class HubError(Exception):
    def __init__(
        self, message: str, *, problem: Problem | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.retry_after = retry_after


class Offline(HubError):
    pass


class TimedOut(Offline):
    pass


class Unauthorized(HubError):
    pass


class RateLimited(HubError):
    pass


class ServerError(HubError):
    pass


class Rejected(HubError):
    pass
