"""Files in a case thread open: the customer's and the agent's, fetched with the
customer's token into the device's folder (bytes as uploaded); a file not sent yet opens
from the device's own copy, also offline; a served app hands out one-time addresses."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import httpx
from fastapi import FastAPI

from app.backend.crud import attachments, auth, cases
from app.schemas.files import type_for_filename
from app.state.attachments import FILES_PATH, FileTickets, ThreadFile, file_bytes
from app.state.runtime import DeviceRuntime
from app.views.web.files import files_router
from tests.state.support import synced_case
from tests.support import png_bytes
from tests.sync.support import Rig

TICKET = b"Flight NW12, seat 14C, Friday 09:40\n"


def opened(uri: str | None) -> bytes:
    assert uri is not None and uri.startswith("file://")
    return Path(unquote(urlparse(uri).path)).read_bytes()


def hub_file(rig: Rig, filename: str, data: bytes, *, owner: str) -> dict[str, Any]:
    """A file the hub keeps for the customer `owner` (an id, or an email to make one)."""
    content_type = type_for_filename(filename)
    assert content_type is not None
    with rig.db.write() as conn:
        if "@" in owner:
            owner = auth.ensure_customer(conn, email=owner).id
        stored = attachments.store_attachment(
            conn,
            customer_id=owner,
            filename=filename,
            content_type=content_type,
            data=data,
            max_bytes=10_000,
        )
    return stored.model_dump()


async def test_the_thread_lists_and_opens_both_sides_files(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, _ = await synced_case(rig, runtime)
    await state.open_case(local_id)
    picture = png_bytes()
    state.add_files([("tag.png", picture)], reply=True)
    assert await state.reply("My bag tag")
    await runtime.engine.sync()
    server_id = state.cases[0].server_id
    assert server_id is not None
    with rig.db.write() as conn:
        sent = attachments.store_agent_attachment(
            conn,
            case_id=server_id,
            filename="rebooking.txt",
            content_type="text/plain",
            data=TICKET,
            max_bytes=10_000,
        )
        cases.agent_reply(conn, case_id=server_id, body="Rebooked", attachment_ids=[sent.id])
    await runtime.engine.sync()
    await state.open_case(server_id)
    assert state.current is not None
    mine, agents = state.current.messages
    assert [(a["filename"], a["content_type"], a["size"]) for a in mine.attachments] == [
        ("tag.png", "image/png", len(picture))
    ]
    assert [(a["filename"], a["content_type"], a["size"]) for a in agents.attachments] == [
        ("rebooking.txt", "text/plain", len(TICKET))
    ]
    assert opened(await state.open_file(mine.attachments[0])) == picture
    uri = await state.open_file(agents.attachments[0])
    assert opened(uri) == TICKET and state.file_error is None
    assert uri is not None and uri.endswith("/rebooking.txt")

    # Another customer's file, or none at all: not opened, and said why.
    other = hub_file(rig, "bob.txt", b"Bob's", owner="bob@example.com")
    assert await state.open_file(other) is None
    assert state.file_error == "file_missing"


async def test_a_file_not_sent_yet_opens_from_the_device_also_offline(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, local_id, _ = await synced_case(rig, runtime)
    await state.open_case(local_id)
    rig.transport.down = True
    state.add_files([("receipt.txt", b"Receipt 42")], reply=True)
    assert await state.reply("Receipt attached")
    await state.open_case(local_id)
    assert state.current is not None
    [queued] = state.current.messages
    assert queued.state == "queued" and queued.attachments[0]["id"].startswith("upload:")
    assert opened(await state.open_file(queued.attachments[0])) == b"Receipt 42"

    # An agent's file that never reached this device can't be fetched offline.
    unreachable = {"id": "att_x", "filename": "a.txt", "content_type": "text/plain", "size": 1}
    assert await state.open_file(unreachable) is None
    assert state.file_error == "file_offline"

    # Once sent, the device's copy is freed and the file comes from the hub.
    rig.transport.down = False
    await runtime.engine.sync()
    await state.open_case(local_id)
    [sent] = state.current.messages
    assert sent.state == "sent" and not sent.attachments[0]["id"].startswith("upload:")
    assert opened(await state.open_file(sent.attachments[0])) == b"Receipt 42"


async def test_a_served_app_gives_one_time_addresses(rig: Rig, runtime: DeviceRuntime) -> None:
    state, _, _ = await synced_case(rig, runtime)
    tickets = FileTickets()
    state.tickets = tickets
    item = {"id": "upload:none", "filename": "x.txt", "content_type": "text/plain", "size": 1}
    address = await state.open_file(item)
    assert address is not None and address.startswith(FILES_PATH)
    key = address.removeprefix(FILES_PATH)
    assert len(key) >= 40 and FileTickets().redeem(key) is None
    ticket = tickets.redeem(key)
    assert ticket is not None and ticket.runtime is runtime and ticket.file.filename == "x.txt"
    assert tickets.redeem(key) is None, "good once"
    expired = FileTickets(seconds=0)
    assert expired.redeem(expired.issue(runtime, ticket.file).removeprefix(FILES_PATH)) is None


async def test_file_bytes_come_from_the_hub_with_the_token(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, _, customer_id = await synced_case(rig, runtime)
    mine = hub_file(rig, "a.pdf", b"%PDF-1.4 x", owner=customer_id)
    assert await file_bytes(runtime, ThreadFile.of(mine)) == b"%PDF-1.4 x"
    assert state.tickets is None


async def test_the_app_servers_file_address_downloads_once_for_its_device(
    rig: Rig, runtime: DeviceRuntime
) -> None:
    state, _, customer_id = await synced_case(rig, runtime)
    mine = hub_file(rig, "Résumé.pdf", b"%PDF-1.4 mine", owner=customer_id)
    bobs = hub_file(rig, "bob.txt", b"Bob's", owner="bob@example.com")
    tickets = FileTickets()
    state.tickets = tickets
    server = FastAPI()
    server.include_router(files_router(tickets))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(server), base_url="http://app.test"
    ) as browser:
        address = await state.open_file(mine)
        assert address is not None
        answer = await browser.get(address)
        assert answer.status_code == 200 and answer.content == b"%PDF-1.4 mine"
        assert answer.headers["content-type"] == "application/pdf"
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-disposition"].startswith("attachment;")
        assert "UTF-8''R%C3%A9sum%C3%A9.pdf" in answer.headers["content-disposition"]
        again = await browser.get(address)
        assert again.status_code == 404, "an address is good once"
        assert again.headers["content-type"] == "application/problem+json"
        assert (await browser.get(FILES_PATH + "guessed")).status_code == 404
        # Another customer's file never comes through this device's address.
        stolen = await browser.get(str(await state.open_file(bobs)))
        assert stolen.status_code == 404 and b"Bob" not in stolen.content
