"""What one account may make the hub keep, measured on a real hub: each pushed mutation
counts against the write limit, a customer keeps a bounded number of push devices with
keys no longer than a push service makes them, and their files share a storage quota."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.backend.db.tables import alert_devices, attachments, devices
from tests.backend.security.quota_support import count, push, session, started
from tests.hub_process import RealHub
from tests.support import PROBLEM_JSON, mutation

pytestmark = pytest.mark.server

P256DH = "B" + "A" * 86  # 65 bytes in base64url, as a browser sends it
AUTH = "c2VjcmV0c2VjcmV0MTY"


def device(n: int) -> dict[str, object]:
    return mutation(
        "device.register",
        seq=n,
        platform="webpush",
        endpoint=f"https://fcm.googleapis.com/fcm/send/phone-{n}",
        keys={"p256dh": P256DH, "auth": AUTH},
    )


def test_a_push_counts_each_of_its_mutations_against_the_write_limit(hub: RealHub) -> None:
    """120 writes a minute: 100 mutations pass, the next 100 in one push are refused whole.
    (Counted per push, 100 pushes of 100 went through each minute.)"""
    headers = session(hub, "flood@example.com")
    follows = [mutation("subscriptions.set", seq=n, components=[]) for n in range(100)]
    first = push(hub, headers, *follows)
    assert first.status_code == 200, first.text
    assert all(r["status"] == "applied" for r in first.json()["results"])

    opens = [
        mutation("case.open", seq=100 + n, subject=f"Case {n}", description="Flood")
        for n in range(100)
    ]
    second = push(hub, headers, *opens)
    assert second.status_code == 429, second.text[:300]
    assert second.headers["content-type"].startswith(PROBLEM_JSON)
    assert 1 <= int(second.headers["retry-after"]) <= 60
    # Nothing of the refused push was applied.
    mine = httpx.get(f"{hub.url}/v1/cases", headers=headers)
    assert mine.status_code == 200
    assert mine.json()["items"] == []
    # Another customer's writes are their own.
    other = push(hub, session(hub, "calm@example.com"), opens[0])
    assert other.status_code == 200


def test_the_21st_device_replaces_the_one_registered_longest_ago(hub: RealHub) -> None:
    """A customer with a new phone still gets alerts there; endless devices are not kept."""
    headers = session(hub, "phones@example.com")
    assert push(hub, headers, *(device(n) for n in range(20))).status_code == 200
    assert push(hub, headers, device(0)).status_code == 200  # phone 0 registers again
    newest = push(hub, headers, device(20))
    assert newest.json()["results"][0]["status"] == "applied"

    assert count(hub, devices) == 20
    gone = devices.c.endpoint.endswith("/phone-1")
    assert count(hub, devices, gone) == 0
    assert count(hub, devices, devices.c.endpoint.endswith("/phone-0")) == 1
    assert count(hub, devices, devices.c.endpoint.endswith("/phone-20")) == 1


def test_a_huge_key_or_a_platform_without_an_adapter_is_refused(hub: RealHub) -> None:
    """A 900 kB key for a platform the hub cannot push to was stored as it came."""
    headers = session(hub, "keys@example.com")
    huge = "A" * 900_000
    attempts = [
        mutation("device.register", seq=1, platform="ntfy", endpoint="https://ntfy.sh/x"),
        mutation(
            "device.register",
            seq=2,
            platform="webpush",
            endpoint="https://fcm.googleapis.com/fcm/send/x",
            keys={"p256dh": huge, "auth": AUTH},
        ),
        mutation("device.register", seq=3, platform="fcm", endpoint="t" * 5000),
    ]
    for attempt in attempts:
        answer = push(hub, headers, attempt)
        assert answer.status_code == 200, answer.text
        [result] = answer.json()["results"]
        assert result["status"] == "rejected", result
        assert result["error"]["code"] == "invalid"
        assert len(answer.content) < 2000  # the refusal does not echo the key
    signed_out = httpx.post(
        f"{hub.url}/v1/alerts/devices",
        json={"platform": "apns", "endpoint": "https://ntfy.sh/y", "keys": {"k": huge}},
    )
    assert signed_out.status_code == 422
    assert count(hub, devices) == 0
    assert count(hub, alert_devices) == 0


@pytest.fixture
def small_quota(tmp_path: Path, database_url: str) -> Iterator[RealHub]:
    """A hub whose customers may keep 1 MB of files."""
    hub = started(tmp_path / "hub", database_url, CARELINE_STORAGE_PER_CUSTOMER_MB="1")
    yield hub
    hub.stop()


def upload(hub: RealHub, headers: dict[str, str], size: int, key: str) -> httpx.Response:
    return httpx.post(
        f"{hub.url}/v1/attachments",
        headers={**headers, "Idempotency-Key": key},
        files={"file": (f"{key}.txt", b"x" * size, "text/plain")},
    )


def test_uploads_beyond_the_storage_quota_are_refused(small_quota: RealHub) -> None:
    """Unattached uploads of 10 MB each were kept without end, 120 a minute."""
    hub = small_quota
    headers = session(hub, "files@example.com")
    kept = [upload(hub, headers, 300_000, f"file-{n}") for n in range(3)]
    assert [r.status_code for r in kept] == [201, 201, 201]

    refused = upload(hub, headers, 300_000, "file-3")
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith(PROBLEM_JSON)
    problem = refused.json()
    assert problem["type"].endswith("quota-exceeded")
    assert "900 kB of the 1 MB" in problem["detail"], problem
    assert count(hub, attachments) == 3

    # Sending a kept upload again still answers with it; others have their own quota.
    again = upload(hub, headers, 300_000, "file-0")
    assert again.status_code == 201
    assert again.json()["id"] == kept[0].json()["id"]
    assert upload(hub, session(hub, "other@example.com"), 300_000, "x").status_code == 201
