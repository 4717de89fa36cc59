"""Settings shared by the app and the hub: where data lives. No flet, no hub imports."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

HUB_URL_ENV = "CARELINE_HUB_URL"
DATA_DIR_ENV = "CARELINE_DATA_DIR"
DEVICE_DAYS_ENV = "CARELINE_DEVICE_DAYS"
COMPANY_ENV = "CARELINE_COMPANY_NAME"
# Where a hub listens unless told otherwise, and so where the app looks for it.
DEFAULT_HUB_HOST = "127.0.0.1"
DEFAULT_HUB_PORT = 8765
DEFAULT_HUB_URL = f"http://{DEFAULT_HUB_HOST}:{DEFAULT_HUB_PORT}"
# What a company ships with its build (see build/README.md): beside the `app` package.
SHIPPED_FILE = Path(__file__).resolve().parents[1] / "careline.json"


class Shipped(BaseModel):
    """`careline.json`: the hub a build talks to and the name its customers see."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    hub_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+")
    company: str | None = Field(default=None, min_length=1, max_length=80)


def load_shipped(path: Path = SHIPPED_FILE) -> Shipped:
    """The shipped settings; none when there is no file. A file that is not right stops
    the app with what is wrong, rather than talking to the wrong hub."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Shipped()
    except OSError as error:
        raise SystemExit(f"{path}: cannot be read ({error.strerror})") from error
    try:
        return Shipped.model_validate_json(text)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in error.errors()
        )
        raise SystemExit(f"{path}: {problems}") from error


def per_user_data_dir(app_name: str = "careline") -> Path:
    """The platform's usual per-user data folder for `app_name`."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", home / ".local" / "share"))
    return base / app_name


def resolve_data_dir(explicit: str | Path | None = None, *, app_name: str = "careline") -> Path:
    """`explicit`, else `CARELINE_DATA_DIR`, else Flet's app storage, else the per-user folder."""
    flet_storage = os.environ.get("FLET_APP_STORAGE_DATA")
    for candidate in (explicit, os.environ.get(DATA_DIR_ENV), flet_storage):
        if candidate:
            return Path(candidate).expanduser()
    return per_user_data_dir(app_name)


@dataclass(frozen=True)
class AppConfig:
    """How `python -m app` runs: where the hub is, where data lives, window or web."""

    hub_url: str
    data_dir: Path
    web: bool = False
    host: str = "127.0.0.1"
    port: int = 8550
    device_days: float = 30.0  # web: a browser's data is deleted after this long unused
    company: str = "Careline"  # the name customers see: window title, installed app


def parse_app_args(argv: list[str] | None = None, *, shipped: Shipped | None = None) -> AppConfig:
    """The command line's settings, then the environment's, then those shipped in
    `careline.json`, then the defaults."""
    parser = argparse.ArgumentParser(prog="python -m app", description="The Careline app.")
    parser.add_argument(
        "--web", action="store_true", help="serve the app in web mode (open the printed address)"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="web mode: the address to listen on (default: %(default)s)",
    )
    parser.add_argument("--port", type=int, default=8550, help="web mode port")
    parser.add_argument(
        "--forget-devices-after",
        type=float,
        metavar="DAYS",
        help="web mode: delete a browser's data after this many days unused "
        f"(env {DEVICE_DAYS_ENV}, default 30)",
    )
    parser.add_argument(
        "--hub",
        help=f"hub address (env {HUB_URL_ENV}, else careline.json, else {DEFAULT_HUB_URL})",
    )
    parser.add_argument("--data-dir", help=f"local data folder (env {DATA_DIR_ENV})")
    parser.add_argument(
        "--company",
        help=f"the name customers see (env {COMPANY_ENV}, else careline.json, else Careline)",
    )
    args = parser.parse_args(argv)
    shipped = shipped or load_shipped()
    return AppConfig(
        hub_url=args.hub or os.environ.get(HUB_URL_ENV) or shipped.hub_url or DEFAULT_HUB_URL,
        data_dir=resolve_data_dir(args.data_dir),
        web=args.web,
        host=args.host,
        port=args.port,
        device_days=args.forget_devices_after or float(os.environ.get(DEVICE_DAYS_ENV) or 30),
        company=args.company or os.environ.get(COMPANY_ENV) or shipped.company or "Careline",
    )
