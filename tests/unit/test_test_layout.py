"""Test modules stand alone: what two of them share lives in a support module, so that
running, moving or deleting one test file never breaks another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def imported_test_modules(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found += [
            n for n in names if n.startswith("tests.") and n.split(".")[-1].startswith("test_")
        ]
    return found


def test_no_test_module_imports_another() -> None:
    offenders = {
        str(path.relative_to(TESTS)): imported
        for path in sorted(TESTS.rglob("*.py"))
        if (imported := imported_test_modules(path))
    }
    assert offenders == {}


def test_the_check_sees_such_an_import(tmp_path: Path) -> None:
    module = tmp_path / "test_x.py"
    module.write_text("from tests.e2e.test_alerts import until\nimport tests.unit.test_y\n")
    assert imported_test_modules(module) == ["tests.e2e.test_alerts", "tests.unit.test_y"]
