"""Reading Server-Sent Events: messages, comments, resync, and lines split anywhere."""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.api.events import Position, Resync, parse_block, read_stream
from app.schemas import Event

EVENT = (
    '{"id": 7, "kind": "case", "entity_id": "case_1", "version": 3, "customer_id": "c1", '
    '"data": {"id": "case_1"}, "created_at": "2026-11-22T10:00:00Z"}'
)


async def lines(*items: str) -> AsyncIterator[str]:
    for item in items:
        yield item


async def test_a_stream_of_messages_comments_and_a_resync() -> None:
    stream = lines(
        "retry: 3000", ": connected", "",
        "id: 7", "event: case", f"data: {EVENT}", "",
        ": heartbeat", "",
        "id: 40", "event: resync", "data: {}", "",
        "id: 8", "event: case", "data: not json", "",
    )  # fmt: skip
    got = [item async for item in read_stream(stream)]
    assert len(got) == 2
    first, second = got
    assert isinstance(first, Event)
    assert (first.id, first.kind, first.version, first.data) == (7, "case", 3, {"id": "case_1"})
    assert second == Resync(40)


def test_a_block_without_data_or_with_a_comment_only_is_nothing() -> None:
    assert parse_block([": heartbeat"]) is None
    assert parse_block(["event: case"]) is None


def test_where_a_stream_starts_is_a_position() -> None:
    assert parse_block(["id: 41", ": from now"]) == Position(41)
