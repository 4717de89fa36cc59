"""A first sync loads the whole help centre at once: the search index is rebuilt once at
the end, in a worker thread like every store call, never on the event loop."""

from __future__ import annotations

import threading

import pytest

from tests.sync.support import Rig


async def test_a_first_sync_rebuilds_search_off_the_event_loop(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = rig.public.content
    rebuild = content.restore_search
    threads: list[int] = []

    def watched() -> None:
        threads.append(threading.get_ident())
        rebuild()

    monkeypatch.setattr(content, "restore_search", watched)
    await rig.engine.sync()
    assert threads, "a first sync is a bulk load"
    assert threading.get_ident() not in threads, "the rebuild ran on the event loop"
    assert rig.public.search.search("luggage")[0].slug == "lost-bag", "indexed once at the end"
