"""The app's one way to talk to the hub: typed calls over one httpx.AsyncClient."""

from app.api.client import HubClient
from app.api.connection import KEEPALIVE_EXPIRY
from app.api.errors import (
    HubError,
    Offline,
    RateLimited,
    Rejected,
    ServerError,
    TimedOut,
    Unauthorized,
)

__all__ = [
    "KEEPALIVE_EXPIRY",
    "HubClient",
    "HubError",
    "Offline",
    "RateLimited",
    "Rejected",
    "ServerError",
    "TimedOut",
    "Unauthorized",
]
