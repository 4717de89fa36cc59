"""What the supervisor's screens show in the browser tests, put on a real hub the way
customers' devices put it: votes with comments on articles, searches that found nothing
(as a device's counts), and an as-soon-as-possible callback waiting."""

from __future__ import annotations

import re
import secrets
from typing import Any

import httpx
from playwright.sync_api import Locator, Page

from tests.hub_process import RealHub
from tests.support import bearer, mutation

SUPERVISOR = "supervisor@northwind.example"


def go_to(page: Page, label: str) -> None:
    """A destination of the console's rail (Flutter names it "<label> Tab n of m")."""
    page.get_by_role("button", name=f"{label} Tab").click()


def saved(page: Page) -> Locator:
    """The "Saved." a form shows once the hub took it (Flutter merges it into the label of
    the group around it)."""
    return page.get_by_role("group", name=re.compile(r"Saved\.")).first


def first_queue(hub: RealHub) -> dict[str, Any]:
    queues: list[dict[str, Any]] = httpx.get(f"{hub.url}/v1/callbacks/queues").json()["items"]
    return queues[0]


def seed(hub: RealHub) -> None:
    articles = httpx.get(f"{hub.url}/v1/kb/articles", params={"locale": "en"}).json()["items"]
    for index, article in enumerate(articles[:3]):
        for helpful in (False, True, index == 2):
            vote: dict[str, Any] = {
                "article": article["id"],
                "helpful": helpful,
                "voter": secrets.token_hex(12),
            }
            if not helpful:
                vote["comment"] = "It does not say how long a refund takes"
            httpx.post(f"{hub.url}/v1/kb/feedback", json=vote).raise_for_status()
    counts = {"locale": "en", "counts": {"pet in cabin": 7, "lost passport": 3}}
    httpx.post(f"{hub.url}/v1/search-gaps", json=counts).raise_for_status()
    token = hub.sign_in("waiting.customer@example.com")["token"]
    asked = mutation(
        "callback.request", queue=first_queue(hub)["id"], mode="asap", phone="+34911234567"
    )
    httpx.post(
        f"{hub.url}/v1/sync/push",
        json={"client_id": "seed-device", "mutations": [asked]},
        headers=bearer(token),
    ).raise_for_status()
