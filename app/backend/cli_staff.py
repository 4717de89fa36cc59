"""The operator CLI's commands for the company's team: members of staff and their roles,
and the audit trail. What they change is audited as "cli"."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from app.backend.cli_commands import CliError, choice, read, write
from app.backend.crud import audit, staff
from app.schemas.staff import StaffRole

Command = Callable[[argparse.Namespace], int]
AddCommand = Callable[
    ["argparse._SubParsersAction[argparse.ArgumentParser]", str, Command, str],
    argparse.ArgumentParser,
]
ROLES = [role.value for role in StaffRole]


def add_commands(top: argparse._SubParsersAction[argparse.ArgumentParser], add: AddCommand) -> None:
    """`staff add|list|change` and `audit`, on the CLI's top level."""
    group = top.add_parser("staff", help="members of staff and their roles")
    sub = group.add_subparsers(dest="sub", required=True)
    p = add(sub, "add", staff_add, "add a member of staff")
    p.add_argument("email")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, choices=ROLES)
    p = add(sub, "list", staff_list, "list members of staff")
    p.add_argument("--json", action="store_true", help="as JSON")
    p = add(sub, "change", staff_change, "change a role, or disable or enable a member")
    p.add_argument("email")
    p.add_argument("--role", choices=ROLES)
    state = p.add_mutually_exclusive_group()
    state.add_argument("--disable", action="store_true", help="also ends their sign-ins")
    state.add_argument("--enable", action="store_true")
    p = add(top, "audit", audit_list, "what operators did, newest first")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.add_argument("--limit", type=int, default=50, help="entries (default 50, at most 200)")


def staff_add(args: argparse.Namespace) -> int:
    role = choice(StaffRole, args.role)
    with write(args) as conn:
        member = staff.add_member(conn, email=args.email, name=args.name, role=role)
        audit.record(conn, None, "staff.add", member.id, {"email": member.email, "role": role})
    print(f"Added {member.email} ({member.name}) as {member.role.value}: {member.id}")
    return 0


def staff_list(args: argparse.Namespace) -> int:
    with read(args) as conn:
        members = staff.list_staff(conn)
    if args.json:
        print(json.dumps([m.model_dump(mode="json") for m in members], indent=2))
        return 0
    if not members:
        print("No members of staff.")
    for m in members:
        state = "disabled" if m.disabled else "active"
        print(f"{m.id}  {m.email:<32} {m.role.value:<15} {state:<8} {m.name}")
    return 0


def staff_change(args: argparse.Namespace) -> int:
    if args.role is None and not args.disable and not args.enable:
        raise CliError("give --role, --disable or --enable")
    role = choice(StaffRole, args.role) if args.role else None
    disabled = True if args.disable else False if args.enable else None
    with write(args) as conn:
        found = staff.find_member(conn, email=args.email)
        if found is None:
            raise CliError(f"{args.email} is not a member of staff")
        member = staff.change_member(conn, staff_id=found.id, role=role, disabled=disabled)
        detail = {"role": role, "disabled": disabled}
        changes = {k: v for k, v in detail.items() if v is not None}
        audit.record(conn, None, "staff.change", member.id, changes)
    state = "disabled" if member.disabled else "active"
    print(f"{member.email} is now {member.role.value}, {state}")
    return 0


def audit_list(args: argparse.Namespace) -> int:
    if not 1 <= args.limit <= 200:
        raise CliError("--limit is from 1 to 200")
    with read(args) as conn:
        page = audit.list_entries(conn, limit=args.limit)
    if args.json:
        print(json.dumps([e.model_dump(mode="json") for e in page.items], indent=2))
        return 0
    if not page.items:
        print("Nothing audited yet.")
    for e in page.items:
        detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else ""
        print(f"{e.at.isoformat()}  {e.actor:<28} {e.action:<16} {e.subject or '-'}  {detail}")
    return 0
