"""The entry `flet build` packages (and `flet run` starts): the app in a window, talking to
the hub named in the shipped `careline.json` (see build/README.md)."""

from app.config import load_shipped, parse_app_args
from app.views.main import run

shipped = load_shipped()
if shipped.hub_url is None:
    raise SystemExit("careline.json names no hub_url: a build must say which hub it talks to")
run(parse_app_args([], shipped=shipped))
