"""The operator CLI: run the hub and do everything an operator does, against its database."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app.backend import (
    cli_channels,
    cli_forecast,
    cli_hub,
    cli_mail,
    cli_social,
    cli_staff,
    cli_status,
    cli_texts,
    serve,
)
from app.backend import cli_commands as commands
from app.backend.settings import SettingsError
from app.config import DEFAULT_HUB_HOST, DEFAULT_HUB_PORT

Command = Callable[[argparse.Namespace], int]


def _common() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--data-dir", help="hub data folder (env CARELINE_DATA_DIR)")
    parent.add_argument("--database-url", help="SQLAlchemy URL (env CARELINE_DATABASE_URL)")
    return parent


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="python -m app.backend", description="Careline hub and operator CLI."
    )
    top = parser.add_subparsers(dest="command", required=True)

    def add(
        sub: argparse._SubParsersAction[argparse.ArgumentParser],
        name: str,
        handler: Command,
        help_text: str,
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    p = add(top, "serve", serve.serve, "run the hub")
    p.add_argument("--host", default=DEFAULT_HUB_HOST)
    p.add_argument(
        "--dev-mode",
        action="store_true",
        help="allow dev mode (no SMTP) off loopback (env CARELINE_DEV_MODE=1)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_HUB_PORT)
    p.add_argument("--demo", action="store_true", help="load Northwind Air on first start")
    add(top, "migrate", cli_hub.migrate_cmd, "bring the database to the latest schema")
    add(
        top,
        "prune",
        cli_hub.prune,
        "remove old unattached uploads, idempotency records, events, tombstones",
    )
    p = add(top, "openapi", cli_hub.openapi, "print the OpenAPI document")
    p.add_argument("--output", type=Path, help="write to this file instead")

    demo = top.add_parser("demo", help="the demo company").add_subparsers(dest="sub", required=True)
    p = add(demo, "load", cli_hub.demo_load, "load (or refresh) the demo company")
    p.add_argument("--folder", type=Path, help="demo folder (default: assets/demo/northwind)")

    kb = top.add_parser("kb", help="knowledge base").add_subparsers(dest="sub", required=True)
    p = add(kb, "import", cli_hub.kb_import, "import Markdown files with front matter")
    p.add_argument("folder", type=Path)
    p.add_argument("--locale", help="only files of this locale (default for files without)")

    inc = top.add_parser("incident", help="incidents and maintenance").add_subparsers(
        dest="sub", required=True
    )
    p = add(inc, "publish", cli_status.incident_publish, "publish an incident")
    p.add_argument("--title", required=True)
    p.add_argument("--impact", required=True, choices=["none", "minor", "major", "critical"])
    p.add_argument("--component", nargs="+", default=[], dest="components")
    p.add_argument("--body", default="We are investigating.")
    p.add_argument(
        "--key",
        nargs="+",
        default=[],
        dest="keys",
        help="subscription keys, e.g. ORD or a flight number",
    )
    p.add_argument("--article", nargs="+", default=[], dest="articles")
    p.add_argument("--maintenance", action="store_true", help="scheduled maintenance")
    p.add_argument("--starts", help="maintenance start (RFC 3339)")
    p.add_argument("--ends", help="maintenance end (RFC 3339)")
    cli_texts.add_text_option(p, "title, body")
    p = add(inc, "update", cli_status.incident_update, "add an update to an incident")
    p.add_argument("id")
    p.add_argument("--status", required=True)
    p.add_argument("--body", required=True)
    cli_texts.add_text_option(p, "body, title (a new title)")
    p = add(inc, "resolve", cli_status.incident_resolve, "resolve an incident")
    p.add_argument("id")
    p.add_argument("--body", default="This incident has been resolved.")
    cli_texts.add_text_option(p, "body, title (a new title)")
    add(inc, "list", cli_status.incident_list, "list recent incidents")

    comp = top.add_parser("component", help="status components").add_subparsers(
        dest="sub", required=True
    )
    add(comp, "list", cli_status.component_list, "list components and their state")
    p = add(comp, "set", cli_status.component_set, "set a component's state")
    p.add_argument("id")
    p.add_argument("state")
    p = add(comp, "text", cli_texts.component_text, "give a component's text in other languages")
    p.add_argument("id")
    cli_texts.add_text_option(p, "name, group, description")

    case = top.add_parser("case", help="support cases").add_subparsers(dest="sub", required=True)
    p = add(case, "list", commands.case_list, "list cases, newest first")
    p.add_argument("--status")
    p = add(case, "show", commands.case_show, "show a case and its thread")
    p.add_argument("id")
    p = add(case, "reply", commands.case_reply, "reply to a case as an agent")
    p.add_argument("id")
    p.add_argument("--body", required=True)
    p.add_argument("--author", help="the agent's name (default: the support team's reply)")
    p.add_argument("--attach", action="append", metavar="FILE", help="a file to attach")
    p = add(case, "status", commands.case_status, "change a case's status")
    p.add_argument("id")
    p.add_argument("status")

    cb = top.add_parser("callback", help="booked callbacks").add_subparsers(
        dest="sub", required=True
    )
    p = add(cb, "list", commands.callback_list, "list active callbacks")
    p.add_argument("--queue")
    p = add(cb, "status", commands.callback_status, "record a callback's outcome")
    p.add_argument("id")
    p.add_argument("status")

    queue = top.add_parser("queue", help="callback queues").add_subparsers(
        dest="sub", required=True
    )
    add(queue, "list", commands.queue_list, "list queues, hours and today's slots")
    p = add(queue, "hours", commands.queue_hours, "set a weekday's opening hours")
    p.add_argument("id")
    p.add_argument(
        "--day", required=True, choices=["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    )
    p.add_argument("--open", dest="open_at", help="HH:MM local")
    p.add_argument("--close", dest="close_at", help="HH:MM local")
    p.add_argument("--closed", action="store_true", help="closed all day")
    p = add(queue, "staffing", commands.queue_staffing, "set agents on duty for a period")
    p.add_argument("id")
    p.add_argument("--date", required=True, help="YYYY-MM-DD in the queue's time zone")
    p.add_argument("--from", dest="from_at", required=True, help="HH:MM local")
    p.add_argument("--to", dest="to_at", required=True, help="HH:MM local")
    p.add_argument("--agents", type=int, required=True)
    p = add(queue, "text", cli_texts.queue_text, "give a queue's text in other languages")
    p.add_argument("id")
    cli_texts.add_text_option(p, "name, description")

    auth = top.add_parser("auth", help="sign-in").add_subparsers(dest="sub", required=True)
    add(auth, "codes", cli_hub.auth_codes, "dev mode: show pending sign-in codes")

    mail = top.add_parser("mail", help="the email channel").add_subparsers(
        dest="sub", required=True
    )
    add(mail, "outbox", cli_hub.mail_outbox, "replies by email not sent yet, and why")
    cli_mail.add_commands(mail, add)

    token = top.add_parser("token", help="operator tokens").add_subparsers(
        dest="sub", required=True
    )
    p = add(token, "create", cli_hub.token_create, "create an operator token")
    p.add_argument("--scope", nargs="+", required=True, dest="scopes")
    p.add_argument("--label")
    p.add_argument("--ttl-days", type=int, help="days until it expires (default 90)")
    p.add_argument("--never-expires", action="store_true", help="a token that never expires")
    add(token, "list", cli_hub.token_list, "list tokens (never their secrets)")
    p = add(token, "revoke", cli_hub.token_revoke, "revoke a token")
    p.add_argument("id")
    cli_staff.add_commands(top, add)
    cli_channels.add_commands(top, add)
    cli_social.add_commands(top, add)
    cli_forecast.add_commands(top, add)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except (commands.CliError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return code
