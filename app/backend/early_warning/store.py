"""Storing posts, watched keys and warnings, and opening warnings for the bursts the
stored posts show. Every function works in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.backend.crud import audit, status
from app.backend.crud.audit import Caller
from app.backend.db.tables import (
    components,
    incidents,
    social_keys,
    social_posts,
    social_warnings,
)
from app.backend.early_warning.bursts import (
    DEFAULT_PARAMS,
    DISRUPTION,
    TOTAL,
    Burst,
    Params,
    find_bursts,
    one_per_event,
)
from app.backend.early_warning.disruption import DEFAULT_TERMS, DisruptionTerms
from app.backend.early_warning.matching import Matcher
from app.backend.problems import ProblemError
from app.backend.settings import HubSettings
from app.backend.util import dumps, format_time, loads, new_id, now, parse_time
from app.schemas import Impact
from app.schemas.warnings import (
    SAMPLE_LIMIT,
    EarlyWarning,
    PostIn,
    SamplePost,
    WarningAction,
    WarningState,
    WatchedKey,
    printable,
)

SAMPLES = 3
# Bursts of one key starting this close together are one burst: a bin that completes
# after a later one was flagged does not open a second warning.
SAME_BURST = timedelta(hours=1)
# The span a disruption series is summed over (see `bursts`): reports of a disruption
# come a few an hour, and the goal is a warning within two hours of a storm's start.
DISRUPTION_SPAN_MINUTES = 60


@dataclass(frozen=True)
class Detection:
    """How bursts are found: `params` for a key's total posts, and the disruption terms
    whose posts make each key's second series (tested over `DISRUPTION_SPAN_MINUTES`)."""

    params: Params = DEFAULT_PARAMS
    terms: tuple[str, ...] = DEFAULT_TERMS

    @property
    def disruption_params(self) -> Params:
        span = max(1, DISRUPTION_SPAN_MINUTES // self.params.bin_minutes)
        return replace(self.params, window_bins=span)


DEFAULT_DETECTION = Detection()


def detection_of(settings: HubSettings) -> Detection:
    return Detection(params_of(settings), settings.social_disruption_terms)


def params_of(settings: HubSettings) -> Params:
    """Detection as the hub's settings ask, the recent level, warm-up and the gaps a
    burst bridges kept in hours whatever the window (six hours, two, half an hour)."""
    window = settings.social_window_minutes
    return Params(
        bin_minutes=window,
        history_bins=max(1, 360 // window),
        warmup_bins=max(1, 120 // window),
        gap_bins=max(1, 30 // window),
        alpha=settings.social_significance,
        min_count=settings.social_min_count,
        baseline_days=settings.social_baseline_days,
    )


def watch(conn: Connection, key: str, aliases: Sequence[str]) -> WatchedKey:
    """Watch `key` under its own name and `aliases` (they replace those it had)."""
    watched = WatchedKey(key=key.strip(), aliases=sorted({a.strip() for a in aliases if a.strip()}))
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    statement = dialect.insert(social_keys).values(
        key=watched.key, aliases=dumps(watched.aliases), created_at=format_time(now())
    )
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["key"], set_={"aliases": statement.excluded.aliases}
        )
    )
    return watched


def unwatch(conn: Connection, key: str) -> bool:
    return bool(conn.execute(delete(social_keys).where(social_keys.c.key == key)).rowcount)


def watched_keys(conn: Connection) -> list[WatchedKey]:
    rows = conn.execute(select(social_keys).order_by(social_keys.c.key)).all()
    return [WatchedKey(key=row.key, aliases=loads(row.aliases) or []) for row in rows]


def add_posts(conn: Connection, posts: Sequence[PostIn]) -> list[PostIn]:
    """Store the posts not stored yet (same source and id); returns those added."""
    received = format_time(now())
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    added = []
    for post in posts:
        statement = dialect.insert(social_posts).values(
            source=post.source,
            id=post.id,
            created_at=format_time(post.created_at),
            text=post.text,
            lang=post.lang,
            url=post.url,
            received_at=received,
        )
        stored = statement.on_conflict_do_nothing().returning(social_posts.c.id)
        if conn.execute(stored).first() is not None:
            added.append(post)
    return added


def detect(
    conn: Connection, *, since: datetime | None = None, detection: Detection = DEFAULT_DETECTION
) -> int:
    """Open a warning for each burst among the stored posts that starts at or after
    `since` (all when None) and has none yet; returns how many were opened."""
    keys = {k.key: k.aliases for k in watched_keys(conn)}
    if not keys:
        return 0
    params, disruption = detection.params, detection.disruption_params
    query = select(
        social_posts.c.created_at, social_posts.c.id, social_posts.c.text, social_posts.c.url
    ).order_by(social_posts.c.created_at, social_posts.c.id)
    if since is not None:
        lookback = max(params.lookback, disruption.lookback)
        query = query.where(social_posts.c.created_at >= format_time(since - lookback))
    rows = conn.execute(query).all()
    if not rows:
        return 0
    matcher, terms = Matcher(keys), DisruptionTerms(detection.terms)
    posts: dict[str, dict[str, list[tuple[datetime, SamplePost]]]] = {
        TOTAL: {key: [] for key in keys},
        DISRUPTION: {key: [] for key in keys},
    }
    for row in rows:
        moment = parse_time(row.created_at)
        named = matcher.keys_in(row.text)
        series = [TOTAL, DISRUPTION] if named and terms.named_in(row.text) else [TOTAL]
        sample = SamplePost(created_at=moment, text=printable(row.text, SAMPLE_LIMIT), url=row.url)
        for key in named:
            for name in series:
                posts[name][key].append((moment, sample))
    origin, end = parse_time(rows[0].created_at), parse_time(rows[-1].created_at)
    found = find_bursts(_times(posts[TOTAL]), origin, end, params)
    if terms:
        found += find_bursts(_times(posts[DISRUPTION]), origin, end, disruption, DISRUPTION)
    opened = 0
    for burst in one_per_event(found, SAME_BURST):
        if since is not None and burst.started_at < since - SAME_BURST:
            continue
        samples = [
            s
            for moment, s in posts[burst.series][burst.key]
            if burst.started_at <= moment < burst.detected_at
        ]
        opened += _open(conn, burst, samples[:SAMPLES])
    return opened


def _times(posts: dict[str, list[tuple[datetime, SamplePost]]]) -> dict[str, list[datetime]]:
    return {key: [moment for moment, _ in found] for key, found in posts.items()}


def _open(conn: Connection, burst: Burst, samples: list[SamplePost]) -> int:
    near = conn.execute(
        select(social_warnings.c.id).where(
            social_warnings.c.key == burst.key,
            social_warnings.c.started_at >= format_time(burst.started_at - SAME_BURST),
            social_warnings.c.started_at <= format_time(burst.started_at + SAME_BURST),
        )
    ).first()
    if near is not None:
        return 0
    moment = format_time(now())
    conn.execute(
        insert(social_warnings).values(
            id=new_id("warn"),
            key=burst.key,
            started_at=format_time(burst.started_at),
            detected_at=format_time(burst.detected_at),
            count=burst.count,
            baseline=burst.baseline,
            p_value=burst.p_value,
            series=burst.series,
            samples=dumps([s.model_dump(mode="json") for s in samples]),
            state=WarningState.new.value,
            created_at=moment,
            updated_at=moment,
        )
    )
    return 1


def _warning(row: object) -> EarlyWarning:
    return EarlyWarning.model_validate(
        {**row._mapping, "samples": loads(row.samples) or []}  # type: ignore[attr-defined]
    )


def list_warnings(
    conn: Connection, *, state: WarningState | None = None, limit: int = 100
) -> list[EarlyWarning]:
    """Warnings, most recently detected first."""
    query = select(social_warnings).order_by(
        social_warnings.c.detected_at.desc(), social_warnings.c.key
    )
    if state is not None:
        query = query.where(social_warnings.c.state == state.value)
    return [_warning(row) for row in conn.execute(query.limit(limit)).all()]


def get_warning(conn: Connection, warning_id: str) -> EarlyWarning:
    row = conn.execute(select(social_warnings).where(social_warnings.c.id == warning_id)).first()
    if row is None:
        raise ProblemError(404, "Not found", f"No warning {warning_id!r}.", slug="not-found")
    return _warning(row)


def act(conn: Connection, caller: Caller, warning_id: str, action: WarningAction) -> EarlyWarning:
    """Acknowledge, dismiss or publish a warning, audited. Publishing opens an incident
    prefilled from it: the key (a component when one has that id, else a subscription
    key), when it started, and the count against the baseline."""
    warning = get_warning(conn, warning_id)
    if action.state is WarningState.new:
        raise ProblemError(422, "Invalid state", "A warning cannot be made new again.")
    if warning.state is WarningState.published:
        raise ProblemError(409, "Already published", f"Incident {warning.incident_id}.")
    incident_id = None
    if action.incident_id is not None:
        incident_id = _published_incident(conn, action)
    elif action.state is WarningState.published:
        incident_id = _publish(conn, caller, warning, action)
    conn.execute(
        update(social_warnings)
        .where(social_warnings.c.id == warning_id)
        .values(state=action.state.value, incident_id=incident_id, updated_at=format_time(now()))
    )
    audit.record(conn, caller, f"warning.{action.state.value}", warning_id, {"key": warning.key})
    return get_warning(conn, warning_id)


def _published_incident(conn: Connection, action: WarningAction) -> str:
    """The incident an operator published from a warning, to link to it."""
    if action.state is not WarningState.published:
        raise ProblemError(422, "Invalid state", "An incident is linked only when publishing.")
    found = conn.execute(select(incidents.c.id).where(incidents.c.id == action.incident_id))
    if found.first() is None:
        raise ProblemError(422, "Unknown incident", f"No incident {action.incident_id}.")
    return str(action.incident_id)


def _publish(conn: Connection, caller: Caller, warning: EarlyWarning, action: WarningAction) -> str:
    is_component = conn.execute(
        select(components.c.id).where(components.c.id == warning.key)
    ).first()
    started = format_time(warning.started_at)
    incident = status.publish_incident(
        conn,
        title=action.title or f"Reports of disruption: {warning.key}",
        impact=Impact(action.impact),
        components_affected=action.components or ([warning.key] if is_component else []),
        keys=[] if is_component else [warning.key],
        body=action.body or f"We are investigating reports about {warning.key} since {started}.",
        started_at=warning.started_at,
    )
    audit.record(conn, caller, "incident.publish", incident.id, {"title": incident.title})
    return incident.id
