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

from datetime import datetime
from email.utils import parsedate_to_datetime

import httpx
from pydantic import ValidationError

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


def retry_after_seconds(value: str | None) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date."""
    if not value:
        return None
    if value.strip().isascii() and value.strip().isdigit():
        return float(value.strip())
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - datetime.now(moment.tzinfo)).total_seconds())


def error_for(response: httpx.Response) -> HubError:
    """The error an answer of 400 or more stands for, with the hub's problem document."""
    problem: Problem | None
    try:
        problem = Problem.model_validate_json(response.content)
    except ValidationError:
        problem = None
    status = response.status_code
    detail = (problem.detail or problem.title) if problem else response.reason_phrase
    message = f"{status} {detail}"
    retry = retry_after_seconds(response.headers.get("retry-after"))
    if problem is None:
        problem = Problem(title=response.reason_phrase or "Error", status=status)
    if status == 401:
        return Unauthorized(message, problem=problem)
    if status == 429:
        return RateLimited(message, problem=problem, retry_after=retry)
    if status >= 500:
        return ServerError(message, problem=problem, retry_after=retry)
    return Rejected(message, problem=problem)
