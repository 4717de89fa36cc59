"""Files staged with a case or a reply: kept with the change through offline time and app
restarts, uploaded once just before the change is pushed, and freed once the hub has them;
a file the hub refuses refuses its change, which is then never pushed."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import func, select

from app.api import HubClient, Offline
from app.backend.crud import cases
from app.backend.db.tables import attachments
from app.backend.db.tables import cases as hub_cases
from app.schemas import Case
from app.store import LocalStores, open_local
from app.store.uploads import NewFile
from app.sync import SyncEngine
from tests.support import png_bytes
from tests.sync.support import Rig

UPLOAD = "POST /v1/attachments"
PUSH = "POST /v1/sync/push"


def staged(store: LocalStores) -> list[dict[str, Any]]:
    with store.personal.db.transaction() as conn:
        rows: list[sqlite3.Row] = conn.execute(
            "SELECT filename, size, data, server_id, error FROM uploads ORDER BY created_at"
        ).fetchall()
    return [dict(r) for r in rows]


def hub_count(rig: Rig, table: Any) -> int:
    with rig.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def only_hub_case(rig: Rig) -> Case:
    with rig.db.read() as conn:
        found, _ = cases.list_cases(conn)
    [case] = found
    return case


async def test_staged_file_survives_offline_and_a_restart_then_uploads_once(
    rig: Rig,
) -> None:
    rig.sign_in()
    picture = png_bytes()
    local_id = rig.personal.cases.open(
        subject="Bag",
        description="Photo attached",
        category="baggage",
        files=[NewFile.checked("bag.png", picture)],
    )
    [entry] = rig.personal.outbox.pending()
    assert entry.args["attachments"][0].startswith("upload:")
    rig.transport.down = True
    with pytest.raises(Offline):
        await rig.engine.sync()
    [row] = staged(rig.store)
    assert row == {
        "filename": "bag.png",
        "size": len(picture),
        "data": picture,
        "server_id": None,
        "error": None,
    }
    assert hub_count(rig, attachments) == 0

    # The app is closed and opened again, still offline at first.
    path = rig.personal.db.path
    assert path is not None
    rig.store.close()
    store = open_local(path.parent)
    client = HubClient(
        "http://hub.test", token=store.personal.account.token, transport=rig.transport
    )
    engine = SyncEngine(client, public=store.public, personal=store.personal)
    try:
        assert [e.key for e in store.personal.outbox.pending()] == [entry.key]
        assert staged(store)[0]["data"] == picture
        rig.transport.down = False
        rig.transport.requests.clear()
        report = await engine.sync()
        assert (report.pushed, report.rejected) == (1, 0)
        assert rig.transport.requests[:2] == [UPLOAD, PUSH], "the file goes first"
        [row] = staged(store)
        assert row["data"] is None and row["server_id"] is not None, "bytes freed"
        case = only_hub_case(rig)
        assert [(a.id, a.filename) for a in case.attachments] == [(row["server_id"], "bag.png")]
        view = store.personal.cases.get(local_id)
        assert view is not None and view.sync_state == "synced"
        await engine.sync()
        assert rig.transport.requests.count(UPLOAD) == 1
        assert hub_count(rig, attachments) == 1
    finally:
        await client.aclose()
        store.close()


async def test_a_lost_push_after_the_upload_does_not_upload_again(rig: Rig) -> None:
    rig.sign_in()
    await rig.engine.sync()
    local_id = rig.personal.cases.open(subject="Seat", description="d", category="general")
    await rig.engine.sync()
    rig.personal.cases.reply(local_id, "Here it is", [NewFile.checked("note.txt", b"row 12")])
    rig.transport.requests.clear()
    rig.transport.plan = ["none", "drop_before"]  # the upload passes, the push does not
    with pytest.raises(Offline):
        await rig.engine.sync()
    [row] = staged(rig.store)
    assert row["data"] is None and row["server_id"] is not None
    assert rig.personal.outbox.counts()["pending"] == 1
    await rig.engine.sync()
    assert rig.transport.requests.count(UPLOAD) == 1
    [message] = only_hub_case(rig).messages
    assert message.body == "Here it is"
    assert [(a.id, a.filename) for a in message.attachments] == [(row["server_id"], "note.txt")]
    view = rig.personal.cases.get(local_id)
    assert view is not None and [m.state for m in view.messages] == ["sent"]
    assert view.messages[0].attachments[0]["filename"] == "note.txt"


async def test_a_file_the_hub_refuses_refuses_its_change_and_nothing_is_pushed(
    rig: Rig,
) -> None:
    rig.sign_in()
    hub = rig.hub.state.hub
    hub.settings = hub.settings.with_overrides(max_attachment_bytes=100)
    refused = rig.personal.cases.open(
        subject="Big photo",
        description="d",
        category="general",
        files=[NewFile.checked("big.png", png_bytes() + b"\x00" * 200)],
    )
    rig.transport.requests.clear()
    report = await rig.engine.sync()
    assert report.rejected == 1 and report.pushed == 0
    assert rig.transport.requests.count(UPLOAD) == 1 and PUSH not in rig.transport.requests
    view = rig.personal.cases.get(refused)
    assert view is not None and view.sync_state == "rejected" and view.error is not None
    assert (view.error.code, view.error.detail) == (
        "attachment_refused",
        "Attachments are limited to 100 bytes.",
    )
    [entry] = rig.personal.outbox.rejected()
    assert entry.error == view.error
    [row] = staged(rig.store)
    assert row["server_id"] is None and row["data"] is not None and row["error"] is not None
    assert hub_count(rig, hub_cases) == 0 and hub_count(rig, attachments) == 0

    # A change without files in the same outbox still goes; the refused one stays out.
    rig.personal.cases.open(subject="Small", description="d", category="general")
    rig.transport.requests.clear()
    report = await rig.engine.sync()
    assert (report.pushed, report.rejected) == (1, 0)
    assert UPLOAD not in rig.transport.requests
    assert only_hub_case(rig).subject == "Small"


async def test_content_that_is_not_its_type_is_refused_with_the_hub_reason(rig: Rig) -> None:
    rig.sign_in()
    local_id = rig.personal.cases.open(subject="Seat", description="d", category="general")
    await rig.engine.sync()
    # Staged by an older app that did not check the bytes.
    forged = NewFile("scan.pdf", "application/pdf", b"MZ\x90\x00 not a pdf")
    message_id = rig.personal.cases.reply(local_id, "My scan", [forged])
    report = await rig.engine.sync()
    assert report.rejected == 1
    view = rig.personal.cases.get(local_id)
    assert view is not None
    [failed] = view.messages
    assert (failed.id, failed.state) == (message_id, "failed")
    assert failed.error is not None and failed.error.code == "attachment_refused"
    assert failed.error.detail == "The file is not a valid application/pdf."
    assert only_hub_case(rig).messages == [] and hub_count(rig, attachments) == 0


async def test_retrying_a_reply_refused_for_its_file_asks_the_hub_again(rig: Rig) -> None:
    rig.sign_in()
    local_id = rig.personal.cases.open(subject="Seat", description="d", category="general")
    await rig.engine.sync()
    hub = rig.hub.state.hub
    roomy = hub.settings
    hub.settings = roomy.with_overrides(max_attachment_bytes=100)
    big = NewFile.checked("big.png", png_bytes() + b"\x00" * 200)
    message_id = rig.personal.cases.reply(local_id, "My photo", [big])
    assert (await rig.engine.sync()).rejected == 1
    hub.settings = roomy
    rig.personal.cases.reply(local_id, "My photo", message_id=message_id)
    await rig.engine.sync()
    [message] = only_hub_case(rig).messages
    assert [a.filename for a in message.attachments] == ["big.png"]


async def test_a_lost_upload_answer_leaves_one_copy_on_the_hub(rig: Rig) -> None:
    rig.sign_in()
    files = [NewFile.checked("bag.png", png_bytes())]
    rig.personal.cases.open(subject="Bag", description="d", category="general", files=files)
    rig.transport.plan = ["drop_after"]  # the hub stores the file; its answer is lost
    with pytest.raises(Offline):
        await rig.engine.sync()
    await rig.engine.sync()
    assert len(only_hub_case(rig).attachments) == 1
    assert hub_count(rig, attachments) == 1
