"""A Flet page keeping the hub token with `KeychainTokens` over Flet's real secure storage
(in the browser client, WebCrypto and `localStorage`), each step read back by a new
keeper, as the next start of the app would. The steps run in one page: after a reload,
Flet 1.0.5's web client reads nothing back of what an earlier page wrote (on the web the
token stays on the server anyway).
Run: python tests/e2e/keychain_page.py PORT."""

from __future__ import annotations

import sqlite3
import sys

import flet as ft
import flet_web.fastapi as flet_fastapi
import uvicorn
from flet_secure_storage import SecureStorage

from app.state.keychain import open_keychain

TOKEN = "clt_from_the_keychain"


async def main(page: ft.Page) -> None:
    conn = sqlite3.connect(":memory:")  # the keychain keeps nothing in the store file
    seen: list[str] = []
    for write in (TOKEN, None, "-"):  # keep a token, forget it, only read
        tokens = await open_keychain(SecureStorage())
        if tokens is None:
            seen.append("no keychain")
            break
        seen.append(tokens.get(conn) or "nothing")
        if write != "-":
            tokens.put(conn, write)
            await tokens.settled()
    page.add(ft.Text("read: " + ", ".join(seen)))


if __name__ == "__main__":
    uvicorn.run(
        flet_fastapi.app(main, no_cdn=True),
        host="127.0.0.1",
        port=int(sys.argv[1]),
        log_level="warning",
    )
