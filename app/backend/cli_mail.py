"""The operator CLI's `mail unverified` and `mail vouch`: the cases of senders the
company's MTA did not vouch for, and joining an address's cases to its account once the
operator has made sure of it. Vouching is audited, as every change an operator makes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.backend.channels import mail_vouch
from app.backend.cli_commands import CliError, read, write
from app.backend.crud import audit
from app.backend.crud.auth import normalize_email

Command = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    AddCommand = Callable[[Commands, str, Command, str], argparse.ArgumentParser]


def add_commands(mail: Commands, add: AddCommand) -> None:
    """`unverified` and `vouch` in the CLI's `mail` group."""
    p = add(mail, "unverified", mail_unverified, "cases of senders nobody vouched for")
    p.add_argument("address", nargs="?", help="one sender's cases only")
    p = add(mail, "vouch", mail_vouch_address, "join a sender's cases to their account")
    p.add_argument("address", help="the sender's email, checked by other means first")


def mail_unverified(args: argparse.Namespace) -> int:
    with read(args) as conn:
        found = mail_vouch.unverified_cases(conn, args.address)
    if not found:
        print("No cases of unverified senders.")
        return 0
    for case in found:
        print(f"{case.address}  #{case.number}  {case.status:8} {case.created_at}  {case.subject}")
    return 0


def mail_vouch_address(args: argparse.Namespace) -> int:
    with write(args) as conn:
        vouched = mail_vouch.vouch(conn, args.address)
        if vouched is None:
            raise CliError(f"{args.address} has no cases of an unverified sender")
        detail = {"customer": vouched.customer_id, "cases": vouched.numbers}
        audit.record(conn, None, "mail.vouch", normalize_email(args.address), detail)
    numbers = ", ".join(f"#{n}" for n in vouched.numbers)
    print(f"Vouched for {args.address}: case(s) {numbers} are in their account after sign-in.")
    return 0
