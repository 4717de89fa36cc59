"""`python -m app.backend serve`: check that the hub is safe to run where it listens, then
serve it with uvicorn."""

from __future__ import annotations

import argparse
import logging

from app.backend import demo
from app.backend.cli_commands import CliError
from app.backend.db import Database
from app.backend.db.engine import private_folder
from app.backend.mailer import check_mail_settings, codes_command
from app.backend.settings import HubSettings, SettingsError, is_loopback_host
from app.backend.settings_env import load_settings

# An idle connection stays open longer than the app keeps one (`app.api.KEEPALIVE_EXPIRY`),
# so the app is the side that closes it and never sends down a closing connection.
KEEP_ALIVE_SECONDS = 20

log = logging.getLogger("careline.hub")


def check_before_serving(settings: HubSettings, host: str) -> None:
    """Refuse to serve unprotected mail, or dev mode on an address other machines may
    reach unless asked for; warn about dev mode on loopback."""
    try:
        check_mail_settings(settings)
    except SettingsError as error:
        raise CliError(str(error)) from error
    if not settings.dev_mode:
        return
    if not is_loopback_host(host) and not settings.dev_mode_allowed:
        raise CliError(
            f"dev mode (no CARELINE_SMTP_HOST): sign-in codes would not be emailed, and "
            f"{host} may be reachable from other machines. Set CARELINE_SMTP_HOST, serve on "
            "127.0.0.1, or allow dev mode explicitly with CARELINE_DEV_MODE=1 (or --dev-mode)."
        )
    log.warning(
        "DEV MODE: no SMTP server is set (CARELINE_SMTP_HOST), so sign-in codes are not "
        "emailed; read them with `%s`. Never run a hub for customers like this.",
        codes_command(settings),
    )


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    from app.backend.main import create_app

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    settings = load_settings(data_dir=args.data_dir, database_url=args.database_url)
    if args.dev_mode:
        settings = settings.with_overrides(dev_mode_allowed=True)
    check_before_serving(settings, args.host)
    private_folder(settings.data_dir)
    db = Database(settings.database_url)
    api = create_app(settings, database=db)
    if args.demo:
        with db.write() as conn:
            if not demo.is_loaded(conn):
                report = demo.load_demo(conn)
                print(
                    f"Loaded the demo company: {report.articles} articles, "
                    f"{report.components} components, {report.incidents} incidents."
                )
    where = settings.database_url.split("://", 1)[0]
    print(
        f"Careline hub listening on http://{args.host}:{args.port} "
        f"(data: {settings.data_dir}, database: {where})",
        flush=True,
    )
    log.info("X-Forwarded-For is believed from: %s", settings.forwarded_allow_ips)
    if "*" in [peer.strip() for peer in settings.forwarded_allow_ips.split(",")]:
        log.warning(
            "X-Forwarded-For is believed from anyone (*): a client can pick the address its "
            "sign-in limits count; list only your proxies' addresses"
        )
    # Event streams stay open for good: a stop waits for them at most a few seconds.
    uvicorn.run(
        api,
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=3,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )
    return 0
