"""The hub token in a device's keychain (a stand-in for Flet's secure storage, which needs
a window), and the data folder kept to its owner where there is no keychain."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.schemas import Customer
from app.state.keychain import KEY, open_keychain
from app.store import open_local

CUSTOMER = Customer(id="c1", email="z@x.io", created_at=datetime(2026, 12, 1, tzinfo=UTC))


class FakeKeychain:
    """Keeps secrets in a dict, as the platform's keychain would across runs."""

    def __init__(self, *, broken: bool = False, slow_writes: float = 0) -> None:
        self.secrets: dict[str, str] = {}
        self.broken = broken
        self.slow_writes = slow_writes

    async def get(self, key: str) -> Any:
        if self.broken:
            raise RuntimeError("org.freedesktop.secrets was not provided by any .service files")
        return self.secrets.get(key)

    async def set(self, key: str, value: Any) -> None:
        assert value is not None  # as the real one: None is refused
        await asyncio.sleep(self.slow_writes)
        self.secrets[key] = value

    async def remove(self, key: str) -> Any:
        return self.secrets.pop(key, None)


def file_holds(folder: Path, text: str) -> bool:
    return any(text.encode() in p.read_bytes() for p in folder.glob("careline.sqlite3*"))


async def test_the_token_lives_in_the_keychain_and_never_in_the_file(tmp_path: Path) -> None:
    keychain = FakeKeychain()
    tokens = await open_keychain(keychain)
    assert tokens is not None
    stores = open_local(tmp_path, tokens=tokens)
    stores.personal.account.sign_in("clt_secret_token", CUSTOMER)
    await tokens.settled()
    assert keychain.secrets == {KEY: "clt_secret_token"}
    assert not file_holds(tmp_path, "clt_secret_token")
    stores.close()

    # The next run reads it back from the keychain.
    again = await open_keychain(keychain)
    reopened = open_local(tmp_path, tokens=again)
    assert reopened.personal.account.token() == "clt_secret_token"
    assert reopened.personal.account.customer() == CUSTOMER

    reopened.personal.account.session_expired()
    assert again is not None
    await again.settled()
    assert keychain.secrets == {} and reopened.personal.account.token() is None
    reopened.close()


async def test_writes_reach_the_keychain_in_the_order_the_session_changed() -> None:
    """Signed in then out at once, with a keychain slow to write: what stays is "signed
    out", never the token a slow write would put back."""
    keychain = FakeKeychain(slow_writes=0.05)
    tokens = await open_keychain(keychain)
    assert tokens is not None
    conn = sqlite3.connect(":memory:")
    tokens.put(conn, "clt_first")
    tokens.put(conn, None)
    await tokens.settled()
    assert keychain.secrets == {} and tokens.get(conn) is None


async def test_a_token_an_earlier_version_kept_in_the_file_moves_to_the_keychain(
    tmp_path: Path,
) -> None:
    before = open_local(tmp_path)  # no keychain: the token is kept in the file
    before.personal.account.sign_in("clt_old_token", CUSTOMER)
    before.close()
    assert file_holds(tmp_path, "clt_old_token")

    keychain = FakeKeychain()
    tokens = await open_keychain(keychain)
    assert tokens is not None
    stores = open_local(tmp_path, tokens=tokens)
    await tokens.settled()
    assert stores.personal.account.token() == "clt_old_token"
    assert keychain.secrets == {KEY: "clt_old_token"}
    stores.personal.account.sign_out()  # a new file, and the old one's pages with it
    stores.close()
    assert not file_holds(tmp_path, "clt_old_token")


async def test_a_token_already_in_the_keychain_wins_over_a_stale_one_in_the_file(
    tmp_path: Path,
) -> None:
    before = open_local(tmp_path)
    before.personal.account.sign_in("clt_stale", CUSTOMER)
    before.close()
    keychain = FakeKeychain()
    keychain.secrets[KEY] = "clt_current"
    tokens = await open_keychain(keychain)
    stores = open_local(tmp_path, tokens=tokens)
    assert stores.personal.account.token() == "clt_current"
    stores.close()


async def test_without_a_keychain_the_token_stays_in_a_file_only_its_owner_reads(
    tmp_path: Path,
) -> None:
    assert await open_keychain(FakeKeychain(broken=True)) is None
    folder = tmp_path / "data"
    stores = open_local(folder, tokens=None)
    stores.personal.account.sign_in("clt_secret_token", CUSTOMER)
    assert stores.personal.account.token() == "clt_secret_token"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in folder.glob("careline.sqlite3*"):
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path.name
    stores.close()


@pytest.mark.parametrize("mode", [0o755, 0o777])
def test_an_existing_data_folder_open_to_others_is_closed_to_them(
    tmp_path: Path, mode: int
) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=mode)
    folder.chmod(mode)
    open_local(folder).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
