"""What each mutation an app pushes does: the crud call its arguments make, and the
entity its result carries back to the app. Applying them once each, in order, is
`sync_push`."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, select

from app.backend.channels import mail_prefs, outbox
from app.backend.crud import auth, callbacks, cases, kb, subscriptions
from app.backend.crud.rejections import MutationRejected
from app.backend.db.tables import cases as cases_table
from app.backend.languages import parse_locale
from app.backend.problems import ProblemError
from app.schemas import ArticleFeedback, MutationName, Subscriptions
from app.schemas.booking import BookingRefError, check_booking_ref
from app.schemas.mutations import (
    AccountLocaleArgs,
    CallbackCancelArgs,
    CallbackRequestArgs,
    CallbackRescheduleArgs,
    CaseCloseArgs,
    CaseEmailRepliesArgs,
    CaseOpenArgs,
    CaseReplyArgs,
    DeviceRegisterArgs,
)

Entity = dict[str, Any]


def _entity(kind: str, model: BaseModel) -> Entity:
    data = model.model_dump(mode="json")
    return {"type": kind, "id": data["id"], "data": data}


def _subscriptions_entity(customer_id: str, saved: Subscriptions) -> Entity:
    return {"type": "subscriptions", "id": customer_id, "data": saved.model_dump(mode="json")}


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


def _case_email_replies(conn: Connection, customer_id: str, args: CaseEmailRepliesArgs) -> Entity:
    case = mail_prefs.set_email_replies(
        conn, customer_id=customer_id, case_ref=args.case, on=args.on
    )
    return _entity("case", case)


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
    return _subscriptions_entity(customer_id, saved)


def _subscriptions_join(conn: Connection, customer_id: str, args: Subscriptions) -> Entity:
    saved = subscriptions.join_subscriptions(conn, customer_id=customer_id, extra=args)
    return _subscriptions_entity(customer_id, saved)


def _device_register(conn: Connection, customer_id: str, args: DeviceRegisterArgs) -> Entity:
    device_id = subscriptions.register_device(conn, customer_id=customer_id, device=args)
    return {"type": "device", "id": device_id, "data": {"platform": args.platform}}


def _account_locale(conn: Connection, customer_id: str, args: AccountLocaleArgs) -> Entity:
    try:
        locale = parse_locale(args.locale)
    except ValueError as error:
        raise MutationRejected("invalid", str(error)) from None
    return _entity("customer", auth.set_locale(conn, customer_id=customer_id, locale=locale))


Handler = Callable[[Connection, str, Any], Entity]
HANDLERS: dict[MutationName, tuple[type[BaseModel], Handler]] = {
    MutationName.case_open: (CaseOpenArgs, _case_open),
    MutationName.case_reply: (CaseReplyArgs, _case_reply),
    MutationName.case_close: (CaseCloseArgs, _case_close),
    MutationName.case_email_replies: (CaseEmailRepliesArgs, _case_email_replies),
    MutationName.callback_request: (CallbackRequestArgs, _callback_request),
    MutationName.callback_cancel: (CallbackCancelArgs, _callback_cancel),
    MutationName.callback_reschedule: (CallbackRescheduleArgs, _callback_reschedule),
    MutationName.article_feedback: (ArticleFeedback, _article_feedback),
    MutationName.subscriptions_set: (Subscriptions, _subscriptions_set),
    MutationName.subscriptions_join: (Subscriptions, _subscriptions_join),
    MutationName.device_register: (DeviceRegisterArgs, _device_register),
    MutationName.account_locale: (AccountLocaleArgs, _account_locale),
}


def _feeding_helpdesk(handler: Handler, kind: outbox.Kind, helpdesk: str) -> Handler:
    """`handler`, enqueueing what it did for the helpdesk in its own transaction."""

    def run(conn: Connection, customer_id: str, args: Any) -> Entity:
        entity = handler(conn, customer_id, args)
        case = entity["data"]
        if kind is outbox.Kind.comment:  # the case comes back with the new message only
            for message in case["messages"]:
                outbox.enqueue(conn, helpdesk, case["id"], kind, message["id"])
        else:
            outbox.enqueue(conn, helpdesk, case["id"], kind)
        return entity

    return run


# What each of the customer's case mutations tells the helpdesk.
HELPDESK_KINDS = {
    MutationName.case_open: outbox.Kind.ticket,
    MutationName.case_reply: outbox.Kind.comment,
    MutationName.case_close: outbox.Kind.status,
}


def handler_for(
    name: MutationName,
    *,
    max_case_messages: int | None,
    booking_pattern: str | None,
    helpdesk: str | None = None,
) -> tuple[type[BaseModel], Handler]:
    """The arguments model of mutation `name` and its handler, given the company's cap on
    a case's thread (None: no cap), format of a booking reference (None: any) and the
    helpdesk the channel outbox feeds (None: none)."""
    args_model, handler = HANDLERS[name]
    if name is MutationName.case_reply:
        handler = partial(_case_reply, max_messages=max_case_messages)
    elif name is MutationName.case_open:
        handler = partial(_case_open, booking_pattern=booking_pattern)
    elif name is MutationName.callback_request:
        handler = partial(_callback_request, booking_pattern=booking_pattern)
    if helpdesk is not None and name in HELPDESK_KINDS:
        handler = _feeding_helpdesk(handler, HELPDESK_KINDS[name], helpdesk)
    return args_model, handler
