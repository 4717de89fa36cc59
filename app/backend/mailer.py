"""Sending sign-in codes: SMTP when configured, otherwise dev mode (read them with
`python -m app.backend auth codes`). A code is never written to a log.

SMTP goes over TLS whose certificate is verified (STARTTLS, or implicit TLS on its own
port): the hub's SMTP login and the codes reach the mail server and nobody on the way."""

from __future__ import annotations

import logging
import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage

from babel.dates import format_timedelta

from app.backend.languages import CATALOGS
from app.backend.settings import HubSettings, SettingsError, is_loopback_host, sqlite_url

log = logging.getLogger("careline.hub.mail")
SMTP_TIMEOUT = 10  # seconds to connect to, and wait for, the mail server


class MailUnavailable(OSError):
    """The code was not sent; the log says why. (An OSError, like every SMTP and TLS
    failure, so sign-in answers 503 for all of them alike.)"""


def codes_command(settings: HubSettings) -> str:
    """The operator command that lists pending dev-mode codes for this hub's database.
    A database URL may hold a password, so it is never spelled out."""
    if settings.database_url == sqlite_url(settings.data_dir):
        return f"python -m app.backend auth codes --data-dir {settings.data_dir}"
    return "python -m app.backend auth codes --database-url <the hub's database URL>"


def tls_context(settings: HubSettings) -> ssl.SSLContext:
    """Verifies the mail server's certificate and name: against the system's CAs, or only
    against `smtp_ca_file` (a company's own CA for an internal mail server)."""
    cafile = str(settings.smtp_ca_file) if settings.smtp_ca_file else None
    return ssl.create_default_context(cafile=cafile)


def check_mail_settings(settings: HubSettings) -> None:
    """Raise SettingsError when mail would go out unprotected or TLS cannot be set up;
    the hub checks this at start, and again before each send."""
    host = settings.smtp_host
    if host is None:
        return
    if settings.smtp_security == "none":
        if not is_loopback_host(host) and not settings.smtp_allow_plaintext:
            raise SettingsError(
                f"CARELINE_SMTP_SECURITY=none would send the SMTP password and sign-in codes "
                f"to {host} in plain text: use starttls or tls, or set "
                "CARELINE_SMTP_ALLOW_PLAINTEXT=1 if nobody can read the way there"
            )
        return
    try:
        tls_context(settings)
    except (OSError, ssl.SSLError) as error:
        raise SettingsError(f"CARELINE_SMTP_CA_FILE {settings.smtp_ca_file}: {error}") from error


def sign_in_message(
    settings: HubSettings, *, email: str, code: str, locale: str | None
) -> EmailMessage:
    """The sign-in email in the customer's language (`locale`, a BCP 47 tag; English
    when the hub does not write that language): the code, and how long it lasts."""
    language = CATALOGS.language_for(locale)
    expiry = format_timedelta(
        timedelta(seconds=settings.code_ttl_seconds), threshold=2, locale=language
    )
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = email
    message["Subject"] = CATALOGS.tr(
        language, "sign_in_subject", company=settings.company_name, code=code
    )
    message["Content-Language"] = language
    message.set_content(CATALOGS.tr(language, "sign_in_body", code=code, expiry=expiry))
    return message


def send_sign_in_code(
    settings: HubSettings, *, email: str, code: str, locale: str | None = None
) -> None:
    if settings.smtp_host is None:
        # The code itself stays out of the log: logs are shipped, kept and shared far
        # more widely than the database the operator CLI reads it from.
        log.warning(
            "dev mode (no SMTP): a sign-in code was issued for %s; read it with `%s`",
            email,
            codes_command(settings),
        )
        return
    message = sign_in_message(settings, email=email, code=code, locale=locale)
    where = f"{settings.smtp_host}:{settings.smtp_port} ({settings.smtp_security})"
    try:
        check_mail_settings(settings)
        with _connect(settings) as smtp:
            if settings.smtp_user and settings.smtp_password:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(message)
    except SettingsError as error:
        log.error("sign-in code not sent: %s", error)
        raise MailUnavailable(str(error)) from error
    except ssl.SSLCertVerificationError as error:
        log.error(
            "sign-in code not sent: the certificate of the mail server %s is not trusted "
            "(%s), so nothing was sent to it; for a company's own CA set "
            "CARELINE_SMTP_CA_FILE to its certificate (PEM)",
            where,
            error.verify_message,
        )
        raise
    except OSError as error:
        log.error("sign-in code not sent: mail server %s: %s", where, error)
        raise


def open_smtp(settings: HubSettings) -> smtplib.SMTP:
    """A connection to the hub's mail server, protected as its settings say and logged in:
    for mail other than sign-in codes (replies on email cases). Raises SettingsError or
    OSError when it cannot be had."""
    check_mail_settings(settings)
    smtp = _connect(settings)
    try:
        if settings.smtp_user and settings.smtp_password:
            smtp.login(settings.smtp_user, settings.smtp_password)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _connect(settings: HubSettings) -> smtplib.SMTP:
    """A connection ready to log in: TLS first (verified), unless `smtp_security` is none
    (refused beforehand for a server on another machine)."""
    host = settings.smtp_host or ""
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(
            host, settings.smtp_port, timeout=SMTP_TIMEOUT, context=tls_context(settings)
        )
    smtp = smtplib.SMTP(host, settings.smtp_port, timeout=SMTP_TIMEOUT)
    if settings.smtp_security == "starttls":
        try:
            # Raises, and sends nothing more, when the server offers no STARTTLS or its
            # certificate does not verify: never a fall-back to plain text.
            smtp.starttls(context=tls_context(settings))
        except smtplib.SMTPNotSupportedError as error:
            smtp.close()
            raise MailUnavailable(
                "it offers no STARTTLS, so nothing was sent to it (for implicit TLS, as on "
                "port 465, set CARELINE_SMTP_SECURITY=tls)"
            ) from error
        except BaseException:
            smtp.close()
            raise
    return smtp
