"""Applying the mutations an app pushes to `/v1/sync/push` (Web Push to devices is
`push_delivery`): each in its own transaction with its idempotency record, so a replayed
key returns the stored result and never has a second effect."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from app.backend.crud import callbacks, cases, kb, subscriptions
from app.backend.crud.rejections import MutationRejected
from app.backend.db import Database
from app.backend.db.tables import cases as cases_table
from app.backend.db.tables import mutations
from app.backend.problems import ProblemError
from app.backend.util import dumps, format_time, loads, now
from app.schemas import (
    ArticleFeedback,
    MutationIn,
    MutationName,
    MutationResult,
    PushRequest,
    PushResponse,
    Rejection,
    Subscriptions,
)
from app.schemas.booking import BookingRefError, check_booking_ref
from app.schemas.mutations import (
    CallbackCancelArgs,
    CallbackRequestArgs,
    CallbackRescheduleArgs,
    CaseCloseArgs,
    CaseOpenArgs,
    CaseReplyArgs,
    DeviceRegisterArgs,
)

Entity = dict[str, Any]
log = logging.getLogger("careline.hub.push")


def _entity(kind: str, model: BaseModel) -> Entity:
    data = model.model_dump(mode="json")
    return {"type": kind, "id": data["id"], "data": data}


def _booking_ref(text: str | None, pattern: str | None) -> str | None:
    try:
        return check_booking_ref(text, pattern)
    except BookingRefError:
        raise MutationRejected(
            "invalid_booking_ref", "That booking reference does not have the expected format."
        ) from None


def _case_open(
    conn: Connection, customer_id: str, args: CaseOpenArgs, booking_pattern: str | None = None
) -> Entity:
    booking_ref = _booking_ref(args.booking_ref, booking_pattern)
    if (
        args.client_ref
        and conn.execute(
            select(cases_table.c.id).where(
                cases_table.c.customer_id == customer_id,
                cases_table.c.client_ref == args.client_ref,
            )
        ).first()
    ):
        raise MutationRejected("duplicate_ref", "A case with this client reference already exists.")
    case = cases.open_case(
        conn,
        customer_id=customer_id,
        subject=args.subject,
        description=args.description,
        category=args.category,
        attachment_ids=args.attachments,
        incident_id=args.incident_id,
        booking_ref=booking_ref,
        client_ref=args.client_ref,
    )
    return _entity("case", case)


def _case_reply(
    conn: Connection, customer_id: str, args: CaseReplyArgs, max_messages: int | None = None
) -> Entity:
    # The case comes back with only the new message, so its record is the reply's size.
    case = cases.customer_reply(
        conn,
        customer_id=customer_id,
        case_ref=args.case,
        body=args.body,
        attachment_ids=args.attachments,
        client_ref=args.client_ref,
        max_messages=max_messages,
    )
    return _entity("case", case)


def _case_close(conn: Connection, customer_id: str, args: CaseCloseArgs) -> Entity:
    return _entity("case", cases.close_case(conn, customer_id=customer_id, case_ref=args.case))


def _callback_request(
    conn: Connection,
    customer_id: str,
    args: CallbackRequestArgs,
    booking_pattern: str | None = None,
) -> Entity:
    booking_ref = _booking_ref(args.booking_ref, booking_pattern)
    case_id = None
    if args.case:
        case_id = cases.resolve_own_case(conn, customer_id=customer_id, case_ref=args.case)
    callback = callbacks.request_callback(
        conn,
        customer_id=customer_id,
        queue_id=args.queue,
        mode=args.mode,
        phone=args.phone,
        slot_start=args.slot_start,
        note=args.note,
        case_id=case_id,
        booking_ref=booking_ref,
        language=args.language,
        client_ref=args.client_ref,
    )
    return _entity("callback", callback)


def _callback_cancel(conn: Connection, customer_id: str, args: CallbackCancelArgs) -> Entity:
    callback = callbacks.cancel_callback(conn, customer_id=customer_id, callback_ref=args.callback)
    return _entity("callback", callback)


def _callback_reschedule(
    conn: Connection, customer_id: str, args: CallbackRescheduleArgs
) -> Entity:
    callback = callbacks.reschedule_callback(
        conn, customer_id=customer_id, callback_ref=args.callback, slot_start=args.slot_start
    )
    return _entity("callback", callback)


def _article_feedback(conn: Connection, customer_id: str, args: ArticleFeedback) -> Entity:
    try:
        article_id = kb.record_feedback(conn, feedback=args, customer_id=customer_id)
    except ProblemError as error:
        raise MutationRejected("not_found", "That article no longer exists.") from error
    return {"type": "article_feedback", "id": article_id, "data": {"helpful": args.helpful}}


def _subscriptions_set(conn: Connection, customer_id: str, args: Subscriptions) -> Entity:
    saved = subscriptions.set_subscriptions(conn, customer_id=customer_id, wanted=args)
    return {"type": "subscriptions", "id": customer_id, "data": saved.model_dump(mode="json")}


def _subscriptions_join(conn: Connection, customer_id: str, args: Subscriptions) -> Entity:
    saved = subscriptions.join_subscriptions(conn, customer_id=customer_id, extra=args)
    return {"type": "subscriptions", "id": customer_id, "data": saved.model_dump(mode="json")}


def _device_register(conn: Connection, customer_id: str, args: DeviceRegisterArgs) -> Entity:
    device_id = subscriptions.register_device(conn, customer_id=customer_id, device=args)
    return {"type": "device", "id": device_id, "data": {"platform": args.platform}}


Handler = tuple[type[BaseModel], Callable[[Connection, str, Any], Entity]]
HANDLERS: dict[MutationName, Handler] = {
    MutationName.case_open: (CaseOpenArgs, _case_open),
    MutationName.case_reply: (CaseReplyArgs, _case_reply),
    MutationName.case_close: (CaseCloseArgs, _case_close),
    MutationName.callback_request: (CallbackRequestArgs, _callback_request),
    MutationName.callback_cancel: (CallbackCancelArgs, _callback_cancel),
    MutationName.callback_reschedule: (CallbackRescheduleArgs, _callback_reschedule),
    MutationName.article_feedback: (ArticleFeedback, _article_feedback),
    MutationName.subscriptions_set: (Subscriptions, _subscriptions_set),
    MutationName.subscriptions_join: (Subscriptions, _subscriptions_join),
    MutationName.device_register: (DeviceRegisterArgs, _device_register),
}


def _invalid(error: ValidationError) -> Rejection:
    parts = [f"{'.'.join(map(str, e['loc'])) or 'args'}: {e['msg']}" for e in error.errors()]
    return Rejection(code="invalid", detail="; ".join(parts[:5]))


def canonical_key(key: str) -> str:
    """The same UUID with or without dashes, in any case, is the same key."""
    return str(uuid.UUID(key))


def _stored(db: Database, customer_id: str, mutation: MutationIn) -> MutationResult | None:
    with db.read() as conn:
        row = conn.execute(
            select(mutations).where(
                mutations.c.customer_id == customer_id,
                mutations.c.key == canonical_key(mutation.key),
            )
        ).one_or_none()
    if row is None:
        return None
    if row.name != mutation.name.value:
        return MutationResult(
            seq=mutation.seq,
            key=mutation.key,
            status="rejected",
            error=Rejection(
                code="key_conflict",
                detail="This idempotency key was already used for another change.",
            ),
        )
    stored = MutationResult.model_validate(loads(row.result))
    status = "duplicate" if stored.status == "applied" else stored.status
    return stored.model_copy(update={"seq": mutation.seq, "status": status})


def apply_mutation(
    db: Database,
    *,
    customer_id: str,
    client_id: str,
    mutation: MutationIn,
    max_case_messages: int | None = None,
    booking_pattern: str | None = None,
) -> MutationResult:
    """Apply one mutation once; `max_case_messages` caps a case's thread (None: no cap);
    a booking reference must match the company's `booking_pattern` (None: any)."""
    stored = _stored(db, customer_id, mutation)
    if stored is not None:
        return stored
    args_model, handler = HANDLERS[mutation.name]
    if mutation.name is MutationName.case_reply:
        handler = partial(_case_reply, max_messages=max_case_messages)
    elif mutation.name is MutationName.case_open:
        handler = partial(_case_open, booking_pattern=booking_pattern)
    elif mutation.name is MutationName.callback_request:
        handler = partial(_callback_request, booking_pattern=booking_pattern)
    key = canonical_key(mutation.key)
    try:
        with db.write() as conn:
            conn.execute(
                insert(mutations).values(
                    customer_id=customer_id,
                    key=key,
                    client_id=client_id,
                    seq=mutation.seq,
                    name=mutation.name.value,
                    status="pending",
                    result="{}",
                    created_at=format_time(now()),
                )
            )
            result = _run(conn, customer_id, mutation, args_model, handler)
            conn.execute(
                update(mutations)
                .where(
                    mutations.c.customer_id == customer_id,
                    mutations.c.key == key,
                )
                .values(status=result.status, result=dumps(result.model_dump(mode="json")))
            )
    except IntegrityError:
        # The same key committed by a concurrent push: answer with its stored result.
        stored = _stored(db, customer_id, mutation)
        if stored is None:
            raise
        return stored
    return result


def _run(
    conn: Connection,
    customer_id: str,
    mutation: MutationIn,
    args_model: type[BaseModel],
    handler: Callable[[Connection, str, Any], Entity],
) -> MutationResult:
    try:
        args = args_model.model_validate(mutation.args)
        with conn.begin_nested():
            entity = handler(conn, customer_id, args)
    except ValidationError as error:
        return MutationResult(
            seq=mutation.seq, key=mutation.key, status="rejected", error=_invalid(error)
        )
    except MutationRejected as rejected:
        return MutationResult(
            seq=mutation.seq, key=mutation.key, status="rejected", error=rejected.rejection
        )
    except ProblemError as problem:
        reason = Rejection(
            code=problem.problem.type.rsplit("/", 1)[-1],
            detail=problem.problem.detail or problem.problem.title,
        )
        return MutationResult(seq=mutation.seq, key=mutation.key, status="rejected", error=reason)
    except IntegrityError:
        reason = Rejection(
            code="conflict",
            detail="This change clashed with another one made at the same moment; send it again.",
        )
        return MutationResult(seq=mutation.seq, key=mutation.key, status="rejected", error=reason)
    except DBAPIError:
        raise  # The database itself failed: the request answers 503 and is retried whole.
    except (ArithmeticError, ValueError, OSError):
        reason = Rejection(code="invalid", detail="A value in this change is out of range.")
        return MutationResult(seq=mutation.seq, key=mutation.key, status="rejected", error=reason)
    except Exception:
        # A bug must not poison the device's outbox: refuse this change, keep the rest going.
        log.exception("mutation %s failed", mutation.name.value)
        reason = Rejection(code="internal", detail="The hub could not apply this change.")
        return MutationResult(seq=mutation.seq, key=mutation.key, status="rejected", error=reason)
    return MutationResult(seq=mutation.seq, key=mutation.key, status="applied", entity=entity)


def apply_push(
    db: Database,
    *,
    customer_id: str,
    request: PushRequest,
    max_case_messages: int,
    booking_pattern: str | None = None,
) -> PushResponse:
    """Apply mutations in the client's outbox order; a rejection does not stop the rest."""
    apply = partial(
        apply_mutation,
        db,
        customer_id=customer_id,
        client_id=request.client_id,
        max_case_messages=max_case_messages,
        booking_pattern=booking_pattern,
    )
    ordered = sorted(request.mutations, key=lambda m: m.seq)
    results = [apply(mutation=m) for m in ordered]
    return PushResponse(results=results, applied_at=now())
