"""The demo's translations of its status content, added to incidents loaded before the
demo had them. Only what the demo wrote is touched: an incident whose title, an update
whose body or an action whose label an operator changed is left as it is, and a language
already there is never replaced."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select, update

from app.backend.crud import status
from app.backend.crud.rows import next_version
from app.backend.db.tables import incident_updates, incidents
from app.backend.util import dumps, loads


def _missing(known: dict[str, Any], given: dict[str, Any], field: str) -> dict[str, Any]:
    """`known` (locale -> fields) with `given`'s `field` where a locale lacks it."""
    merged = {locale: dict(fields) for locale, fields in known.items()}
    for locale, fields in given.items():
        text = str((fields or {}).get(field) or "").strip()
        if text and not (merged.get(locale) or {}).get(field):
            merged.setdefault(locale, {})[field] = text
    return merged


def _actions(stored: list[dict[str, Any]], demo: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored actions with the demo's label translations where a stored action is one
    of the demo's, as the demo wrote it (kind, target and label)."""
    written = {(a.get("kind"), a.get("target"), a.get("label")): a for a in demo}
    out = []
    for action in stored:
        mine = written.get((action.get("kind"), action.get("target"), action.get("label")))
        if mine is None:
            out.append(action)
            continue
        given = mine.get("translations") or {}
        merged = _missing(action.get("translations") or {}, given, "label")
        out.append({**action, "translations": merged} if merged else action)
    return out


def add_missing_translations(conn: Connection, entries: Iterable[dict[str, Any]]) -> int:
    """Give each demo incident still titled as `entries` (the demo's incidents.yaml) has it
    the demo's translations it lacks: its title, its actions' labels and the bodies of
    its updates still as the demo wrote them. Answers how many incidents changed (each
    is then a new version, so the apps pull it; its time stays)."""
    changed = 0
    for entry in entries:
        rows = conn.execute(select(incidents).where(incidents.c.title == entry["title"])).all()
        for row in rows:
            if _fill(conn, row, entry):
                changed += 1
    return changed


def _fill(conn: Connection, row: Any, entry: dict[str, Any]) -> bool:
    values: dict[str, Any] = {}
    known = loads(row.translations) or {}
    titles = _missing(known, entry.get("translations") or {}, "title")
    if titles != known:
        values["translations"] = dumps(titles)
    stored_actions = loads(row.actions) or []
    actions = _actions(stored_actions, entry.get("actions") or [])
    if actions != stored_actions:
        values["actions"] = dumps(actions)
    bodies = {str(u["body"]).strip(): u.get("translations") or {} for u in entry["updates"]}
    updated = False
    for stored in conn.execute(
        select(incident_updates).where(incident_updates.c.incident_id == row.id)
    ).all():
        given = bodies.get(stored.body.strip())
        if given is None:
            continue
        before = loads(stored.translations) or {}
        after = _missing(before, given, "body")
        if after != before:
            conn.execute(
                update(incident_updates)
                .where(incident_updates.c.id == stored.id)
                .values(translations=dumps(after))
            )
            updated = True
    if not values and not updated:
        return False
    next_version(conn, incidents, row_id=row.id, values=values, at=row.updated_at)
    status.record_incident(conn, row.id)
    return True
