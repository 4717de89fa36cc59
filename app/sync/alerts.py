"""Alerts on this device, kept in step with the hub by the sync. Signed in, a device that
registered for alerts before signing in is claimed for the account (what it followed
joins what the customer follows). Signed out, what the device follows is sent to its
registration, so the hub alerts it about the right incidents."""

from __future__ import annotations

import asyncio

from app.api import HubClient, Rejected
from app.schemas import MutationName, MutationResult, Subscriptions
from app.store import PersonalStore
from app.sync.report import SyncReport


async def claim(client: HubClient, personal: PersonalStore, report: SyncReport) -> None:
    state = await asyncio.to_thread(personal.push.state)
    if state.alert_id is None or state.alert_secret is None:
        return
    report.requests += 1
    try:
        claimed = await client.claim_device(state.alert_id, state.alert_secret)
    except Rejected:
        # The answer to an earlier claim was lost, or the hub forgot the registration (its
        # push service said gone): register it as the customer's, the usual way.
        device = state.device
        if device is None:
            await asyncio.to_thread(personal.push.off)
        else:
            await asyncio.to_thread(personal.push.register_signed_in, device)
        return
    await asyncio.to_thread(personal.push.claimed, claimed.device_id)


async def follow(client: HubClient, personal: PersonalStore, report: SyncReport) -> None:
    """Signed out: what the device follows now, and the language the customer chose
    since it registered, go to its registration."""
    state = await asyncio.to_thread(personal.push.state)
    if state.alert_id is None or state.alert_secret is None:
        return
    pending = await asyncio.to_thread(personal.outbox.pending)
    changes = [e for e in pending if e.name is MutationName.subscriptions_set]
    chosen = await asyncio.to_thread(personal.account.preference, "locale")
    new_language = chosen if chosen is not None and chosen != state.locale else None
    if not changes and new_language is None:
        return
    if changes:
        follows = Subscriptions.model_validate(changes[-1].args)
    else:
        follows = await asyncio.to_thread(personal.account.subscriptions)
    report.requests += 1
    try:
        await client.follow_with_alert_device(
            state.alert_id, state.alert_secret, follows, locale=new_language
        )
    except Rejected:
        await asyncio.to_thread(personal.push.off)
        return
    if new_language is not None:
        await asyncio.to_thread(personal.push.spoken, new_language)
    # The registration holds them now: signing in joins them to the account's.
    done = [MutationResult(seq=e.seq, key=e.key, status="applied") for e in changes]
    await asyncio.to_thread(personal.applier.apply_results, done)
