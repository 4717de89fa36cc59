"""The early-warning CLI in process: watching keys, importing JSON lines (bad lines named
by number, nothing else lost, hostile text kept off the terminal), and the warnings an
operator lists, acknowledges, dismisses and publishes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.backend.support import Run

START = datetime(2015, 2, 17, tzinfo=UTC)


def _line(post_id: str, minutes: float, text: str, **extra: str) -> str:
    moment = (START + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
    return json.dumps({"id": post_id, "created_at": moment, "text": text, **extra})


def archive(tmp_path: Path) -> Path:
    """Six calm hours about Chicago, a burst of 12 posts, and five bad lines."""
    lines = [_line(f"c{i}", 10 * i + 3, "#Chicago fine") for i in range(36)]
    hostile = "\x1b[2J\x1b]0;pwned\x07<script>alert(1)</script> O\u2019Hare \u202eevil"
    lines += [_line(f"s{i}", 360 + i, hostile, author="@x") for i in range(12)]
    lines += [
        "not json",
        json.dumps({"id": "n1", "text": "no time"}),
        json.dumps({"id": "n2", "created_at": "2015-02-17T10:00:00", "text": "naive"}),
        _line("big", 1, "y" * 1_000_000),
        "",
        json.dumps({"id": "", "created_at": "2015-02-17T10:00:00Z", "text": "empty id"}),
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_watch_list_and_unwatch(run: Run) -> None:
    assert run("social keys") == (0, "No watched keys.\n")
    code, out = run("social watch", "ORD", "--alias", "O'Hare", "--alias", "Chicago")
    assert code == 0 and "Watching ORD (Chicago, O'Hare)" in out
    assert run("social watch", "DEN")[0] == 0
    assert run("social keys")[1].splitlines() == [f"{'DEN':<16} ", f"{'ORD':<16} Chicago, O'Hare"]
    assert run("social unwatch", "DEN")[0] == 0
    assert run("social unwatch", "DEN") == (2, "error: 'DEN' is not watched\n")
    assert run("social watch", "\x1b ")[0] == 2


def test_import_reports_bad_lines_and_opens_one_warning(run: Run, tmp_path: Path) -> None:
    run("social watch", "ORD", "--alias", "O'Hare", "--alias", "Chicago")
    path = archive(tmp_path)
    code, out = run("social import", str(path))
    assert code == 1
    assert "Read 48 posts: 48 new, 0 already there, 5 bad lines; 1 warnings opened." in out
    for number, reason in [(49, "not JSON"), (50, "created_at"), (51, "created_at")]:
        assert f"{path}:{number}: {reason}" in out
    assert f"{path}:52: longer than" in out and f"{path}:54: id" in out
    code, out = run("social import", str(path))
    assert "0 new, 48 already there" in out and "0 warnings opened" in out
    code, out = run("social warnings")
    assert code == 0 and "ORD  new  started 2015-02-17 06:00Z  detected 06:10Z" in out
    assert "10 posts vs 1 expected" in out  # minutes 360 to 369
    assert not any(ch in out for ch in "\x1b\x07\u202e")
    [warning] = json.loads(run("social warnings", "--json")[1])
    assert warning["count"] == 10 and len(warning["samples"]) == 3
    assert "<script>" in warning["samples"][0]["text"]  # kept as text, never run
    assert run("social acknowledge", warning["id"])[0] == 0
    code, out = run("social publish", warning["id"], "--impact", "major")
    assert code == 0 and "published" in out and "incident inc_" in out
    assert "Reports of disruption: ORD" in run("incident list")[1]
    assert run("social dismiss", warning["id"])[0] == 2
    assert run("social dismiss", "warn_nope")[0] == 2
    assert json.loads(run("social warnings", "--json", "--state", "new")[1]) == []


def test_import_of_a_missing_file_is_a_clear_error(run: Run, tmp_path: Path) -> None:
    code, out = run("social import", str(tmp_path / "none.jsonl"))
    assert code == 2 and "No such file" in out


def test_the_demo_company_watches_its_hubs(run: Run) -> None:
    assert run("demo load")[0] == 0
    out = run("social keys")[1]
    assert "ORD" in out and "O'Hare" in out and "baggage" in out
