"""The operator CLI's `channels` commands on a hub folder: status, backlog, replay and
reconcile, with no helpdesk, and with a Zendesk that cannot be reached (a closed port on
loopback: Zendesk itself cannot run here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.backend.channels import outbox
from app.backend.db import Database
from app.backend.settings import sqlite_url
from tests.backend.support import Run
from tests.hub_process import free_port


def _seed(tmp_path: Path) -> None:
    """Two items: one the helpdesk refused, one waiting behind it."""
    db = Database(sqlite_url(tmp_path / "hub"))
    try:
        with db.write() as conn:
            outbox.enqueue(conn, "zendesk", "case_a", outbox.Kind.ticket)
            outbox.enqueue(conn, "zendesk", "case_a", outbox.Kind.comment, "msg_1")
            (first, _) = outbox.backlog(conn)
            outbox.settle(conn, first.id, outbox.State.failed, error="refused: 422 invalid")
    finally:
        db.dispose()


def test_status_backlog_and_replay(run: Run, tmp_path: Path) -> None:
    assert run("migrate")[0] == 0
    code, out = run("channels status")
    assert code == 0 and "Connector: none" in out and "Oldest pending: none pending" in out
    assert run("channels backlog")[1].strip() == "Nothing waits for the helpdesk."
    _seed(tmp_path)
    code, out = run("channels status")
    assert "Backlog: pending 1, done 0, failed 1" in out and "Oldest pending: 0m" in out
    code, out = run("channels backlog")
    assert "#1 failed  zendesk case case_a ticket" in out
    assert "last error: refused: 422 invalid" in out
    assert "#2 pending zendesk case case_a comment msg_1 attempts 0" in out
    assert run("channels replay")[0] == 2  # neither an id nor --failed
    code, out = run("channels replay", "2")
    assert code == 2 and "#2 is not a failed item" in out
    code, out = run("channels replay", "1")
    assert code == 0 and "Replaying 1 item(s)" in out
    assert "Backlog: pending 2, done 0, failed 0" in run("channels status")[1]
    assert run("channels replay", "--failed")[1].startswith("Replaying 0 item(s)")


def test_a_zendesk_that_cannot_be_reached(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = run("channels reconcile")
    assert code == 2 and "no helpdesk is configured" in out
    monkeypatch.setenv("CARELINE_HELPDESK", "zendesk")
    code, out = run("channels status")
    assert code == 2 and "CARELINE_ZENDESK_URL" in out and "CARELINE_ZENDESK_EMAIL" in out
    monkeypatch.setenv("CARELINE_ZENDESK_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("CARELINE_ZENDESK_EMAIL", "agent@northwind.example")
    monkeypatch.setenv("CARELINE_ZENDESK_API_TOKEN", "token")
    monkeypatch.setenv("CARELINE_ZENDESK_WEBHOOK_SECRET", "secret")
    code, out = run("channels status")
    assert code == 0 and "Connector: zendesk" in out and "Reachable: no (Zendesk unreachable" in out
    code, out = run("channels reconcile")
    assert code == 0 and "Reconciled with zendesk: 0 change(s) applied." in out
    monkeypatch.setenv("CARELINE_HELPDESK", "freshdesk")
    code, out = run("channels status")
    assert (
        code == 2 and "CARELINE_HELPDESK is 'freshdesk': expected zendesk or django-helpdesk" in out
    )
