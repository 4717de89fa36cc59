"""The hub's SMTP listener itself, on loopback: it takes mail for the support address
only, refuses mail over its size limit, and answers 451 (try again) when the mail cannot
be kept, so the sending server keeps it until the hub can."""

from __future__ import annotations

import asyncio
import smtplib
from dataclasses import replace
from pathlib import Path

import pytest

from app.backend.channels.mail_in import start_listener
from app.backend.db import Database
from app.backend.settings import HubSettings, SettingsError, sqlite_url
from tests.backend.mail_support import SUPPORT, counts, mail, mail_settings
from tests.hub_process import free_port


def _send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.sendmail("carol@example.com", [SUPPORT], raw)


async def _listening(db: Database, settings: HubSettings) -> tuple[asyncio.Server, int]:
    port = free_port()
    listening = replace(mail_settings(settings), mail_listen=f"127.0.0.1:{port}")
    server = await start_listener(db, listening)
    assert server is not None
    return server, port


async def test_mail_over_the_size_limit_is_refused(db: Database, settings: HubSettings) -> None:
    server, port = await _listening(db, replace(settings, max_attachment_bytes=1_000))
    try:
        big = mail(body="x" * 30_000).as_bytes()
        with pytest.raises(smtplib.SMTPException) as refused:
            await asyncio.to_thread(_send, port, big)
        assert "552" in str(refused.value)
        await asyncio.to_thread(_send, port, mail().as_bytes())
    finally:
        server.close()
        await server.wait_closed()
    assert counts(db) == (1, 0)


async def test_a_mail_the_hub_cannot_keep_is_answered_451_and_kept_on_retry(
    db: Database, settings: HubSettings, tmp_path: Path
) -> None:
    broken_dir = tmp_path / "no-tables"
    broken_dir.mkdir()
    broken = Database(sqlite_url(broken_dir))  # a database without the hub's tables
    server, port = await _listening(broken, settings)
    try:
        with pytest.raises(smtplib.SMTPDataError) as later:
            await asyncio.to_thread(_send, port, mail().as_bytes())
        assert later.value.smtp_code == 451
    finally:
        server.close()
        await server.wait_closed()
        broken.dispose()
    server, port = await _listening(db, settings)
    try:  # the sending server's retry, now that the hub can keep it: one case
        await asyncio.to_thread(_send, port, mail().as_bytes())
        await asyncio.to_thread(_send, port, mail().as_bytes())
    finally:
        server.close()
        await server.wait_closed()
    assert counts(db) == (1, 0)


def test_a_listener_needs_a_support_address(settings: HubSettings) -> None:
    with pytest.raises(SettingsError):
        asyncio.run(start_listener(Database("sqlite://"), replace(settings, mail_listen="h:1")))
