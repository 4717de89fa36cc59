"""The hub's deployment installs from build/hub-requirements.txt: every library the hub
needs is pinned there with hashes, at a version pyproject.toml allows, and pip accepts
the file with `--require-hashes` (a changed or swapped file on the index is refused)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "build" / "hub-requirements.txt"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==(\S+) \\$")


def locked() -> dict[str, tuple[str, int]]:
    """Each pinned name with its version and how many hashes follow it."""
    pins: dict[str, tuple[str, int]] = {}
    current = None
    for line in LOCK.read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match[1])
            pins[current] = (match[2], 0)
        elif line.strip().startswith("--hash=sha256:") and current:
            version, hashes = pins[current]
            pins[current] = (version, hashes + 1)
        elif line and not line.startswith((" ", "#")):
            pytest.fail(f"an unpinned line in the lock file: {line!r}")
    return pins


def hub_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["hub"], *extras["server"]]
    return [r for r in map(Requirement, wanted) if canonicalize_name(r.name) != "careline"]


def test_every_hub_library_is_pinned_with_hashes_at_an_allowed_version() -> None:
    pins = locked()
    for requirement in hub_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is missing from {LOCK.name}: run the lock command again"
        version, hashes = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (name, version)
        assert hashes, f"{name} has no hash"
    assert all(hashes for _, hashes in pins.values())


@pytest.mark.slow
def test_pip_accepts_the_lock_file_with_require_hashes() -> None:
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed"),
            *("--require-hashes", "--quiet", "-r", str(LOCK)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
