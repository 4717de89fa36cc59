"""Applying the mutations an app pushes to `/v1/sync/push` (Web Push to devices is
`push_delivery`). Each mutation is stored with its idempotency record, so a replayed key
returns the stored result and never has a second effect. A push's consecutive mutations
share a transaction (a callback mutation has its own), each inside a savepoint of its own,
so one refused mutation never undoes another; if that transaction meets a deadlock, its
mutations are applied again one transaction each."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from app.backend.crud.rejections import MutationRejected
from app.backend.db import Database, lock_counters
from app.backend.db.tables import mutations
from app.backend.mutation_handlers import Handler, handler_for
from app.backend.problems import ProblemError
from app.backend.util import dumps, format_time, loads, now
from app.schemas import MutationIn, MutationResult, PushRequest, PushResponse, Rejection

log = logging.getLogger("careline.hub.push")
# The counters a customer's mutations take (case numbers, the change feed, the event log),
# locked at once in this order by a shared transaction, the order one mutation takes them.
SHARED_COUNTERS = ("case_number", "change_seq", "event_seq")


def _invalid(error: ValidationError) -> Rejection:
    fields = [".".join(map(str, e["loc"])) or "args" for e in error.errors()]
    parts = [f"{field}: {e['msg']}" for field, e in zip(fields, error.errors(), strict=True)]
    field = fields[0] if fields else "args"
    detail = "; ".join(parts[:5])
    return Rejection(code="invalid", detail=detail, params={"field": field})


def _rejected(mutation: MutationIn, reason: Rejection) -> MutationResult:
    return MutationResult(seq=mutation.seq, key=mutation.key, status="rejected", error=reason)


def canonical_key(key: str) -> str:
    """The same UUID with or without dashes, in any case, is the same key."""
    return str(uuid.UUID(key))


def _stored(conn: Connection, customer_id: str, mutation: MutationIn) -> MutationResult | None:
    row = conn.execute(
        select(mutations).where(
            mutations.c.customer_id == customer_id,
            mutations.c.key == canonical_key(mutation.key),
        )
    ).one_or_none()
    if row is None:
        return None
    if row.name != mutation.name.value:
        return _rejected(
            mutation,
            Rejection(
                code="key_conflict",
                detail="This idempotency key was already used for another change.",
            ),
        )
    stored = MutationResult.model_validate(loads(row.result))
    status = "duplicate" if stored.status == "applied" else stored.status
    return stored.model_copy(update={"seq": mutation.seq, "status": status})


@dataclass(frozen=True)
class _Rules:
    """What the company's settings add to every mutation of one push."""

    customer_id: str
    client_id: str
    max_case_messages: int | None = None
    booking_pattern: str | None = None
    helpdesk: str | None = None


def apply_mutation(
    db: Database,
    *,
    customer_id: str,
    client_id: str,
    mutation: MutationIn,
    max_case_messages: int | None = None,
    booking_pattern: str | None = None,
    helpdesk: str | None = None,
) -> MutationResult:
    """Apply one mutation once, in a transaction of its own; `max_case_messages` caps a
    case's thread (None: no cap); a booking reference must match the company's
    `booking_pattern` (None: any); what a customer does to a case is enqueued for the
    `helpdesk` (None: none)."""
    rules = _Rules(customer_id, client_id, max_case_messages, booking_pattern, helpdesk)
    return _apply_alone(db, rules, mutation)


def _apply_alone(db: Database, rules: _Rules, mutation: MutationIn) -> MutationResult:
    try:
        with db.write() as conn:
            return _apply_in(conn, rules, mutation)
    except IntegrityError:
        # The same key committed by a concurrent push: answer with its stored result.
        with db.read() as conn:
            stored = _stored(conn, rules.customer_id, mutation)
        if stored is None:
            raise
        return stored


def _apply_in(conn: Connection, rules: _Rules, mutation: MutationIn) -> MutationResult:
    """Apply `mutation` inside the open transaction `conn`, in a savepoint: its effects
    and its idempotency record are kept or undone together."""
    stored = _stored(conn, rules.customer_id, mutation)
    if stored is not None:
        return stored
    args_model, handler = handler_for(
        mutation.name,
        max_case_messages=rules.max_case_messages,
        booking_pattern=rules.booking_pattern,
        helpdesk=rules.helpdesk,
    )
    key = canonical_key(mutation.key)
    where = (mutations.c.customer_id == rules.customer_id) & (mutations.c.key == key)
    with conn.begin_nested():
        conn.execute(
            insert(mutations).values(
                customer_id=rules.customer_id,
                key=key,
                client_id=rules.client_id,
                seq=mutation.seq,
                name=mutation.name.value,
                status="pending",
                result="{}",
                created_at=format_time(now()),
            )
        )
        result = _run(conn, rules.customer_id, mutation, args_model, handler)
        conn.execute(
            update(mutations)
            .where(where)
            .values(status=result.status, result=dumps(result.model_dump(mode="json")))
        )
    return result


def _run(
    conn: Connection,
    customer_id: str,
    mutation: MutationIn,
    args_model: type[BaseModel],
    handler: Handler,
) -> MutationResult:
    try:
        args = args_model.model_validate(mutation.args)
        with conn.begin_nested():
            entity = handler(conn, customer_id, args)
    except ValidationError as error:
        return _rejected(mutation, _invalid(error))
    except MutationRejected as rejected:
        return _rejected(mutation, rejected.rejection)
    except ProblemError as problem:
        reason = Rejection(
            code=problem.problem.type.rsplit("/", 1)[-1],
            detail=problem.problem.detail or problem.problem.title,
        )
        return _rejected(mutation, reason)
    except IntegrityError:
        reason = Rejection(
            code="conflict",
            detail="This change clashed with another one made at the same moment; send it again.",
        )
        return _rejected(mutation, reason)
    except DBAPIError:
        raise  # The database itself failed: the request answers 503 and is retried whole.
    except (ArithmeticError, ValueError, OSError):
        reason = Rejection(code="invalid", detail="A value in this change is out of range.")
        return _rejected(mutation, reason)
    except Exception:
        # A bug must not poison the device's outbox: refuse this change, keep the rest going.
        log.exception("mutation %s failed", mutation.name.value)
        reason = Rejection(code="internal", detail="The hub could not apply this change.")
        return _rejected(mutation, reason)
    return MutationResult(seq=mutation.seq, key=mutation.key, status="applied", entity=entity)


def apply_push(
    db: Database,
    *,
    customer_id: str,
    request: PushRequest,
    max_case_messages: int,
    booking_pattern: str | None = None,
    helpdesk: str | None = None,
) -> PushResponse:
    """Apply mutations in the client's outbox order; a rejection does not stop the rest.
    Consecutive mutations commit in one transaction; a callback mutation, which takes the
    slot's capacity lock, commits alone. A deadlock or a key committed meanwhile by a
    concurrent push undoes a shared transaction whole, and its mutations are then applied
    one by one."""
    rules = _Rules(customer_id, request.client_id, max_case_messages, booking_pattern, helpdesk)
    results: list[MutationResult] = []
    for run in _runs(sorted(request.mutations, key=lambda m: m.seq)):
        results.extend(_apply_together(db, rules, run))
    return PushResponse(results=results, applied_at=now())


def _runs(ordered: list[MutationIn]) -> list[list[MutationIn]]:
    """The mutations in runs that share a transaction: each callback mutation on its own
    (its capacity lock taken after the shared counters would order locks differently from
    a booking made alone, and deadlock under load), the rest together."""
    runs: list[list[MutationIn]] = []
    for mutation in ordered:
        if _alone(mutation) or not runs or _alone(runs[-1][0]):
            runs.append([mutation])
        else:
            runs[-1].append(mutation)
    return runs


def _alone(mutation: MutationIn) -> bool:
    return mutation.name.value.startswith("callback.")


def _apply_together(db: Database, rules: _Rules, run: list[MutationIn]) -> list[MutationResult]:
    if len(run) == 1:
        return [_apply_alone(db, rules, run[0])]
    try:
        with db.write() as conn:
            lock_counters(conn, SHARED_COUNTERS)
            return [_apply_in(conn, rules, m) for m in run]
    except (IntegrityError, OperationalError) as error:
        if isinstance(error, OperationalError) and not _contended(error):
            raise
        return [_apply_alone(db, rules, m) for m in run]


def _contended(error: OperationalError) -> bool:
    """A deadlock or a serialization failure on PostgreSQL: nothing is wrong with the
    changes, only with applying them together."""
    return getattr(error.orig, "sqlstate", None) in {"40P01", "40001"}
