"""The sync protocol: change feeds (pull) and the mutation queue (push)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar, Literal

from pydantic import Field

from app.schemas.common import UtcTime, WireModel


class Change(WireModel):
    entity: str = Field(
        description="component | incident | article | category | queue | case | callback | "
        "subscriptions"
    )
    op: Literal["upsert", "delete"]
    id: str
    version: int
    data: dict[str, Any] | None = Field(None, description="The entity; null for a delete.")


class ChangeFeed(WireModel):
    cursor: str = Field(description="Pass back as `cursor` to continue after these changes.")
    has_more: bool
    reset: bool = Field(
        False, description="The cursor is too old or unknown: drop local copies and refetch."
    )
    changes: list[Change]


class MutationName(StrEnum):
    case_open = "case.open"
    case_reply = "case.reply"
    case_close = "case.close"
    callback_request = "callback.request"
    callback_cancel = "callback.cancel"
    callback_reschedule = "callback.reschedule"
    article_feedback = "article.feedback"
    subscriptions_set = "subscriptions.set"
    subscriptions_join = (
        "subscriptions.join"  # follow these too (what a device followed signed out)
    )
    device_register = "device.register"
    account_locale = "account.locale"  # the customer chose another language in the app
    case_email_replies = "case.email_replies"  # an agent's replies mailed to the customer too


class MutationIn(WireModel):
    seq: int = Field(ge=0, le=2**63 - 1, description="The client's outbox order.")
    key: str = Field(
        pattern=r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$",
        description="Idempotency key (UUID): a replay returns the stored result.",
    )
    name: MutationName
    args: dict[str, Any] = Field(default_factory=dict)
    _unchecked_fields: ClassVar[frozenset[str]] = frozenset({"args"})
    created_at: UtcTime


class PushRequest(WireModel):
    client_id: str = Field(min_length=1, max_length=100)
    mutations: list[MutationIn] = Field(max_length=100)


class RejectionCode(StrEnum):
    """Every reason the hub refuses a mutation with. The app words each one itself, in the
    customer's language: catalog key `rejection_<code>`, or with specifics (`params`)
    `rejection_<code>_<their names>`, filled in; a code it does not know (from a newer
    hub) shows the hub's `detail`."""

    already_booked = "already_booked"  # a callback in this queue is still to come
    bad_endpoint = "bad_endpoint"  # a push endpoint that is no public push service
    case_closed = "case_closed"
    case_full = "case_full"  # the case has all the messages one case may have
    conflict = "conflict"  # clashed with a change made at the same moment
    duplicate_ref = "duplicate_ref"  # the client's reference is taken
    internal = "internal"  # the hub failed
    invalid = "invalid"  # with params {field} when a value of the arguments is refused
    invalid_booking_ref = "invalid_booking_ref"
    invalid_phone = "invalid_phone"
    key_conflict = "key_conflict"  # an idempotency key used for another change
    not_cancellable = "not_cancellable"
    not_found = "not_found"
    not_reschedulable = "not_reschedulable"
    queue_closed = "queue_closed"  # no callback as soon as possible now
    slot_full = "slot_full"
    slot_unavailable = "slot_unavailable"
    too_many_attachments = "too_many_attachments"
    unknown_attachment = "unknown_attachment"
    unknown_queue = "unknown_queue"
    # Made by the app itself, for what it could not send (`APP_MADE`):
    attachment_refused = "attachment_refused"  # with params {file}: the hub refused the file
    refused = "refused"  # the hub refused the request as a whole, or gave no reason
    vote_refused = "vote_refused"  # the hub refused an answer to "Was this helpful?"


# The codes the app gives a change it could not send; the hub never refuses with them.
APP_MADE = frozenset(
    {RejectionCode.attachment_refused, RejectionCode.refused, RejectionCode.vote_refused}
)


class Rejection(WireModel):
    code: str = Field(
        description="Machine-readable reason (a RejectionCode, e.g. 'slot_full'); a client "
        "shows `detail` for a code it does not know."
    )
    detail: str = Field(description="What happened, for the customer (in English).")
    alternatives: list[dict[str, Any]] | None = Field(
        None, description="Next steps, e.g. the nearest free slots."
    )
    params: dict[str, str] = Field(
        default_factory=dict,
        description="The specifics of the reason, which the app's own words fill in "
        "(e.g. `field`, the refused value of an `invalid` change).",
    )


class MutationResult(WireModel):
    seq: int
    key: str
    status: Literal["applied", "duplicate", "rejected"]
    error: Rejection | None = None
    entity: dict[str, Any] | None = Field(
        None, description="{'type': ..., 'id': ..., 'data': ...} of the row the mutation made."
    )


class PushResponse(WireModel):
    results: list[MutationResult]
    applied_at: UtcTime
