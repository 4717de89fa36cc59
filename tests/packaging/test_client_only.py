"""The phone and desktop app as `flet build` lays it out (the files `[tool.flet.app]`
keeps, the `dependencies` of pyproject.toml and nothing else, in a fresh virtual
environment) starts and imports every module it ships, with none of the hub's libraries."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HUB_LIBRARIES = (
    "fastapi",
    "starlette",
    "uvicorn",
    "sqlalchemy",
    "psycopg",
    "http_ece",
    "py_vapid",
    "cryptography",
    "multipart",
    "yaml",
    "flet_web",
)

pytestmark = pytest.mark.slow

IMPORT_ALL = """
import importlib, importlib.util, json, pathlib, sys
names = sorted(
    ".".join(p.with_suffix("").parts).removesuffix(".__init__")
    for p in pathlib.Path("app").rglob("*.py")
)
for name in names:
    if name != "app.__main__":
        importlib.import_module(name)
print(json.dumps({
    "imported": names,
    "loaded": sorted(sys.modules),
    "installed": [n for n in sys.argv[1:] if importlib.util.find_spec(n) is not None],
}))
"""


def packaged_copy(target: Path) -> Path:
    """The app folder as `flet build` packages it: `[tool.flet.app]`'s excludes, and what
    it leaves out by default (hidden files, virtual environments, caches)."""
    flet = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["flet"]["app"]
    excluded = {ROOT / name for name in flet["exclude"]}

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {
            n
            for n in names
            if n.startswith(".") or n == "__pycache__" or Path(folder, n) in excluded
        }

    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def client_environment(where: Path) -> Path:
    """A fresh virtual environment with the client's dependencies alone."""
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *dependencies],
        check=True,
        timeout=900,
    )
    return python


def test_the_client_package_runs_without_the_hub(tmp_path: Path) -> None:
    package = packaged_copy(tmp_path / "package")
    assert not (package / "app" / "backend").exists()
    assert not (package / "tests").exists()
    assert (package / "main.py").is_file() and (package / "assets" / "icon.png").is_file()
    python = client_environment(tmp_path / "venv")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), *args], cwd=package, env=env, capture_output=True, text=True, timeout=120
        )

    started = run("-m", "app", "--help")
    assert started.returncode == 0, started.stderr
    assert "--hub" in started.stdout

    done = run("-c", IMPORT_ALL, *HUB_LIBRARIES)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert "app.views.main" in found["imported"] and "app.state.keychain" in found["imported"]
    assert len(found["imported"]) > 80
    assert found["installed"] == []
    # The phone package leaves out the hub, the web server and the staff console.
    assert not (package / "app" / "console").exists()
    assert not [
        m for m in found["loaded"] if m.startswith(("app.backend", "app.views.web", "app.console"))
    ]
