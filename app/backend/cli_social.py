"""The operator CLI's early-warning commands: the keys watched in public posts, importing
posts, and the warnings their bursts open. Post text is printed through `printable`, so
no post can move the cursor or recolour the terminal."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from app.backend.cli_commands import CliError, choice, read, settings_from, write
from app.backend.early_warning import store
from app.backend.early_warning.ingest import parse_lines
from app.backend.early_warning.mastodon import Follower, Refused, Unavailable, hashtag, instance_url
from app.schemas.warnings import EarlyWarning, PostIn, WarningAction, WarningState, printable

Command = Callable[[argparse.Namespace], int]
if TYPE_CHECKING:
    Commands = argparse._SubParsersAction[argparse.ArgumentParser]
    AddCommand = Callable[[Commands, str, Command, str], argparse.ArgumentParser]


def add_commands(top: Commands, add: AddCommand) -> None:
    """`social watch|unwatch|keys|import|follow-mastodon|warnings|acknowledge|dismiss|publish`."""
    group = top.add_parser("social", help="early warning from public posts")
    sub = group.add_subparsers(dest="sub", required=True)
    p = add(sub, "watch", watch, "watch a key (component or subscription key) in posts")
    p.add_argument("key")
    p.add_argument("--alias", action="append", default=[], dest="aliases")
    p = add(sub, "unwatch", unwatch, "stop watching a key")
    p.add_argument("key")
    add(sub, "keys", keys, "list watched keys and their aliases")
    p = add(sub, "import", import_posts, "import posts from a JSON lines file")
    p.add_argument("file", type=Path)
    p = add(sub, "follow-mastodon", follow_mastodon, "ingest a Mastodon hashtag's public posts")
    p.add_argument("--instance", required=True, help="e.g. https://mastodon.social")
    p.add_argument("--tag", required=True, help="the hashtag, with or without #")
    p.add_argument("--once", action="store_true", help="poll once, then stop")
    p.add_argument("--every", type=float, default=60.0, help="seconds between polls (60)")
    p.add_argument("--since-id", help="start after this status id (default: the newest 40)")
    p = add(sub, "warnings", warnings, "list warnings, most recently detected first")
    p.add_argument("--json", action="store_true", help="as JSON")
    p.add_argument("--state", choices=[s.value for s in WarningState])
    for name, what in (("acknowledge", "acknowledged"), ("dismiss", "dismissed")):
        p = add(sub, name, act, f"mark a warning {what}")
        p.add_argument("id")
        p.set_defaults(state=what)
    p = add(sub, "publish", act, "publish an incident prefilled from a warning")
    p.add_argument("id")
    p.add_argument("--impact", default="minor", choices=["none", "minor", "major", "critical"])
    p.add_argument("--title")
    p.add_argument("--body")
    p.set_defaults(state="published")


def watch(args: argparse.Namespace) -> int:
    if not printable(args.key):
        raise CliError("the key is empty")
    with write(args) as conn:
        watched = store.watch(conn, args.key, args.aliases)
    names = ", ".join(watched.aliases) or "no aliases"
    print(f"Watching {printable(watched.key)} ({printable(names)})")
    return 0


def unwatch(args: argparse.Namespace) -> int:
    with write(args) as conn:
        if not store.unwatch(conn, args.key):
            raise CliError(f"{printable(args.key)!r} is not watched")
    print(f"No longer watching {printable(args.key)}")
    return 0


def keys(args: argparse.Namespace) -> int:
    with read(args) as conn:
        watched = store.watched_keys(conn)
    if not watched:
        print("No watched keys.")
    for key in watched:
        print(f"{printable(key.key):<16} {printable(', '.join(key.aliases))}")
    return 0


def import_posts(args: argparse.Namespace) -> int:
    """Store the file's posts (those already stored are skipped), report each bad line,
    and open warnings for the bursts the new posts make. Exit 1 when a line was bad."""
    try:
        with args.file.open(encoding="utf-8", errors="replace", newline="\n") as lines:
            parsed = parse_lines(lines)
    except OSError as error:
        raise CliError(f"{args.file}: {error.strerror}") from error
    for number, reason in parsed.errors:
        print(f"{args.file}:{number}: {reason}", file=sys.stderr)
    detection = store.detection_of(settings_from(args))
    with write(args) as conn:
        added = store.add_posts(conn, parsed.posts)
        since = min((post.created_at for post in added), default=None)
        opened = store.detect(conn, since=since, detection=detection) if since is not None else 0
    print(
        f"Read {len(parsed.posts)} posts: {len(added)} new, "
        f"{len(parsed.posts) - len(added)} already there, {len(parsed.errors)} bad lines; "
        f"{opened} warnings opened."
    )
    return 1 if parsed.errors else 0


def _ingest(args: argparse.Namespace, posts: list[PostIn]) -> None:
    detection = store.detection_of(settings_from(args))
    with write(args) as conn:
        added = store.add_posts(conn, posts)
        since = min((post.created_at for post in added), default=None)
        opened = store.detect(conn, since=since, detection=detection) if since is not None else 0
    print(f"{len(posts)} posts: {len(added)} new; {opened} warnings opened.", flush=True)


def follow_mastodon(args: argparse.Namespace) -> int:
    """Poll a hashtag's public timeline and ingest its posts, once or until interrupted.
    Exit 1 when a single poll found the instance unavailable (429, 5xx, unreachable)."""
    try:
        base, tag = instance_url(args.instance), hashtag(args.tag)
    except ValueError as error:
        raise CliError(f"--instance or --tag: expected {error}") from None
    headers = {"User-Agent": "Careline early warning", "Accept": "application/json"}
    with httpx.Client(base_url=base, headers=headers, timeout=20.0) as client:
        follower = Follower(client, tag, partial(_ingest, args), args.since_id, max(args.every, 1))
        try:
            if args.once:
                read = follower.once()
                print(f"Read {read} statuses of #{tag}; newest id {follower.since_id or 'none'}.")
                return 0

            def waiting(why: str, seconds: float) -> None:
                print(f"{base} {why}; trying again in {seconds:.0f} s", file=sys.stderr)

            follower.run(time.sleep, on_wait=waiting)
        except Unavailable as error:
            print(f"error: {base} {error}; try again later", file=sys.stderr)
            return 1
        except Refused as error:
            raise CliError(f"{base} {printable(str(error), 300)}") from None
        except KeyboardInterrupt:
            print(f"Stopped; newest id {follower.since_id or 'none'}.")
    return 0


def _line(warning: EarlyWarning) -> str:
    posts = "posts" if warning.series == "total" else f"posts reporting a {warning.series}"
    return (
        f"{warning.id}  {printable(warning.key)}  {warning.state.value}  "
        f"started {warning.started_at:%Y-%m-%d %H:%M}Z  detected {warning.detected_at:%H:%M}Z  "
        f"{warning.count} {posts} vs {warning.baseline:g} expected (p={warning.p_value:.1e})"
        + (f"  incident {warning.incident_id}" if warning.incident_id else "")
    )


def warnings(args: argparse.Namespace) -> int:
    state = choice(WarningState, args.state) if args.state else None
    with read(args) as conn:
        found = store.list_warnings(conn, state=state)
    if args.json:
        print(json.dumps([w.model_dump(mode="json") for w in found], indent=2))
        return 0
    if not found:
        print("No warnings.")
    for warning in found:
        print(_line(warning))
        for sample in warning.samples:
            print(f"    {sample.created_at:%H:%M}  {printable(sample.text, 160)}")
    return 0


def act(args: argparse.Namespace) -> int:
    action = WarningAction(
        state=WarningState(args.state),
        impact=getattr(args, "impact", "minor"),
        title=getattr(args, "title", None),
        body=getattr(args, "body", None),
    )
    with write(args) as conn:
        warning = store.act(conn, None, args.id, action)
    print(_line(warning))
    return 0
