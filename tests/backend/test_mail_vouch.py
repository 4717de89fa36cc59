"""The operator vouching for an unverified sender, by CLI on a real SQLite hub folder:
their cases are listed, vouching joins them (with their files) to the account that signs
in with that address and is audited, and a hub process shows them to the customer."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from pathlib import Path

import httpx

from app.backend.db import Database
from app.backend.settings_env import load_settings
from tests.backend.mail_support import SUPPORT, deliver, listening_hub, mail, mail_settings
from tests.backend.support import Run
from tests.support import bearer, until

PAT = "pat@example.com"


def unsigned(subject: str, message_id: str, sender: str = PAT) -> EmailMessage:
    message = mail(sender, subject, "Left at B7.", message_id=message_id, signed=False)
    message.add_attachment(
        b"Boarding pass NW88", maintype="text", subtype="plain", filename="pass.txt"
    )
    return message


def _mail_in(folder: Path, *messages: EmailMessage) -> None:
    settings = mail_settings(load_settings(data_dir=folder))
    db = Database(settings.database_url)
    try:
        for message in messages:
            assert deliver(db, settings, message) == "250 OK"
    finally:
        db.dispose()


def test_the_operator_lists_and_vouches_for_a_sender(run: Run, tmp_path: Path) -> None:
    assert run("migrate")[0] == 0
    assert run("mail unverified")[1].strip() == "No cases of unverified senders."
    _mail_in(
        tmp_path / "hub",
        unsigned("Stroller left at B7", "q1@example.com"),
        unsigned("Refund", "q2@example.com"),
        unsigned("Not me", "q3@example.com", sender="eve@example.com"),
    )
    code, out = run("mail unverified")
    lines = out.strip().splitlines()
    assert code == 0 and len(lines) == 3
    assert lines[0].startswith("eve@example.com  #") and lines[0].endswith("Not me")
    assert lines[1].startswith(f"{PAT}  #") and lines[1].endswith("Stroller left at B7")
    assert run("mail unverified", PAT)[1].count(PAT) == 2

    code, out = run("mail vouch", " Pat@Example.com ")
    assert code == 0 and "Vouched for" in out and out.count("#") == 2
    assert run("mail unverified")[1].strip().splitlines() == [lines[0]]
    code, out = run("mail vouch", PAT)  # nothing left to vouch for
    assert code == 2 and "has no cases of an unverified sender" in out
    code, out = run("audit")
    assert "mail.vouch" in out and PAT in out


def test_vouched_cases_appear_to_the_customer_after_sign_in(tmp_path: Path) -> None:
    hub, listen = listening_hub(tmp_path / "hub")
    hub.start(demo=False)
    try:
        with smtplib.SMTP("127.0.0.1", listen) as smtp:
            smtp.send_message(unsigned("Stroller left at B7", "q1@example.com"), to_addrs=[SUPPORT])
        pat = bearer(hub.sign_in(PAT)["token"])
        assert httpx.get(f"{hub.url}/v1/cases", headers=pat).json()["items"] == []

        assert "Vouched for" in hub.cli("mail", "vouch", PAT)

        def listed() -> list[dict[str, object]]:
            found: list[dict[str, object]] = httpx.get(f"{hub.url}/v1/cases", headers=pat).json()[
                "items"
            ]
            return found

        (case,) = until(listed, "the vouched case")
        assert (case["subject"], case["channel"]) == ("Stroller left at B7", "email")
        whole = httpx.get(f"{hub.url}/v1/cases/{case['id']}", headers=pat).json()
        (file,) = whole["attachments"]
        got = httpx.get(f"{hub.url}/v1/attachments/{file['id']}", headers=pat)
        assert got.content == b"Boarding pass NW88"
        pulled = httpx.get(f"{hub.url}/v1/sync/pull", headers=pat).json()
        assert case["id"] in {c["id"] for c in pulled["changes"] if c["entity"] == "case"}
    finally:
        hub.stop()
