"""The operator CLI's commands for the hub itself: its schema, pruning and OpenAPI
document, the content it is loaded with, and access (sign-in codes, operator tokens)."""

from __future__ import annotations

import argparse

from app.backend import demo
from app.backend.channels import mail_store
from app.backend.cli_commands import CliError, database, read, settings_from, write
from app.backend.crud import audit, auth, retention, sign_in
from app.backend.db import migrate
from app.backend.kb_import import import_folder


def migrate_cmd(args: argparse.Namespace) -> int:
    with database(args) as db:
        print(f"Schema is at version {(migrate(db) and 'latest') or 'latest (no change)'}.")
    return 0


def prune(args: argparse.Namespace) -> int:
    """Remove old unattached uploads, idempotency records, events and tombstones once, as
    the hub does on its own every `prune_every_seconds`."""
    settings = settings_from(args)
    with database(args) as db:
        pruned = retention.prune(db, settings)
    print(
        f"Removed {pruned.uploads} unattached uploads, {pruned.mutations} idempotency "
        f"records, {pruned.events} events, {pruned.tombstones} tombstones, "
        f"{pruned.devices} devices beyond today's limits, {pruned.posts} public posts and "
        f"{pruned.pushes} push records."
    )
    return 0


def openapi(args: argparse.Namespace) -> int:
    from app.backend.openapi_doc import openapi_text

    text = openapi_text()
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


def demo_load(args: argparse.Namespace) -> int:
    with write(args) as conn:
        report = demo.load_demo(conn, args.folder or demo.DEMO_DIR)
    print(
        f"Demo loaded: {report.articles} articles, {report.components} components, "
        f"{report.queues} queues, {report.incidents} new incidents"
        f" ({report.translated} given translations they lacked), {report.staff} staff,"
        f" {report.posts} public posts (early warnings opened: {report.warnings})."
    )
    for problem in report.errors:
        print(f"skipped: {problem}")
    return 0


def kb_import(args: argparse.Namespace) -> int:
    try:
        with write(args) as conn:
            report = import_folder(
                conn,
                args.folder,
                locale=args.locale,
                default_locale=settings_from(args).default_locale,
            )
    except FileNotFoundError as error:
        raise CliError(str(error)) from error
    print(
        f"Imported {report.created_or_changed} new or changed articles "
        f"({report.unchanged} unchanged)."
    )
    for problem in report.errors or []:
        print(f"skipped: {problem}")
    return 1 if report.errors else 0


def auth_codes(args: argparse.Namespace) -> int:
    with read(args) as conn:
        codes = sign_in.pending_codes(conn)
    if not codes:
        print("No pending sign-in codes.")
    for c in codes:
        print(f"{c['email']}  {c['code']}  (expires {c['expires_at']})")
    return 0


def token_create(args: argparse.Namespace) -> int:
    """The operator on the machine may grant any scope; the token expires after the hub's
    default unless `--ttl-days` or `--never-expires` says otherwise."""
    if args.never_expires and args.ttl_days is not None:
        raise CliError("give --ttl-days or --never-expires, not both")
    default = settings_from(args).operator_token_ttl_days
    ttl = None if args.never_expires else args.ttl_days or default
    with write(args) as conn:
        token = auth.create_operator_token(conn, scopes=args.scopes, label=args.label, ttl_days=ttl)
        made = auth.resolve_token(conn, token=token)
        detail = {"scopes": sorted(args.scopes), "label": args.label}
        audit.record(conn, None, "token.create", made.token_id if made else None, detail)
    print(token)
    return 0


def token_list(args: argparse.Namespace) -> int:
    with read(args) as conn:
        for t in auth.list_tokens(conn):
            state = "revoked" if t["revoked_at"] else "active"
            expires = f"expires {t['expires_at'][:10]}" if t["expires_at"] else "never expires"
            print(
                f"{t['id']}  {t['kind']:<9} {state:<8} {','.join(t['scopes']) or '-':<30} "
                f"{expires:<18} {t['label'] or ''}"
            )
    return 0


def token_revoke(args: argparse.Namespace) -> int:
    with write(args) as conn:
        auth.revoke_token(conn, token_id=args.id)
        audit.record(conn, None, "token.revoke", args.id)
    print(f"Revoked {args.id}")
    return 0


def mail_outbox(args: argparse.Namespace) -> int:
    """Replies on email cases not sent yet: to whom, how often tried, when next, why."""
    with read(args) as conn:
        items = mail_store.backlog(conn)
    if not items:
        print("Nothing waits to be sent.")
    for item in items:
        print(
            f"{item.case_message_id}  to {item.recipient}  tried {item.attempts}x  "
            f"next {item.next_attempt_at}  {item.last_error or ''}".rstrip()
        )
    return 0
