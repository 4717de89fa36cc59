"""Free callback times last seen: the hub's last availability answer for each queue (its
whole booking horizon, the one range the app asks for), kept so the slot picker still has
times to offer after a restart without the hub. Public: the same for every customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.schemas import Availability
from app.schemas.common import format_time, parse_time
from app.store import tables
from app.store.base import Repo


@dataclass(frozen=True)
class SeenTimes:
    """An availability answer and when the hub gave it."""

    availability: Availability
    fetched_at: datetime


class FreeTimes(Repo):
    def keep(self, queue_id: str, availability: Availability, fetched_at: datetime) -> None:
        """Keep `availability` as the queue's latest answer (in place of the one before)."""
        record = {
            "queue_id": queue_id,
            "fetched_at": format_time(fetched_at),
            "data": availability.model_dump_json(),
        }
        with self.db.transaction() as conn:
            tables.upsert(conn, "free_times", record, pk="queue_id")

    def last(self, queue_id: str) -> SeenTimes | None:
        """The queue's latest answer kept (None: never seen on this device)."""
        with self.db.transaction() as conn:
            row = tables.get(conn, "free_times", queue_id)
        if row is None:
            return None
        found = Availability.model_validate_json(row["data"])
        return SeenTimes(found, parse_time(row["fetched_at"]))
