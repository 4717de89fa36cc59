"""Sending sign-in codes: SMTP when configured, otherwise the dev log (and `auth codes`)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from app.backend.settings import HubSettings

log = logging.getLogger("careline.hub.mail")


def send_sign_in_code(settings: HubSettings, *, email: str, code: str) -> None:
    minutes = settings.code_ttl_seconds // 60
    if settings.smtp_host is None:
        log.warning("dev mode (no SMTP): sign-in code for %s is %s", email, code)
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
