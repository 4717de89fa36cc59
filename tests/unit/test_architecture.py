"""The dependency rules of DESIGN.md, checked at run time as well as by import-linter:
what a module really loads, including imports made inside functions."""

from __future__ import annotations

import json
import subprocess
import sys


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, json, {module}; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(done.stdout))


def test_hub_loads_no_ui_and_no_client_code() -> None:
    loaded = loaded_after_import("app.backend.main")
    assert not {m for m in loaded if m == "flet" or m.startswith("flet.")}
    client = ("app.views", "app.state", "app.store", "app.api", "app.sync", "app.notify")
    assert not {m for m in loaded if m.startswith(client)}


def test_client_core_loads_neither_hub_nor_ui_nor_server_libraries() -> None:
    loaded = set().union(
        *(
            loaded_after_import(m)
            for m in ("app.schemas", "app.config", "app.store", "app.api", "app.sync")
        )
    )
    forbidden = ("app.backend", "flet", "fastapi", "sqlalchemy", "uvicorn", "starlette")
    assert not {m for m in loaded if m.startswith(forbidden)}


def test_console_loads_neither_hub_nor_customer_app() -> None:
    loaded = loaded_after_import("app.console.server")
    forbidden = ("app.backend", "app.views", "app.state", "app.store", "app.sync", "app.notify")
    assert not {m for m in loaded if m.startswith(forbidden)}
