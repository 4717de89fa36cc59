"""The real django-helpdesk peer, started once per session (its start costs seconds), its
webhook receiver, and a connector to it. Without the peer the tests skip, or fail when
CARELINE_REQUIRE_HELPDESK is set (as in CI)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator

import pytest

from app.backend.channels.django_helpdesk import DjangoHelpdeskConnector
from tests.backend.helpdesk.helpdesk_peer import (
    SECRET,
    HelpdeskPeer,
    WebhookReceiver,
    require_peer,
)


@pytest.fixture(scope="session")
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def helpdesk_peer(
    tmp_path_factory: pytest.TempPathFactory, webhook_receiver: WebhookReceiver
) -> Iterator[HelpdeskPeer]:
    require_peer()
    peer = HelpdeskPeer(tmp_path_factory.mktemp("helpdesk"), webhook_receiver)
    peer.start()
    print(f"django-helpdesk peer answered after {peer.started_in:.2f} s", file=sys.stderr)
    yield peer
    peer.stop()


@pytest.fixture
async def connector(helpdesk_peer: HelpdeskPeer) -> AsyncIterator[DjangoHelpdeskConnector]:
    queues = {name: helpdesk_peer.queues[name] for name in ("baggage", "refunds")}
    found = DjangoHelpdeskConnector(
        helpdesk_peer.url,
        helpdesk_peer.token,
        SECRET,
        queues=queues,
        default_queue=helpdesk_peer.queues["general"],
    )
    yield found
    await found.aclose()
