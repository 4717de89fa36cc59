"""Load a demo company (Northwind Air) from files under `assets/demo/`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Connection, select

from app.backend import slots
from app.backend.crud import kb, queues, staff, status
from app.backend.crud.components import save_component, set_component_state
from app.backend.db.tables import meta
from app.backend.demo_history import load_history
from app.backend.demo_posts import load_posts
from app.backend.demo_texts import add_missing_translations
from app.backend.early_warning import store as early_warning
from app.backend.kb_import import import_folder
from app.backend.util import now, upsert
from app.schemas import (
    CallbackQueue,
    Category,
    ComponentState,
    Impact,
    IncidentAction,
    IncidentKind,
    IncidentStatus,
)
from app.schemas.staff import StaffRole
from app.schemas.status import ComponentText, IncidentTranslation

DEMO_DIR = Path(__file__).resolve().parents[2] / "assets" / "demo" / "northwind"
_SPAN = re.compile(r"(\d+)([dhm])")


def parse_span(text: str) -> timedelta:
    """'2d3h', '40m' -> timedelta."""
    parts = _SPAN.findall(text.replace(" ", ""))
    if not parts or "".join(n + u for n, u in parts) != text.replace(" ", ""):
        raise ValueError(f"span {text!r} is not like '2d3h' or '40m'")
    units = {"d": "days", "h": "hours", "m": "minutes"}
    return sum((timedelta(**{units[u]: int(n)}) for n, u in parts), timedelta())


def _relative(spec: Any, at: datetime) -> datetime:
    if isinstance(spec, dict) and "in" in spec:
        return at + parse_span(str(spec["in"]))
    if isinstance(spec, dict) and "ago" in spec:
        return at - parse_span(str(spec["ago"]))
    raise ValueError(f"relative time {spec!r} needs 'in' or 'ago'")


def _read(folder: Path, name: str) -> Any:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


@dataclass
class DemoReport:
    components: int = 0
    queues: int = 0
    incidents: int = 0
    articles: int = 0
    staff: int = 0
    watched: int = 0  # keys watched in public posts
    history: int = 0  # past contacts for the forecast to learn from
    posts: int = 0  # public posts for early warning to learn from
    warnings: int = 0  # the bursts found in them
    translated: int = 0  # incidents loaded before that got the demo's translations now
    errors: list[str] = field(default_factory=list)


def is_loaded(conn: Connection) -> bool:
    found = conn.execute(select(meta.c.value).where(meta.c.key == "demo_loaded"))
    return found.scalar() is not None


def load_demo(
    conn: Connection, folder: Path = DEMO_DIR, *, at: datetime | None = None
) -> DemoReport:
    """Load the demo company. Loading again refreshes its articles, components, queues and
    staffing; incidents are only added the first time, and loading again only adds the
    translations the demo has and they lack (`demo_texts`). The contact history
    (`demo_history`) and a week of public posts (`demo_posts`) come with the incidents,
    the first time."""
    moment = at or now()
    report = DemoReport()
    for position, entry in enumerate(_read(folder, "categories.yaml")):
        for locale, title in entry["title"].items():
            kb.save_category(
                conn,
                category=Category(
                    id=entry["key"],
                    locale=locale,
                    title=title,
                    icon=entry.get("icon"),
                    description=entry.get("description", {}).get(locale, ""),
                    position=position,
                ),
            )
    for position, entry in enumerate(_read(folder, "components.yaml")):
        save_component(
            conn,
            component_id=entry["id"],
            name=entry["name"],
            group=entry.get("group"),
            description=entry.get("description", ""),
            position=position,
            translations={
                locale: ComponentText.model_validate(text)
                for locale, text in (entry.get("translations") or {}).items()
            },
        )
        report.components += 1
    for position, entry in enumerate(_read(folder, "queues.yaml")):
        _load_queue(conn, entry, position, moment)
        report.queues += 1
    report.staff = _load_staff(conn, folder)
    for entry in (
        _read(folder, "social_keys.yaml") if (folder / "social_keys.yaml").exists() else []
    ):
        early_warning.watch(conn, entry["key"], entry.get("aliases") or [])
        report.watched += 1
    kb_report = import_folder(conn, folder / "kb")
    report.articles = kb_report.created_or_changed + kb_report.unchanged
    report.errors.extend(kb_report.errors or [])
    if not is_loaded(conn):
        for entry in _read(folder, "incidents.yaml"):
            _load_incident(conn, entry, moment)
            report.incidents += 1
        report.history = load_history(conn, moment)
        report.posts, report.warnings = load_posts(conn, moment)
        upsert(conn, meta, {"key": "demo_loaded", "value": moment.isoformat()}, key=["key"])
    else:
        report.translated = add_missing_translations(conn, _read(folder, "incidents.yaml"))
    return report


def _load_staff(conn: Connection, folder: Path) -> int:
    """The demo team (`staff.yaml`): members not yet there are added; those there keep
    the role and state the operator gave them since."""
    if not (folder / "staff.yaml").exists():
        return 0
    entries = _read(folder, "staff.yaml") or []
    for entry in entries:
        if staff.find_member(conn, email=entry["email"]) is None:
            staff.add_member(
                conn, email=entry["email"], name=entry["name"], role=StaffRole(entry["role"])
            )
    return len(entries)


def _load_queue(conn: Connection, entry: dict[str, Any], position: int, at: datetime) -> None:
    queue = CallbackQueue(
        id=entry["id"],
        name=entry["name"],
        description=entry.get("description", ""),
        time_zone=entry["time_zone"],
        slot_minutes=entry["slot_minutes"],
        min_notice_minutes=entry["min_notice_minutes"],
        horizon_days=entry["horizon_days"],
        hours=entry["hours"],
        position=position,
        translations=entry.get("translations") or {},
    )
    queues.save_queue(conn, queue=queue, handle_minutes=entry["handle_minutes"])
    tz = slots.zone(queue.time_zone)
    today = at.astimezone(tz).date()
    for offset in range(-1, queue.horizon_days + 1):
        day = today + timedelta(days=offset)
        if not queue.hours.get(slots.WEEKDAYS[day.weekday()]):
            continue
        for shift in entry.get("staffing", []):
            queues.set_staffing(
                conn,
                queue_id=queue.id,
                agents=int(shift["agents"]),
                starts_at=slots.local_to_utc(day, shift["from"], tz),
                ends_at=slots.local_to_utc(day, shift["to"], tz),
            )


def _load_incident(conn: Connection, entry: dict[str, Any], at: datetime) -> None:
    updates = entry["updates"]
    first = updates[0]
    kind = IncidentKind(entry.get("kind", "incident"))
    incident = status.publish_incident(
        conn,
        title=entry["title"],
        impact=Impact(entry["impact"]),
        components_affected=entry.get("components", []),
        body=first["body"].strip(),
        kind=kind,
        status=IncidentStatus(first["status"]),
        keys=entry.get("keys", []),
        articles=entry.get("articles", []),
        actions=[IncidentAction.model_validate(a) for a in entry.get("actions", [])],
        started_at=_relative({"ago": first["ago"]}, at),
        scheduled_for=_relative(entry["scheduled_for"], at) if "scheduled_for" in entry else None,
        scheduled_until=(
            _relative(entry["scheduled_until"], at) if "scheduled_until" in entry else None
        ),
        translations=_texts(entry, first),
    )
    for update in updates[1:]:
        status.update_incident(
            conn,
            incident_id=incident.id,
            status=IncidentStatus(update["status"]),
            body=update["body"].strip(),
            at=_relative({"ago": update["ago"]}, at),
            translations=_texts({}, update),
        )
    for component_id, state in (entry.get("component_states") or {}).items():
        set_component_state(conn, component_id=component_id, status=ComponentState(state))


def _texts(incident: dict[str, Any], update: dict[str, Any]) -> dict[str, IncidentTranslation]:
    """Per locale, the incident's title (given) and the update's body (given)."""
    titles = incident.get("translations") or {}
    bodies = update.get("translations") or {}
    return {
        locale: IncidentTranslation(
            title=(titles.get(locale) or {}).get("title"),
            body=((bodies.get(locale) or {}).get("body") or "").strip() or None,
        )
        for locale in {*titles, *bodies}
    }
