"""The demo help centre in a local store, shared by a test module's search tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.store import PublicStore, open_public
from tests.store.kb_fixture import demo_articles, load_articles


@pytest.fixture(scope="module")
def store() -> Iterator[PublicStore]:
    local = open_public(None, memory=True)
    load_articles(local, demo_articles())
    yield local
    local.close()
