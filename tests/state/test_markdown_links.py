"""Links in Markdown from the hub lead only to app routes and to http(s), mailto and tel
addresses."""

from __future__ import annotations

import pytest

from app.state.links import safe_link_target


@pytest.mark.parametrize(
    "url",
    [
        "https://www.northwind.example/rebook",
        "HTTPS://WWW.NORTHWIND.EXAMPLE/",
        "http://status.northwind.example/?from=app#now",
        "mailto:help@northwind.example?subject=Lost%20bag",
        "tel:+13125550123",
        "/help/lost-bag",
        "/status",
        "/callbacks/new?queue=rebooking",
    ],
)
def test_app_routes_and_safe_addresses_are_followed(url: str) -> None:
    assert safe_link_target(url) == url


def test_surrounding_spaces_are_dropped() -> None:
    assert safe_link_target("  https://northwind.example/a \n") == "https://northwind.example/a"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x00javascript:alert(1)",
        "jav&#x61;script:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "file:///etc/passwd",
        "intent://scan/#Intent;scheme=zxing;end",
        "ftp://files.example/x",
        "sms:+13125550123",
        "//evil.example/phish",
        "/\\evil.example",
        "\\\\evil.example\\share",
        "https:evil.example",
        "https:///no-host",
        "https://evil.example/\u202egpj.exe",
        "mailto:",
        "tel:",
        "help/lost-bag",
        "#section",
        "",
        "   ",
    ],
)
def test_anything_else_is_not_followed(url: str) -> None:
    assert safe_link_target(url) is None
