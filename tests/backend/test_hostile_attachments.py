"""Hostile attachments: content that is not its type refused, type parameters and case
normalized, HTML sent as text served as an inert download, and file names that try to be
paths reduced to one plain name."""

from __future__ import annotations

import unicodedata

import httpx
import pytest

from tests.backend.support import PNG, upload
from tests.support import assert_problem


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


# --- Attachments: content that is not its type, names that try to be paths. ---


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"<html><script>alert(1)</script></html>", "image/gif"),
        (PNG, "image/jpeg"),
        (b"RIFF\x10\x00\x00\x00AVI LIST", "image/webp"),
        (b"%PDF", "image/png"),
        (b"GIF89a", "application/pdf"),
        (b"caf\xe9 au lait", "text/plain"),
        (b"hello\x00world", "text/plain"),
    ],
    ids=["html-as-gif", "png-as-jpeg", "avi-as-webp", "pdf-as-png", "gif-as-pdf", "latin1", "nul"],
)
async def test_content_that_is_not_its_type_is_422(
    client: httpx.AsyncClient, alice: dict[str, str], data: bytes, kind: str
) -> None:
    assert_problem(await upload(client, alice, "file.bin", data, kind), 422)


@pytest.mark.parametrize("kind", ["IMAGE/PNG", "image/png; name=evil.html", "image/png;x=y"])
async def test_type_parameters_and_case_are_normalized(
    client: httpx.AsyncClient, alice: dict[str, str], kind: str
) -> None:
    response = await upload(client, alice, "photo.png", PNG, kind)
    assert response.status_code == 201, response.text
    assert response.json()["content_type"] == "image/png"


async def test_html_sent_as_text_is_served_as_an_inert_text_download(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    page = b"<!doctype html><script>alert(document.cookie)</script>"
    response = await upload(client, alice, "notes.html", page, "text/plain")
    assert response.status_code == 201, response.text
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    assert download.content == page
    assert download.headers["content-type"].startswith("text/plain")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert download.headers["content-disposition"].startswith("attachment;")
    assert "sandbox" in download.headers["content-security-policy"]


def multipart_upload(name: bytes, data: bytes) -> tuple[dict[str, str], bytes]:
    """A multipart body with the file name's bytes exactly as given (clients escape some)."""
    boundary = b"careline-hostile-boundary"
    body = (
        b"--" + boundary + b"\r\n"
        b'Content-Disposition: form-data; name="file"; filename="' + name + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n--" + boundary + b"--\r\n"
    )
    return {"content-type": f"multipart/form-data; boundary={boundary.decode()}"}, body


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        (b"/etc/passwd", "passwd"),
        (b"/", "attachment"),
        (b"C:\\Windows\\System32\\drivers\\etc\\hosts.txt", "hosts.txt"),
        (b"\\\\server\\share\\note.txt", "note.txt"),
        (b"..", "attachment"),
        (b"../", "attachment"),
        (b"....//....//secret.txt", "secret.txt"),
        (b"report.txt\x00.png", "report.txt.png"),
        (b"a\x1b[31mred\x07.txt", "a[31mred.txt"),
        ("invoice\u202etxt.exe".encode(), "invoicetxt.exe"),
        (b"x" * 1_000 + b".txt", "x" * 120),
    ],
    ids=[
        "absolute",
        "root",
        "windows",
        "unc",
        "dots",
        "dots-slash",
        "doubled-dots",
        "nul",
        "control",
        "rtl-override",
        "long",
    ],
)
async def test_file_names_become_one_plain_name(
    client: httpx.AsyncClient, alice: dict[str, str], sent: bytes, stored: str
) -> None:
    headers, body = multipart_upload(sent, b"hello")
    response = await client.post("/v1/attachments", headers={**alice, **headers}, content=body)
    assert response.status_code == 201, response.text
    name = response.json()["filename"]
    assert name == stored
    assert not has_control_characters(name)
    assert "/" not in name and "\\" not in name
    download = await client.get(f"/v1/attachments/{response.json()['id']}", headers=alice)
    disposition = download.headers["content-disposition"]
    assert not has_control_characters(disposition)
    assert disposition.count('"') == 2
