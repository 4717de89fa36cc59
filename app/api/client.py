"""HubClient: typed calls of protocol v1, by subject in the modules it is made of. Every
call goes through one connection (`app.api.connection`): it never retries on its own
(the sync engine decides), uses HTTP/1.1 and bounded timeouts, and turns every failure
into `HubError`."""

from __future__ import annotations

from app.api.account import AccountCalls
from app.api.alerts import AlertCalls
from app.api.public import PublicCalls
from app.api.sync import SyncCalls


class HubClient(PublicCalls, AccountCalls, AlertCalls, SyncCalls):
    """All of the hub's calls the app makes: public content (`PublicCalls`), the account
    and its sign-ins (`AccountCalls`), alerts on this device (`AlertCalls`), and the
    customer's sync, live events and uploads (`SyncCalls`)."""
