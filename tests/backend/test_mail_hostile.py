"""Hostile mail: each has one clear outcome, and nothing is lost or doubled."""

from __future__ import annotations

import logging

import pytest

from app.backend.channels.mail_parse import MAX_DEPTH, MAX_PARTS
from app.backend.db import Database
from app.backend.settings import HubSettings
from tests.backend.mail_support import (
    all_cases,
    case_files,
    counts,
    deliver,
    mail,
    mail_settings,
    verified,
)
from tests.backend.support import PNG


@pytest.mark.parametrize(
    "header",
    [
        ("Auto-Submitted", "auto-replied"),
        ("Auto-Submitted", "auto-generated"),
        ("Precedence", "bulk"),
        ("Precedence", "junk"),
        ("Precedence", "list"),
        ("X-Autoreply", "yes"),
        ("From", "MAILER-DAEMON@mx.example.com"),
        ("X-Careline-Loop", "northwind.test"),
        ("From", "Northwind <SUPPORT@northwind.test>"),
    ],
)
def test_auto_replies_bounces_and_loops_are_dropped(
    db: Database, settings: HubSettings, header: tuple[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "careline.hub.mail")
    message = mail()
    if header[0] in message:
        message.replace_header(header[0], header[1])
    else:
        message[header[0]] = header[1]
    assert deliver(db, mail_settings(settings), message).startswith("250 OK: not kept")
    assert counts(db) == (0, 0)
    assert "dropped" in caplog.text


def test_a_person_may_say_auto_submitted_no(db: Database, settings: HubSettings) -> None:
    assert deliver(db, mail_settings(settings), mail(Auto_Submitted="no")) == "250 OK"
    assert counts(db) == (1, 0)


@pytest.mark.parametrize("envelope", ["", "<>", "MAILER-DAEMON@mx.example.com"])
def test_a_bounce_by_its_return_path_is_dropped(
    db: Database, settings: HubSettings, envelope: str
) -> None:
    assert deliver(db, mail_settings(settings), mail(), sender=envelope).startswith("250 OK: not")
    assert counts(db) == (0, 0)


def test_a_delivery_status_report_is_dropped(db: Database, settings: HubSettings) -> None:
    report = mail()
    report.make_mixed()
    report.replace_header(
        "Content-Type", 'multipart/report; report-type=delivery-status; boundary="b"'
    )
    assert deliver(db, mail_settings(settings), report).startswith("250 OK: not kept")
    assert counts(db) == (0, 0)


def test_the_same_message_id_twice_is_one_message(db: Database, settings: HubSettings) -> None:
    settings = mail_settings(settings)
    assert deliver(db, settings, mail()) == "250 OK"
    assert deliver(db, settings, mail()) == "250 OK: already kept"
    # Without a Message-ID the same bytes are recognised by their digest.
    bare = mail(message_id=None, subject="No id").as_bytes()
    assert deliver(db, settings, bare) == "250 OK"
    assert deliver(db, settings, bare) == "250 OK: already kept"
    assert counts(db) == (2, 0)


def test_a_long_text_is_cut_with_a_note(db: Database, settings: HubSettings) -> None:
    assert deliver(db, mail_settings(settings), mail(body="bag " * 10_000)) == "250 OK"
    [case] = all_cases(db)
    assert case.description.startswith("bag bag")
    assert case.description.endswith("[The mail's text was cut at 20000 characters.]")


def test_malformed_mime_keeps_the_readable_text_and_says_so(
    db: Database, settings: HubSettings
) -> None:
    raw = (
        b"From: carol@example.com\r\nTo: support@northwind.test\r\nSubject: broken\r\n"
        b"Message-ID: <m1@x>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="never-closed"\r\n\r\n'
        b"--never-closed\r\nContent-Type: text/plain\r\n\r\nStill readable\r\n"
        b"--never-closed\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"%%%not base64%%%"
    )
    assert deliver(db, mail_settings(settings), raw) == "250 OK"
    [case] = all_cases(db)
    assert case.description.startswith("Still readable")
    assert "malformed" in case.description


def test_no_from_address_is_refused(db: Database, settings: HubSettings) -> None:
    raw = b"Subject: who?\r\nMessage-ID: <n@x>\r\n\r\nbody\r\n"
    assert deliver(db, mail_settings(settings), raw).startswith("550 ")
    assert counts(db) == (0, 0)


def _nested(depth: int) -> bytes:
    inner = "Content-Type: text/plain\r\n\r\ndeep\r\n"
    for level in range(depth):
        inner = (
            f'Content-Type: multipart/mixed; boundary="b{level}"\r\n\r\n'
            f"--b{level}\r\n{inner}\r\n--b{level}--\r\n"
        )
    return f"From: carol@example.com\r\nMessage-ID: <deep{depth}@x>\r\n{inner}".encode()


def test_too_deep_or_too_many_parts_is_refused_whole(db: Database, settings: HubSettings) -> None:
    settings = mail_settings(settings)
    assert deliver(db, settings, _nested(MAX_DEPTH)) == "250 OK"
    assert deliver(db, settings, _nested(MAX_DEPTH + 1)).startswith("554 ")
    many = mail(message_id="many@x")
    for n in range(MAX_PARTS + 1):
        many.add_attachment(b"x", maintype="text", subtype="plain", filename=f"{n}.txt")
    assert deliver(db, settings, many).startswith("554 ")
    assert counts(db) == (1, 0)


@pytest.mark.parametrize(
    ("charset", "data", "text"),
    [
        ("x-unknown-charset", "Gepäck".encode(), "Gepäck"),  # unknown: read as UTF-8
        ("us-ascii", "Gepäck".encode(), "Gepäck"),  # wrong: it is UTF-8
        ("utf-8", "Gepäck".encode("latin-1"), "Gepäck"),  # wrong: it is Latin-1
        ("iso-8859-1", "Gepäck".encode("latin-1"), "Gepäck"),
    ],
)
def test_wrong_or_unknown_charsets_lose_no_text(
    db: Database, settings: HubSettings, charset: str, data: bytes, text: str
) -> None:
    raw = (
        b"From: carol@example.com\r\nMessage-ID: <c@x>\r\nSubject: bag\r\n"
        b"Content-Type: text/plain; charset=" + charset.encode() + b"\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + data + b"\r\n"
    )
    assert deliver(db, mail_settings(settings), raw) == "250 OK"
    assert all_cases(db)[0].description == text


def test_html_only_mail_is_kept_as_text_without_scripts(
    db: Database, settings: HubSettings
) -> None:
    message = mail()
    message.set_content(
        "<html><head><style>p{}</style><script>steal()</script></head><body>"
        "<p>My <b>bag</b> &amp; coat</p><img src=x onerror=alert(1)><p>Row 12</p></body></html>",
        subtype="html",
    )
    assert deliver(db, mail_settings(settings), message) == "250 OK"
    assert all_cases(db)[0].description == "My bag & coat\n\nRow 12"


def test_attachments_follow_the_apps_rules(db: Database, settings: HubSettings) -> None:
    message = mail()
    message.add_attachment(PNG, maintype="image", subtype="png", filename="tag.png")
    message.add_attachment(
        b"MZ\x90", maintype="application", subtype="x-msdownload", filename="a.exe"
    )
    message.add_attachment(b"not a png", maintype="image", subtype="png", filename="fake.png")
    assert deliver(db, mail_settings(settings), message) == "250 OK"
    [case] = all_cases(db)
    assert "'a.exe' not kept" in case.description
    assert "'fake.png' not kept" in case.description
    assert case_files(db, case.id) == ["tag.png"]


def test_the_verified_header_must_come_from_the_configured_server(
    db: Database, settings: HubSettings
) -> None:
    settings = mail_settings(settings)
    spoofed = mail(signed=False)
    spoofed["Authentication-Results"] = verified("example.com").replace("pass", "fail")
    deliver(db, settings, spoofed)
    [case] = all_cases(db)
    assert case.customer_id.startswith("unv_")
