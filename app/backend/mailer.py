"""Sending sign-in codes: SMTP when configured, otherwise dev mode (read them with
`python -m app.backend auth codes`). A code is never written to a log."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from app.backend.settings import HubSettings, sqlite_url

log = logging.getLogger("careline.hub.mail")


def codes_command(settings: HubSettings) -> str:
    """The operator command that lists pending dev-mode codes for this hub's database.
    A database URL may hold a password, so it is never spelled out."""
    if settings.database_url == sqlite_url(settings.data_dir):
        return f"python -m app.backend auth codes --data-dir {settings.data_dir}"
    return "python -m app.backend auth codes --database-url <the hub's database URL>"


def send_sign_in_code(settings: HubSettings, *, email: str, code: str) -> None:
    minutes = settings.code_ttl_seconds // 60
    if settings.smtp_host is None:
        # The code itself stays out of the log: logs are shipped, kept and shared far
        # more widely than the database the operator CLI reads it from.
        log.warning(
            "dev mode (no SMTP): a sign-in code was issued for %s; read it with `%s`",
            email,
            codes_command(settings),
        )
        return
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email
    message["Subject"] = f"Your {settings.company_name} sign-in code: {code}"
    message.set_content(
        f"Your sign-in code is {code}.\n\nIt works once and expires in {minutes} minutes. "
        "If you did not ask for it, ignore this message."
    )
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.starttls()
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)
