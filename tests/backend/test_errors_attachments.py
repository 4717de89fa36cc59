"""Attachments are checked and always served as downloads: unsupported types 415, content
that is not its type 422, oversized files 413, file names without their path, and a
download named in UTF-8."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
import pytest

from app.backend.settings import HubSettings
from tests.backend.support import PNG, custom_hub, upload
from tests.support import assert_problem, sign_in


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("tool.exe", "application/x-msdownload"),
        ("page.html", "text/html"),
        ("x.svg", "image/svg+xml"),
    ],
)
async def test_unsupported_attachment_type_is_415(
    client: httpx.AsyncClient, alice: dict[str, str], name: str, kind: str
) -> None:
    assert_problem(await upload(client, alice, name, b"MZ\x90\x00<svg/>", kind), 415)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("photo.png", b"just some text", "image/png"),
        ("scan.pdf", PNG, "application/pdf"),
        ("notes.txt", b"\xff\xfe\x00binary", "text/plain"),
        ("empty.txt", b"", "text/plain"),
    ],
)
async def test_attachment_content_must_match_its_type(
    client: httpx.AsyncClient, alice: dict[str, str], name: str, data: bytes, kind: str
) -> None:
    assert_problem(await upload(client, alice, name, data, kind), 422)


async def test_oversized_attachment_is_413(settings: HubSettings) -> None:
    async with custom_hub(settings, max_attachment_bytes=1_000) as (client, db):
        headers = await sign_in(client, db, "carol@example.com")
        assert (await upload(client, headers, "ok.png", PNG, "image/png")).status_code == 201
        big = PNG + b"\x00" * 1_000
        assert_problem(await upload(client, headers, "big.png", big, "image/png"), 413)
        huge = PNG + b"\x00" * 100_000  # Over the request limit: refused before parsing.
        assert_problem(await upload(client, headers, "huge.png", huge, "image/png"), 413)


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\boot.txt", "boot.txt"),
        (".hidden", "hidden"),
    ],
)
async def test_file_names_lose_their_path(
    client: httpx.AsyncClient, alice: dict[str, str], sent: str, stored: str
) -> None:
    response = await upload(client, alice, sent, b"hello", "text/plain")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == stored
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    assert f'filename="{stored}"' in download.headers["content-disposition"]


async def test_download_is_an_attachment_with_utf8_file_name(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    name = "Résumé ✈ 東京.png"
    response = await upload(client, alice, name, PNG, "image/png")
    assert response.status_code == 201, response.text
    assert response.json()["filename"] == name
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert download.headers["x-content-type-options"] == "nosniff"
    disposition = download.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.isascii()
    encoded = disposition.split("filename*=", 1)[1].split(";")[0].strip()
    assert encoded.startswith("UTF-8''")
    assert unquote(encoded.removeprefix("UTF-8''"), encoding="utf-8") == name
