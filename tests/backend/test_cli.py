"""The operator CLI, in process, against a hub database in a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

from app.backend.crud import attachments, auth, cases, components, queues, status
from app.backend.db import Database
from app.backend.settings import sqlite_url
from app.backend.settings_env import load_settings
from app.schemas.localized import localized
from tests.backend.support import Run


def test_demo_incident_and_component_commands(run: Run) -> None:
    code, out = run("demo load")
    assert code == 0
    assert re.search(r"Demo loaded: \d{3} articles, 7 components, 2 queues, 4 new", out)
    code, out = run(
        "incident publish",
        "--title",
        "Fog in Boston",
        "--impact",
        "minor",
        "--component",
        "flights-bos",
        "--key",
        "BOS",
        "--body",
        "Low visibility.",
    )
    assert code == 0
    published = re.search(r"Published (inc_\w+)", out)
    assert published is not None
    incident_id = published.group(1)
    assert run("incident update", incident_id, "--status", "identified", "--body", "Fog.")[0] == 0
    code, out = run("component list")
    assert re.search(r"flights-bos\s+degraded_performance", out)
    assert run("incident resolve", incident_id)[0] == 0
    code, out = run("incident resolve", incident_id)
    assert code == 2 and "already resolved" in out
    code, out = run("incident list")
    assert f"{incident_id}  resolved" in out
    assert run("component set", "baggage", "partial_outage")[0] == 0
    code, out = run("component set", "baggage", "on_fire")
    assert code == 2 and "not one of" in out
    code, out = run("incident update", "inc_missing", "--status", "resolved", "--body", "x")
    assert code == 2 and "No incident" in out


def test_queue_commands(run: Run) -> None:
    run("demo load")
    code, out = run("queue list")
    assert code == 0 and "rebooking" in out and "America/Chicago" in out
    assert (
        run("queue hours", "general", "--day", "sun", "--open", "10:00", "--close", "14:00")[0] == 0
    )
    assert "sun: 10:00-14:00" in run("queue list")[1]
    code, out = run("queue hours", "general", "--day", "sun", "--open", "14:00", "--close", "10:00")
    assert code == 2 and "not before" in out
    code, out = run(
        "queue staffing",
        "general",
        "--date",
        "2030-01-07",
        "--from",
        "08:00",
        "--to",
        "12:00",
        "--agents",
        "5",
    )
    assert code == 0 and "America/New_York" in out
    assert (
        run(
            "queue staffing",
            "nope",
            "--date",
            "2030-01-07",
            "--from",
            "08:00",
            "--to",
            "12:00",
            "--agents",
            "5",
        )[0]
        == 2
    )
    assert run("callback list")[1].strip() == "No active callbacks."


def test_token_and_auth_commands(run: Run) -> None:
    code, token = run("token create", "--scope", "status", "cases", "--label", "desk")
    assert code == 0 and token.startswith("clo_")
    code, out = run("token list")
    assert "operator" in out and "cases,status" in out and token.strip() not in out
    token_id = out.split()[0]
    assert run("token revoke", token_id)[0] == 0
    assert "revoked" in run("token list")[1]
    code, out = run("token create", "--scope", "everything")
    assert code == 2 and "unknown scope" in out
    assert run("auth codes")[1].strip() == "No pending sign-in codes."
    assert run("case list")[1].strip() == "No cases."


def test_kb_import_command(run: Run, tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: A\ncategory: misc\n---\nBody", encoding="utf-8")
    (folder / "b.md").write_text("oops", encoding="utf-8")
    code, out = run("kb import", str(folder))
    assert code == 1
    assert "Imported 1 new or changed" in out and "b.md" in out
    code, out = run("kb import", str(tmp_path / "missing"))
    assert code == 2 and "not a folder" in out


def test_case_reply_attaches_files(run: Run, tmp_path: Path) -> None:
    assert run("case list")[0] == 0  # creates the hub's database
    db = Database(load_settings(data_dir=tmp_path / "hub").database_url)
    with db.write() as conn:
        customer = auth.ensure_customer(conn, email="alice@example.com")
        case = cases.open_case(
            conn, customer_id=customer.id, subject="Bag", description="Lost", category="baggage"
        )
    note = tmp_path / "rebooking.txt"
    note.write_text("Flight NW12 at 09:40")
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"not a png")
    code, out = run("case reply", case.id, "--body", "Here it is", "--attach", str(scan))
    assert code != 0 and "not a valid image/png" in out, out
    code, out = run("case reply", case.id, "--body", "Here it is", "--attach", str(note))
    assert code == 0 and "with 1 file(s)" in out, out
    assert run("case reply", case.id, "--body", "x", "--attach", str(tmp_path / "none"))[0] != 0
    with db.read() as conn:
        [message] = cases.get_case(conn, case_id=case.id).messages
        [sent] = message.attachments
        meta, data = attachments.attachment_content(
            conn, attachment_id=sent.id, customer_id=customer.id
        )
    db.dispose()
    assert message.body == "Here it is" and meta.filename == "rebooking.txt"
    assert data == b"Flight NW12 at 09:40" and meta.content_type == "text/plain"


def test_text_in_other_languages(run: Run, tmp_path: Path) -> None:
    run("demo load")
    code, out = run(
        "incident publish",
        *("--title", "Fog in Boston", "--impact", "minor", "--component", "flights-bos"),
        *("--body", "Low visibility.", "--text", "es", "title", "Niebla en Boston"),
        *("--text", "es", "body", "Poca visibilidad."),
    )
    assert code == 0, out
    incident_id = out.split()[1].rstrip(":")
    run("incident update", incident_id, "--status", "identified", "--body", "Fog.")
    assert run("component text", "flights-bos", "--text", "es", "name", "Vuelos en BOS")[0] == 0
    assert run("component text", "flights-bos", "--text", "es", "group", "Aeropuertos")[0] == 0
    assert run("queue text", "general", "--text", "es", "name", "Ayuda general")[0] == 0
    db = Database(sqlite_url(tmp_path / "hub"))
    try:
        with db.read() as conn:
            incident = localized(status.get_incident(conn, incident_id=incident_id), "es")
            bos = next(c for c in components.list_components(conn) if c.id == "flights-bos")
            queue = next(q for q in queues.list_queues(conn) if q.id == "general")
    finally:
        db.dispose()
    assert incident.title == "Niebla en Boston"
    assert [u.body for u in incident.updates] == ["Fog.", "Poca visibilidad."]  # falls back
    assert (localized(bos, "es").name, localized(bos, "es").group) == (
        "Vuelos en BOS",
        "Aeropuertos",
    )
    assert localized(queue, "es").name == "Ayuda general"
    code, out = run("queue text", "general", "--text", "es", "colour", "rojo")
    assert code == 2 and "name, description" in out
    code, out = run("component text", "flights-bos", "--text", "no such!", "name", "x")
    assert code == 2 and "--text" in out
