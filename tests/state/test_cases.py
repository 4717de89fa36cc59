"""Cases state against the in-process hub: the new-case form with files and suggestions,
replies online and offline, refused replies retried, and agent replies read."""

from __future__ import annotations

import asyncio

import pytest

from app.api import Offline
from app.backend.crud import attachments, cases
from app.schemas import CaseStatus
from app.state.cases import CasesState
from app.state.runtime import DeviceRuntime
from tests.state.support import hub_case, synced_case
from tests.support import png_bytes
from tests.sync.support import Rig


def upload_rows(runtime: DeviceRuntime) -> int:
    with runtime.personal.db.transaction() as conn:
        return int(conn.execute("SELECT count(*) FROM uploads").fetchone()[0])


async def test_submit_errors_keep_the_form_and_write_nothing(runtime: DeviceRuntime) -> None:
    state = CasesState(runtime)
    state.add_files([("photo.png", png_bytes())])
    assert await state.submit(subject="  ", description="x" * 20_001, category="baggage") is None
    assert state.errors == {"subject": "required", "description": "too_long"}
    assert await state.submit(subject="s" * 201, description="d", category=None) is None
    assert state.errors == {"subject": "too_long"}
    state.add_files([(f"p{n}.png", png_bytes()) for n in range(10)])
    assert await state.submit(subject="Bag", description="Lost", category=None) is None
    assert state.errors == {"files": "too_many_files"}
    assert len(state.files) == 11, "the picked files stay in the form"
    assert runtime.personal.cases.list() == []
    assert runtime.personal.outbox.counts() == {"pending": 0, "rejected": 0}
    assert upload_rows(runtime) == 0


async def test_case_with_a_png_reaches_the_hub_with_its_file(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    rig.sign_in()
    state = CasesState(runtime)
    state.start_case()
    picture = png_bytes()
    state.add_files([("boarding pass.png", picture)])
    assert state.file_errors == [] and state.files[0].content_type == "image/png"
    local_id = await state.submit(subject="Bag", description="Tag attached", category="baggage")
    assert local_id is not None and state.files == []
    [draft] = state.cases
    assert [(a["filename"], a["size"]) for a in draft.attachments] == [
        ("boarding pass.png", len(picture))
    ]
    assert draft.attachments[0]["id"].startswith("upload:")
    await runtime.engine.sync()
    await state.load()
    [case] = state.cases
    assert case.sync_state == "synced" and case.server_id is not None
    [stored] = hub_case(rig, case.server_id).attachments
    assert (stored.filename, stored.content_type, stored.size) == (
        "boarding pass.png",
        "image/png",
        len(picture),
    )
    with rig.db.read() as conn:
        _, data = attachments.attachment_content(conn, attachment_id=stored.id, customer_id=None)
    assert data == picture
    assert [a["id"] for a in case.attachments] == [stored.id]


def test_add_files_checks_type_bytes_and_size(runtime: DeviceRuntime) -> None:
    state = CasesState(runtime)
    state.add_files(
        [
            ("photo.png", b"GIF89a not a png"),
            ("setup.exe", b"MZ\x90\x00"),
            ("empty.txt", b""),
            ("huge.txt", b"a" * 10_000_001),
            ("notes.txt", "équipaje perdido".encode()),
        ]
    )
    assert state.file_errors == [
        "type_mismatch:photo.png",
        "unsupported_type:setup.exe",
        "empty:empty.txt",
        "too_large:huge.txt",
    ]
    assert [(f.filename, f.content_type) for f in state.files] == [("notes.txt", "text/plain")]
    state.add_files([("scan.PDF", b"%PDF-1.7")], reply=True)
    assert state.file_errors == [] and [f.filename for f in state.reply_files] == ["scan.PDF"]
    assert [f.filename for f in state.files] == ["notes.txt"]
    state.remove_file(0, reply=True)
    state.remove_file(0)
    assert state.files == [] and state.reply_files == []


async def test_suggest_finds_articles_and_drops_stale_answers(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    await runtime.engine.sync()
    state = CasesState(runtime)
    await state.suggest("my lugage is lost")
    assert state.suggestions[0].slug == "lost-bag"
    await state.suggest("bag fees")
    assert state.suggestions[0].slug == "bag-fees"
    await state.suggest(" ba ")
    assert state.suggestions == []
    # The store is busy: the search for "luggage" waits; meanwhile the text is erased.
    with runtime.public.db.transaction():
        late = asyncio.create_task(state.suggest("luggage"))
        await asyncio.sleep(0.05)
        assert not late.done()
        await state.suggest("lu")
    await late
    assert state.suggestions == [], "the answer for older text never shows"
    await state.suggest("luggage")
    assert state.suggestions[0].slug == "lost-bag", "there was an answer to drop"


async def test_reply_offline_is_queued_then_sent(rig: Rig, runtime: DeviceRuntime) -> None:
    state, local_id, _ = await synced_case(rig, runtime)
    await state.open_case(local_id)
    assert not await state.reply("   ") and state.reply_error == "required"
    assert runtime.personal.outbox.counts()["pending"] == 0
    rig.transport.down = True
    assert await state.reply(" Any news? ")
    assert state.current is not None
    assert [(m.body, m.state) for m in state.current.messages] == [("Any news?", "queued")]
    with pytest.raises(Offline):
        await runtime.engine.sync()
    rig.transport.down = False
    await runtime.engine.sync()
    await state.load()
    assert [(m.body, m.state) for m in state.current.messages] == [("Any news?", "sent")]
    server_id = state.current.server_id
    assert server_id is not None
    assert [m.body for m in hub_case(rig, server_id).messages] == ["Any news?"]


async def test_refused_reply_fails_then_an_edited_retry_keeps_its_file(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, customer_id = await synced_case(rig, runtime)
    server_id = state.cases[0].server_id
    assert server_id is not None
    with rig.db.write() as conn:
        cases.close_case(conn, customer_id=customer_id, case_ref=server_id)
    await state.open_case(local_id)
    state.add_files([("receipt.png", png_bytes())], reply=True)
    assert await state.reply("Thanks") and state.reply_files == []
    report = await runtime.engine.sync()
    assert report.rejected == 1
    await state.load()
    assert state.current is not None and state.current.status == "closed"
    [failed] = state.current.messages
    assert failed.state == "failed" and failed.error is not None
    assert failed.error.code == "case_closed" and "is closed" in failed.error.detail
    assert hub_case(rig, server_id).messages == []

    with rig.db.write() as conn:
        cases.set_case_status(conn, case_id=server_id, status=CaseStatus.open)
    state.edit(failed.id)
    assert not await state.retry(failed, "  ")
    assert [state.editing] == [failed.id], "an empty edit is not sent"
    sent_again = await state.retry(failed, "Thanks, receipt attached")
    assert (sent_again, state.editing) == (True, None)
    assert runtime.personal.outbox.counts() == {"pending": 1, "rejected": 0}
    await runtime.engine.sync()
    [sent] = hub_case(rig, server_id).messages
    assert sent.body == "Thanks, receipt attached" and sent.client_ref == failed.id
    assert [a.filename for a in sent.attachments] == ["receipt.png"]
    await state.load()
    assert [(m.body, m.state) for m in state.current.messages] == [
        ("Thanks, receipt attached", "sent")
    ]


async def test_agent_reply_is_unread_until_the_case_is_opened(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, _ = await synced_case(rig, runtime)
    server_id = state.cases[0].server_id
    assert server_id is not None and state.unread == 0
    with rig.db.write() as conn:
        cases.agent_reply(conn, case_id=server_id, body="We found it", author_name="Maya")
    await runtime.engine.sync()
    await state.load()
    assert state.unread == 1 and state.cases[0].unread == 1
    await state.open_case(str(state.cases[0].number))
    assert state.current is not None and state.current.local_id == local_id
    assert state.current.unread == 0 and state.unread == 0
    assert runtime.personal.cases.get(local_id).unread == 0  # type: ignore[union-attr]
    assert [m.author_name for m in state.current.messages] == ["Maya"]

    await state.close_case()
    assert state.current.status == "closed"
    await runtime.engine.sync()
    assert hub_case(rig, server_id).status is CaseStatus.closed
