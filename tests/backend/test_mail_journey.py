"""The email channel end to end against a real hub process: a question mailed to the
hub's own SMTP listener becomes a case, the agent's reply (operator CLI) arrives in the
customer's mailbox (a loopback SMTP sink), the customer signs in with that address and
sees the case, and answers from the app; the agent's next reply reaches the app and the
mailbox once. SQLite and PostgreSQL."""

from __future__ import annotations

import re
import smtplib
import time
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.schemas.customers import SIGN_IN_CODE_DIGITS
from tests.backend.mail_support import AUTHSERV, SUPPORT, mail
from tests.hub_process import RealHub, free_port
from tests.support import Inbox, bearer, mutation, push_body


@pytest.fixture
def mail_hub(
    tmp_path: Path, database_url: str, inbox: tuple[Inbox, int]
) -> Iterator[tuple[RealHub, int]]:
    hub = RealHub(tmp_path / "hub", database_url)
    listen = free_port()
    hub.env.update(
        CARELINE_MAIL_LISTEN=f"127.0.0.1:{listen}",
        CARELINE_SUPPORT_ADDRESS=SUPPORT,
        CARELINE_MAIL_AUTHSERV_ID=AUTHSERV,
        CARELINE_SMTP_HOST="127.0.0.1",
        CARELINE_SMTP_PORT=str(inbox[1]),
        CARELINE_SMTP_SECURITY="none",
        CARELINE_MAIL_OUTBOX_SECONDS="0.2",
    )
    hub.start()
    yield hub, listen
    hub.stop()


def _wait_for(what: str, found: Callable[[], list[EmailMessage]], count: int) -> list[Any]:
    """Wait (60 s at most, for a loaded machine) until `count` mails are found."""
    deadline = time.monotonic() + 60
    while len(found()) < count:
        assert time.monotonic() < deadline, f"{what}: {len(found())} of {count} mails"
        time.sleep(0.1)
    return found()


def test_a_mailed_question_answered_by_mail_and_in_the_app(
    mail_hub: tuple[RealHub, int], inbox: tuple[Inbox, int]
) -> None:
    hub, listen = mail_hub
    sink = inbox[0]

    def replies() -> list[EmailMessage]:
        return [m for m in sink.messages if "[Case #" in str(m["Subject"])]

    with smtplib.SMTP("127.0.0.1", listen) as smtp:
        with pytest.raises(smtplib.SMTPRecipientsRefused):  # never an open relay
            smtp.send_message(mail(message_id="relay@x"), to_addrs=["someone@else.test"])
        smtp.send_message(mail(), from_addr="carol@example.com", to_addrs=[SUPPORT])
    number = re.search(r"#(\d+)", hub.cli("case", "list")).group(1)  # type: ignore[union-attr]
    hub.cli("case", "reply", number, "--body", "We found it in Denver.", "--author", "Maya")
    [first] = _wait_for("the agent's reply", replies, 1)
    assert first["To"] == "carol@example.com"
    assert first["In-Reply-To"] == "<q1@example.com>"
    assert first.get_content().strip() == "We found it in Denver."

    # Sign-in proves the address: the code comes to the same mailbox.
    started = httpx.post(f"{hub.url}/v1/auth/start", json={"email": "carol@example.com"})
    assert started.status_code == 202, started.text
    [code_mail] = _wait_for(
        "the sign-in code", lambda: [m for m in sink.messages if m not in replies()], 1
    )
    digits = rf"\b(\d{{{SIGN_IN_CODE_DIGITS}}})\b"
    code = re.search(digits, code_mail.get_content()).group(1)  # type: ignore[union-attr]
    body = {"email": "carol@example.com", "attempt": started.json()["attempt"], "code": code}
    token = httpx.post(f"{hub.url}/v1/auth/verify", json=body).json()["token"]
    headers = bearer(token)
    [case] = httpx.get(f"{hub.url}/v1/cases", headers=headers).json()["items"]
    assert (str(case["number"]), case["channel"]) == (number, "email")
    assert case["description"] == "My bag did not arrive in Denver."
    assert [m["body"] for m in case["messages"]] == ["We found it in Denver."]

    pushed = httpx.post(
        f"{hub.url}/v1/sync/push",
        headers=headers,
        json=push_body(mutation("case.reply", case=case["id"], body="Thanks! Deliver it home?")),
    )
    assert pushed.status_code == 200, pushed.text
    assert "Thanks! Deliver it home?" in hub.cli("case", "show", number)  # the agent sees it
    hub.cli("case", "reply", number, "--body", "Tomorrow by noon.", "--author", "Maya")
    second = _wait_for("the second reply", replies, 2)[1]
    assert second.get_content().strip() == "Tomorrow by noon."
    assert first["Message-ID"] in second["References"]
    [case] = httpx.get(f"{hub.url}/v1/cases", headers=headers).json()["items"]
    assert [(m["author"], m["channel"]) for m in case["messages"]] == [
        ("agent", "app"),
        ("customer", "app"),
        ("agent", "app"),
    ]
    assert hub.cli("mail", "outbox").strip() == "Nothing waits to be sent."
    assert len(replies()) == 2
