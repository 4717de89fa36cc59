"""The README's commands stay true: every CLI line it shows parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from app.backend.cli import build_parser
from app.config import parse_app_args

README = Path(__file__).resolve().parents[2] / "README.md"


def cli_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    lines = re.findall(r"python -m app\.backend ([^\n#`]+)", text)
    return [line.strip() for line in lines if "[" not in line and "FOLDER" not in line]


def test_readme_quick_start_is_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["./dev demo", "./dev test"]


@pytest.mark.parametrize("line", cli_lines())
def test_readme_cli_lines_parse(line: str) -> None:
    words = shlex.split(line.replace("ID", "inc_1"))
    args = build_parser().parse_args(words)
    assert callable(args.handler)


def app_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    lines = re.findall(r"python -m app (--[^\n#`]+)", text)
    return [line.strip() for line in lines if "[" not in line]


@pytest.mark.parametrize("line", app_lines())
def test_readme_app_lines_parse(line: str) -> None:
    config = parse_app_args(shlex.split(line))
    assert config.web and config.port in (8550, 8551)
