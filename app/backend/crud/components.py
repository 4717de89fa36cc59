"""Service components (a hub, a service the customer uses) and the state each is in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Row, select

from app.backend.crud.changes import record_change
from app.backend.crud.rows import next_version, translations_json
from app.backend.db.tables import components
from app.backend.problems import ProblemError, not_found
from app.backend.util import format_time, loads, now, upsert
from app.schemas.status import Component, ComponentState, ComponentText


def component_from_row(row: Row[Any]) -> Component:
    return Component(
        id=row.id,
        name=row.name,
        group=row.group_name,
        description=row.description,
        status=ComponentState(row.status),
        position=row.position,
        updated_at=row.updated_at,
        translations=loads(row.translations) or {},
    )


def list_components(conn: Connection) -> list[Component]:
    rows = conn.execute(select(components).order_by(components.c.position, components.c.id))
    return [component_from_row(row) for row in rows]


def save_component(
    conn: Connection,
    *,
    component_id: str,
    name: str,
    group: str | None = None,
    description: str = "",
    status: ComponentState | None = None,
    position: int = 0,
    translations: Mapping[str, ComponentText] | None = None,
) -> Component:
    """Create a component or replace its definition; its state and translations are
    kept unless given (a new component starts operational, untranslated)."""
    old = conn.execute(
        select(components.c.version, components.c.status).where(components.c.id == component_id)
    ).one_or_none()
    version = (old.version if old is not None else 0) + 1
    if status is None:
        status = ComponentState(old.status) if old is not None else ComponentState.operational
    values = {
        "id": component_id,
        "name": name,
        "group_name": group,
        "description": description,
        "status": status.value,
        "position": position,
        "version": version,
        "updated_at": format_time(now()),
    }
    if translations is not None or old is None:
        values["translations"] = translations_json(translations or {})
    upsert(conn, components, values, key=["id"])
    return _publish_component(conn, component_id)


def set_component_state(
    conn: Connection, *, component_id: str, status: ComponentState
) -> Component:
    result = next_version(conn, components, row_id=component_id, values={"status": status.value})
    if result.rowcount == 0:
        raise not_found("component")
    return _publish_component(conn, component_id)


def _publish_component(conn: Connection, component_id: str) -> Component:
    row = conn.execute(select(components).where(components.c.id == component_id)).one()
    component = component_from_row(row)
    record_change(
        conn,
        entity="component",
        entity_id=component.id,
        version=row.version,
        data=component.model_dump(mode="json"),
    )
    return component


def check_components(conn: Connection, ids: Sequence[str]) -> None:
    """A 422 naming the components in `ids` that do not exist (an incident's list)."""
    known = set(conn.execute(select(components.c.id).where(components.c.id.in_(ids))).scalars())
    missing = sorted(set(ids) - known)
    if missing:
        raise ProblemError(
            422,
            "Unknown component",
            f"No component {', '.join(missing)}.",
            slug="unknown-component",
        )
