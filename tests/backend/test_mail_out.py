"""Agents' replies on email cases go out by mail after their transaction commits, once,
threaded for the customer's mail program, and are retried while the mail server fails."""

from __future__ import annotations

from dataclasses import replace

import httpx

from app.backend.channels.mail_out import deliver_due
from app.backend.channels.mail_store import RETRY_FIRST, backlog
from app.backend.db import Database
from app.backend.settings import HubSettings
from app.backend.util import now
from tests.backend.mail_support import all_cases, counts, deliver, mail, mail_settings
from tests.backend.support import open_case
from tests.hub_process import free_port
from tests.support import Inbox, mutation, push


def smtp_settings(settings: HubSettings, port: int) -> HubSettings:
    return replace(
        mail_settings(settings), smtp_host="127.0.0.1", smtp_port=port, smtp_security="none"
    )


async def _reply(client: httpx.AsyncClient, operator: dict[str, str], number: int) -> None:
    answer = await client.post(
        f"/v1/admin/cases/{number}/replies",
        headers=operator,
        json={"body": "We found it in Denver.", "author_name": "Maya"},
    )
    assert answer.status_code == 200, answer.text


async def test_an_agents_reply_is_mailed_once_and_threads_back(
    client: httpx.AsyncClient,
    db: Database,
    settings: HubSettings,
    operator: dict[str, str],
    inbox: tuple[Inbox, int],
) -> None:
    found, port = inbox
    settings = smtp_settings(settings, port)
    deliver(db, settings, mail())
    [case] = all_cases(db)
    await _reply(client, operator, case.number)
    assert found.messages == []  # queued in the reply's transaction, sent after it
    assert deliver_due(db, settings) == 1
    assert deliver_due(db, settings) == 0
    [sent] = found.messages
    assert sent["To"] == "carol@example.com"
    assert sent["Subject"] == f"Re: Lost bag on NW123 [Case #{case.number}]"
    assert sent["In-Reply-To"] == "<q1@example.com>"
    assert sent["References"] == "<q1@example.com>"
    assert sent["Message-ID"].endswith("@northwind.test>")
    assert sent["X-Careline-Loop"] == "northwind.test"
    assert "Auto-Submitted" not in sent
    assert sent.get_content().strip() == "We found it in Denver."
    # The customer's answer threads by our Message-ID; our own mail coming back does not.
    answer = mail(body="Thanks!", message_id="q2@example.com", In_Reply_To=sent["Message-ID"])
    answer.replace_header("Subject", "Re: something else")
    assert deliver(db, settings, answer) == "250 OK"
    # Forwarded back without our marker and under another From: its Message-ID tells.
    del sent["X-Careline-Loop"]
    sent.replace_header("From", "forwarder@example.com")
    assert deliver(db, settings, sent.as_bytes()) == "250 OK: already kept"
    assert counts(db) == (1, 2)


async def test_a_failed_send_is_retried_later(
    client: httpx.AsyncClient,
    db: Database,
    settings: HubSettings,
    operator: dict[str, str],
    inbox: tuple[Inbox, int],
) -> None:
    found, port = inbox
    down = smtp_settings(settings, free_port())  # nothing listens there
    deliver(db, down, mail())
    await _reply(client, operator, all_cases(db)[0].number)
    assert deliver_due(db, down) == 0
    with db.read() as conn:
        [item] = backlog(conn)
    assert item.attempts == 1
    assert "refused" in (item.last_error or "").lower()
    up = smtp_settings(settings, port)
    assert deliver_due(db, up) == 0  # not due yet
    assert deliver_due(db, up, at=now() + RETRY_FIRST * 3) == 1
    assert len(found.messages) == 1
    with db.read() as conn:
        assert backlog(conn) == []


async def test_an_app_case_is_not_mailed(
    client: httpx.AsyncClient,
    db: Database,
    settings: HubSettings,
    operator: dict[str, str],
    alice: dict[str, str],
    inbox: tuple[Inbox, int],
) -> None:
    found, port = inbox
    case = await open_case(client, alice)
    await _reply(client, operator, case["number"])
    assert deliver_due(db, smtp_settings(settings, port)) == 0
    assert found.messages == []


async def test_an_app_customer_may_have_replies_mailed_too(
    client: httpx.AsyncClient,
    db: Database,
    settings: HubSettings,
    operator: dict[str, str],
    alice: dict[str, str],
    inbox: tuple[Inbox, int],
) -> None:
    found, port = inbox
    settings = smtp_settings(settings, port)
    case = await open_case(client, alice)
    [on] = await push(client, alice, mutation("case.email_replies", case=case["id"], on=True))
    assert on["entity"]["data"]["email_replies"] is True
    await _reply(client, operator, case["number"])
    assert deliver_due(db, settings) == 1
    [sent] = found.messages
    assert sent["To"] == "alice@example.com"
    assert sent["Subject"] == f"Re: Lost bag [Case #{case['number']}]"
    await push(client, alice, mutation("case.email_replies", case=case["id"], on=False))
    await _reply(client, operator, case["number"])
    assert deliver_due(db, settings) == 0
    assert len(found.messages) == 1
    read = await client.get(f"/v1/cases/{case['id']}", headers=alice)
    assert read.json()["email_replies"] is False
    # Only on one's own case.
    [refused] = await push(
        client, alice, mutation("case.email_replies", case="case_nobodys", on=True)
    )
    assert refused["status"] == "rejected"
