"""Hostile text from customers and in help articles: control characters refused (tabs and
line breaks kept where text is long), Markdown with script links and raw HTML kept as
text and never served as a page."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.support import Company, mutation, push

PHONE = "+13125550123"


CONTROL = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x08\x7f\x9b"  # OSC 52, clear screen, C1 CSI


# --- Control characters in what customers write. ---


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("case.open", {"subject": f"Lost bag{CONTROL}", "description": "d"}),
        ("case.open", {"subject": "Lost bag\r\nX-Injected: 1", "description": "d"}),
        ("case.open", {"subject": "Lost bag", "description": f"Not on the belt{CONTROL}"}),
        ("case.open", {"subject": "Lost bag", "description": "d", "category": "a\x1bb"}),
        ("case.reply", {"case": "mine", "body": f"Any news?{CONTROL}"}),
        ("callback.request", {"queue": "help", "mode": "asap", "phone": PHONE, "note": CONTROL}),
        ("article.feedback", {"article": "lost-bag", "helpful": False, "comment": CONTROL}),
    ],
    ids=["subject", "subject-crlf", "description", "category", "reply", "note", "comment"],
)
async def test_control_characters_in_customer_text_are_rejected(
    client: httpx.AsyncClient,
    alice: dict[str, str],
    company: Company,
    name: str,
    args: dict[str, Any],
) -> None:
    await push(
        client, alice, mutation("case.open", subject="s", description="d", client_ref="mine")
    )
    [result] = await push(client, alice, mutation(name, **args))
    assert result["status"] == "rejected", result
    assert result["error"]["code"] == "invalid"
    assert "control characters" in result["error"]["detail"]


async def test_tabs_and_line_breaks_are_kept_in_longer_text(
    client: httpx.AsyncClient, alice: dict[str, str]
) -> None:
    description = "Flight:\tNW 412\r\nBag tag:\t0123\nColour: red"
    [result] = await push(
        client, alice, mutation("case.open", subject="Lost bag", description=description)
    )
    assert result["status"] == "applied", result
    case_id = result["entity"]["id"]
    case = (await client.get(f"/v1/cases/{case_id}", headers=alice)).json()
    assert case["description"] == description


# --- Markdown with script links and raw HTML: kept as text, never served as a page. ---

HOSTILE_MARKDOWN = (
    "Rebook [here](javascript:alert(document.cookie)) or <javascript:alert(1)>.\n\n"
    '<a href="javascript:alert(1)">click</a> <img src=x onerror=alert(1)>\n\n'
    "<script>alert(1)</script>\n\n[call us](tel:+13125550123)\n"
)


async def test_hostile_markdown_in_an_article_is_stored_as_text_and_served_as_json(
    client: httpx.AsyncClient, operator: dict[str, str], company: Company
) -> None:
    article = {"title": "Rebooking", "body": HOSTILE_MARKDOWN, "category": "baggage"}
    saved = await client.put("/v1/admin/kb/articles/en/rebook", headers=operator, json=article)
    assert saved.status_code == 200, saved.text
    served = await client.get("/v1/kb/articles/rebook")
    assert served.headers["content-type"] == "application/json"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"].startswith("default-src 'none'")
    assert served.json()["body"] == HOSTILE_MARKDOWN


async def test_hostile_markdown_in_an_agent_reply_reaches_the_customer_as_text(
    client: httpx.AsyncClient, alice: dict[str, str], operator: dict[str, str]
) -> None:
    [opened] = await push(client, alice, mutation("case.open", subject="s", description="d"))
    case_id = opened["entity"]["id"]
    reply = {"body": HOSTILE_MARKDOWN, "author_name": "<b>Support</b>"}
    answered = await client.post(f"/v1/admin/cases/{case_id}/replies", headers=operator, json=reply)
    assert answered.status_code == 200, answered.text
    case = await client.get(f"/v1/cases/{case_id}", headers=alice)
    assert case.headers["content-type"] == "application/json"
    [message] = [m for m in case.json()["messages"] if m["author"] == "agent"]
    assert message["body"] == HOSTILE_MARKDOWN.strip()
    assert message["author_name"] == "<b>Support</b>"
