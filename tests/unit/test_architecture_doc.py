"""docs/architecture.md stays true: every package of `app` is described, and every module
it names exists (a pattern such as `*_screen.py` is not a name)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
APP = ROOT / "app"


def named_in_doc() -> set[str]:
    """Every `…` span of the document."""
    return set(re.findall(r"`([^`\n]+)`", DOC))


def test_every_package_is_described() -> None:
    packages = {p.parent.name for p in APP.glob("*/__init__.py")}
    described = {name.rstrip("/") for name in re.findall(r"^  (\w+)/", DOC, flags=re.M)}
    assert packages - described == set(), "packages missing from docs/architecture.md"
    assert described - packages == set(), "packages in docs/architecture.md that are gone"


def test_every_module_named_exists() -> None:
    modules = {p.name for folder in (APP, ROOT / "tests") for p in folder.rglob("*.py")}
    named = set()
    for span in named_in_doc():
        words = re.findall(r"[\w/*]+\.py\b", span)
        named |= {Path(word).name for word in words if "*" not in word}
    assert named, "the document names modules"
    assert named - modules == set(), "modules named in docs/architecture.md that are gone"
