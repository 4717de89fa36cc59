"""Time zones by their IANA names (a fixed offset would be wrong after the next
daylight-saving change): the device's own, and the customer's when it is another (in
hosted web mode, the browser's, which the page tells the server)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# What an IANA name looks like ("America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"):
# anything else a browser sends (a path, a very long text) is never looked up on disk.
ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,3}")
LONGEST_NAME = 64


def zone_named(name: object) -> ZoneInfo | None:
    """The zone called `name`, or None when it names none this machine knows."""
    if not isinstance(name, str) or len(name) > LONGEST_NAME or not ZONE_NAME.fullmatch(name):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def local_zone_name() -> str:
    """From TZ, /etc/timezone or the /etc/localtime link; 'UTC' when none names one."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    timezone_file = Path("/etc/timezone")
    if timezone_file.exists():
        candidates.append(timezone_file.read_text().strip())
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name:
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


def local_zone() -> ZoneInfo:
    return ZoneInfo(local_zone_name())


def zone_key(zone: ZoneInfo | None) -> str:
    """The IANA name of `zone` (None: the device's own), as the hub takes it."""
    return zone.key if zone is not None else local_zone_name()
