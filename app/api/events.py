"""Reading the hub's Server-Sent Events stream (`/v1/events`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from pydantic import ValidationError

from app.schemas import Event


@dataclass(frozen=True)
class Resync:
    """The hub could not replay what was missed: sync everything instead."""

    id: int


@dataclass(frozen=True)
class Position:
    """Where the stream stands, sent when it opens: a reconnect resumes after it."""

    id: int


@dataclass(frozen=True)
class Replaced:
    """The hub ended this stream for a newer one of the same customer or address, and
    asks its client to wait `retry` seconds before connecting again."""

    retry: float


StreamItem = Event | Resync | Position


def parse_block(lines: list[str]) -> StreamItem | Replaced | None:
    """One SSE message (the lines before a blank line); comments and unknown kinds give
    None."""
    kind, data, event_id, retry = "message", [], None, None
    for line in lines:
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            kind = value
        elif name == "data":
            data.append(value)
        elif name == "id" and value.isdigit():
            event_id = int(value)
        elif name == "retry" and value.isdigit():
            retry = int(value) / 1000
    if kind == "replaced":
        return Replaced(retry or 0.0)
    if kind == "resync" and event_id is not None:
        return Resync(event_id)
    if not data:
        return Position(event_id) if event_id is not None else None
    try:
        return Event.model_validate_json("\n".join(data))
    except ValidationError:
        return None


async def read_stream(lines: AsyncIterator[str]) -> AsyncIterator[StreamItem | Replaced]:
    """The messages of an SSE byte stream, decoded line by line."""
    block: list[str] = []
    async for line in lines:
        if line:
            block.append(line)
            continue
        item = parse_block(block) if block else None
        block = []
        if item is not None:
            yield item
