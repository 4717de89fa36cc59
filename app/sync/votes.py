"""Votes on help articles ('Was this helpful?'), sent at once and without an account.

A vote is written to the local store and the outbox together, like every customer action,
so one made offline is kept. This step delivers the outbox's votes through the hub's
anonymous vote endpoint (signed in or not) before the rest of the outbox is pushed: a vote
never waits for a sign-in. Only the newest vote per article is sent; the hub keeps one per
device and article anyway."""

from __future__ import annotations

import asyncio
from typing import Any

from app.api import HubClient, Rejected
from app.schemas import ArticleFeedback, ArticleVote, MutationName, MutationResult, Rejection
from app.schemas.sync import RejectionCode
from app.store import PersonalStore
from app.store.outbox import OutboxEntry
from app.sync.report import SyncReport


async def send(client: HubClient, personal: PersonalStore, report: SyncReport) -> None:
    """Network failures propagate with the votes still queued."""
    pending = await asyncio.to_thread(personal.outbox.pending)
    votes = [e for e in pending if e.name is MutationName.article_feedback]
    if not votes:
        return
    voter = await asyncio.to_thread(personal.account.voter_key)
    by_article: dict[str, list[OutboxEntry]] = {}
    for entry in votes:
        by_article.setdefault(entry.entity_id or str(entry.args.get("article")), []).append(entry)
    results: list[MutationResult] = []
    try:
        for *older, newest in by_article.values():
            answer = await _send_one(client, voter, newest.seq, newest.key, newest.args)
            report.requests += 1
            # The earlier votes were replaced by this one: done once it is answered.
            results += [MutationResult(seq=e.seq, key=e.key, status="applied") for e in older]
            results.append(answer)
            if answer.status == "rejected":
                report.rejected += 1
            else:
                report.pushed += 1
    finally:
        # What was answered is recorded even when a later vote could not be sent.
        await asyncio.to_thread(personal.applier.apply_results, results)


async def _send_one(
    client: HubClient, voter: str, seq: int, key: str, args: dict[str, Any]
) -> MutationResult:
    feedback = ArticleFeedback.model_validate(args)
    try:
        await client.vote(ArticleVote(**feedback.model_dump(), voter=voter))
    except Rejected as error:
        problem = error.problem
        detail = (problem.detail or problem.title) if problem else str(error)
        refused = Rejection(code=RejectionCode.vote_refused, detail=detail)
        return MutationResult(seq=seq, key=key, status="rejected", error=refused)
    return MutationResult(seq=seq, key=key, status="applied")
