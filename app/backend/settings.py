"""Hub settings from the environment (and CLI flags that override them)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.config import resolve_data_dir
from app.schemas.files import MAX_ATTACHMENT_BYTES

DATABASE_URL_ENV = "CARELINE_DATABASE_URL"


@dataclass(frozen=True)
class RateLimit:
    """At most `count` hits per `seconds` window."""

    count: int
    seconds: float


@dataclass(frozen=True)
class HubSettings:
    data_dir: Path
    database_url: str
    company_name: str = "Northwind Air"
    public_url: str = "http://127.0.0.1:8765"
    time_zone: str = "America/Chicago"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = "Careline <no-reply@careline.invalid>"
    code_ttl_seconds: int = 600
    code_max_attempts: int = 5
    token_ttl_days: int = 90
    max_json_bytes: int = 1_000_000
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES
    sign_in_per_email: RateLimit = field(default_factory=lambda: RateLimit(5, 900))
    sign_in_per_client: RateLimit = field(default_factory=lambda: RateLimit(30, 900))
    writes_per_customer: RateLimit = field(default_factory=lambda: RateLimit(120, 60))
    # Registrations for alerts without an account, per address (an app server sends each
    # browser's address as X-Forwarded-For, which the hub trusts from 127.0.0.1).
    alert_devices_per_client: RateLimit = field(default_factory=lambda: RateLimit(20, 900))
    push_contact: str = "mailto:support@careline.invalid"
    # Web origins allowed to call the hub from a browser; none by default (the app calls
    # it from Python, not from the page).
    cors_origins: tuple[str, ...] = ()
    fcm_project: str | None = None
    fcm_token_file: Path | None = None

    @property
    def dev_mode(self) -> bool:
        """Without SMTP, sign-in codes are kept for `auth codes` (the log only says one was
        issued, never the code)."""
        return self.smtp_host is None

    @property
    def attachments_dir(self) -> Path:
        return self.data_dir / "attachments"

    def with_overrides(self, **changes: object) -> HubSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'hub.sqlite3'}"


def load_settings(
    *, data_dir: str | Path | None = None, database_url: str | None = None
) -> HubSettings:
    """Settings from flags, then `CARELINE_*` environment variables, then defaults."""
    directory = resolve_data_dir(data_dir, app_name="careline-hub")
    env = os.environ
    smtp_password = env.get("CARELINE_SMTP_PASSWORD")
    password_file = env.get("CARELINE_SMTP_PASSWORD_FILE")
    if password_file:
        smtp_password = Path(password_file).read_text().strip()
    return HubSettings(
        data_dir=directory,
        database_url=database_url or env.get(DATABASE_URL_ENV) or sqlite_url(directory),
        company_name=env.get("CARELINE_COMPANY_NAME", "Northwind Air"),
        public_url=env.get("CARELINE_PUBLIC_URL", "http://127.0.0.1:8765"),
        smtp_host=env.get("CARELINE_SMTP_HOST") or None,
        smtp_port=int(env.get("CARELINE_SMTP_PORT", "587")),
        smtp_user=env.get("CARELINE_SMTP_USER") or None,
        smtp_password=smtp_password,
        mail_from=env.get("CARELINE_MAIL_FROM", "Careline <no-reply@careline.invalid>"),
        push_contact=env.get("CARELINE_PUSH_CONTACT", "mailto:support@careline.invalid"),
        cors_origins=tuple(o for o in env.get("CARELINE_CORS_ORIGINS", "").split(",") if o),
        fcm_project=env.get("CARELINE_FCM_PROJECT") or None,
        fcm_token_file=Path(env["CARELINE_FCM_TOKEN_FILE"])
        if env.get("CARELINE_FCM_TOKEN_FILE")
        else None,
    )
