"""Hub settings read from `CARELINE_*` environment variables: one line per variable, so
the defaults of `HubSettings` are the only ones, and a value the hub cannot read is a
SettingsError that names the variable."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import replace
from pathlib import Path
from typing import Any

from app.backend import slots
from app.backend.languages import parse_locale
from app.backend.settings import (
    DATABASE_URL_ENV,
    HELPDESKS,
    SMTP_PORTS,
    HubSettings,
    PushLimits,
    RateLimit,
    SettingsError,
    SmtpSecurity,
    sqlite_url,
)
from app.config import resolve_data_dir
from app.schemas.booking import valid_pattern
from app.schemas.callbacks import E164


def load_settings(
    *, data_dir: str | Path | None = None, database_url: str | None = None
) -> HubSettings:
    """Settings from flags, then `CARELINE_*` environment variables, then the defaults of
    `HubSettings`. A value the hub cannot read raises SettingsError."""
    directory = resolve_data_dir(data_dir, app_name="careline-hub")
    env = os.environ
    found = _from_env(env, HUB_VARIABLES)
    settings = HubSettings(
        data_dir=directory,
        database_url=database_url or env.get(DATABASE_URL_ENV) or sqlite_url(directory),
        push_limits=PushLimits(**_from_env(env, PUSH_VARIABLES)),
        **found,
    )
    if "smtp_port" not in found:  # each kind of protection has its own port
        settings = replace(settings, smtp_port=SMTP_PORTS[settings.smtp_security])
    return settings


def _from_env(
    env: Mapping[str, str], table: tuple[tuple[str, str, Callable[[str], Any]], ...]
) -> dict[str, Any]:
    """The fields whose variables are set (an empty one counts as unset), each read by
    its converter; a later line for the same field wins."""
    found: dict[str, Any] = {}
    for name, variable, convert in table:
        text = env.get(variable)
        if not text:
            continue
        try:
            found[name] = convert(text)
        except ValueError as error:
            raise SettingsError(f"{variable} is {text!r}: expected {error}") from None
    return found


# Each converter raises ValueError saying what it expected.
def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError("a whole number") from None


def _number(text: str) -> float:
    with suppress(ValueError):
        if math.isfinite(value := float(text)):
            return value
    raise ValueError("a number")


def _window(text: str) -> int:
    minutes = _whole(text) if text.strip().isdigit() else 0
    if not 1 <= minutes <= 1440 or 1440 % minutes:
        raise ValueError("whole minutes that divide a day (5, 10, 15, 30, 60, ...)")
    return minutes


def _fraction(text: str) -> float:
    with suppress(ValueError):
        if 0 < (value := float(text)) < 1:
            return value
    raise ValueError("a number between 0 and 1, e.g. 0.8 or 1e-6")


def _positive(text: str) -> int:
    if (value := _whole(text)) < 1:
        raise ValueError("a whole number of at least 1")
    return value


def _days(text: str) -> int:
    if not 0 <= (value := _whole(text)) <= 28:
        raise ValueError("a whole number of days from 0 to 28")
    return value


def _above_zero(text: str) -> float:
    if (value := _number(text)) <= 0:
        raise ValueError("a number above 0")
    return value


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError("1 or 0")
    return text == "1"


def _names(text: str) -> tuple[str, ...]:  # a comma-separated list
    return tuple(name.strip() for name in text.split(",") if name.strip())


def _terms(text: str) -> tuple[str, ...]:  # a comma-separated list, or "off"
    return () if text.strip().casefold() == "off" else _names(text)


def _security(text: str) -> SmtpSecurity:
    asked = text.strip().lower()
    for known in SMTP_PORTS:
        if known == asked:
            return known
    raise ValueError("starttls, tls or none")


def _file_text(text: str) -> str:
    try:
        return Path(text).read_text().strip()
    except OSError as error:
        raise ValueError(f"a file the hub can read ({error.strerror})") from None


def _phone(text: str) -> str:
    if not E164.match(text):
        raise ValueError("a phone number in international form, e.g. +13125550100")
    return text


def _helpdesk(text: str) -> str:
    if (name := text.strip().lower()) not in HELPDESKS:
        raise ValueError(" or ".join(HELPDESKS))
    return name


def _zone(text: str) -> str:
    try:
        slots.zone(text)
    except ValueError:
        raise ValueError("an IANA time zone, e.g. America/Chicago") from None
    return text


def _labels(text: str) -> tuple[tuple[str, str], ...]:
    """'en=Order number,es=Número de pedido'."""
    pairs = [part.partition("=") for part in text.split(",") if part.strip()]
    if not pairs or any(not locale.strip() or not label.strip() for locale, _, label in pairs):
        raise ValueError("locale=label pairs, comma-separated (en=Order number)")
    return tuple((locale.strip(), label.strip()) for locale, _, label in pairs)


def _words(text: str) -> tuple[tuple[str, str], ...]:
    """'en=Stores, orders and deliveries|es=Tiendas, pedidos y entregas' (text may hold
    commas, so the languages are split by '|')."""
    pairs = [part.partition("=") for part in text.split("|") if part.strip()]
    if not pairs or any(not locale.strip() or not words.strip() for locale, _, words in pairs):
        raise ValueError("locale=text pairs, separated by | (en=Stores and orders|es=Tiendas)")
    return tuple((locale.strip(), words.strip()) for locale, _, words in pairs)


def _queues(text: str) -> tuple[tuple[str, int], ...]:
    """'baggage=2,refunds=3': Careline category = helpdesk queue id."""
    pairs = [part.partition("=") for part in text.split(",") if part.strip()]
    if not pairs or any(not c.strip() or not q.strip().isdigit() for c, _, q in pairs):
        raise ValueError("category=queue id pairs, comma-separated (baggage=2,refunds=3)")
    return tuple((category.strip(), int(queue)) for category, _, queue in pairs)


def _agents(text: str) -> tuple[tuple[int, str], ...]:
    """'7=Ana Ruiz,8=Bo Li': helpdesk user id = the agent's name."""
    pairs = [part.partition("=") for part in text.split(",") if part.strip()]
    if not pairs or any(not u.strip().isdigit() or not n.strip() for u, _, n in pairs):
        raise ValueError("user id=name pairs, comma-separated (7=Ana Ruiz,8=Bo Li)")
    return tuple((int(user), name.strip()) for user, _, name in pairs)


# (HubSettings field, environment variable, converter), read by `load_settings`.
HUB_VARIABLES: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("company_name", "CARELINE_COMPANY_NAME", str),
    ("public_url", "CARELINE_PUBLIC_URL", str),
    ("time_zone", "CARELINE_TIME_ZONE", _zone),
    ("default_locale", "CARELINE_DEFAULT_LOCALE", parse_locale),
    ("caller_number", "CARELINE_CALLER_NUMBER", _phone),
    ("booking_ref_label", "CARELINE_BOOKING_REF_LABEL", _labels),
    ("booking_ref_pattern", "CARELINE_BOOKING_REF_PATTERN", valid_pattern),
    ("booking_ref_example", "CARELINE_BOOKING_REF_EXAMPLE", str),
    ("wording_alerts_keys", "CARELINE_WORDING_ALERTS_KEYS", _words),
    ("wording_key_label", "CARELINE_WORDING_KEY_LABEL", _words),
    ("wording_key_hint", "CARELINE_WORDING_KEY_HINT", _words),
    ("wording_search_hint", "CARELINE_WORDING_SEARCH_HINT", _words),
    ("smtp_host", "CARELINE_SMTP_HOST", str),
    ("smtp_port", "CARELINE_SMTP_PORT", _whole),
    ("smtp_security", "CARELINE_SMTP_SECURITY", _security),
    ("smtp_ca_file", "CARELINE_SMTP_CA_FILE", Path),
    ("smtp_allow_plaintext", "CARELINE_SMTP_ALLOW_PLAINTEXT", _flag),
    ("smtp_user", "CARELINE_SMTP_USER", str),
    ("smtp_password", "CARELINE_SMTP_PASSWORD", str),
    ("smtp_password", "CARELINE_SMTP_PASSWORD_FILE", _file_text),
    ("mail_from", "CARELINE_MAIL_FROM", str),
    ("mail_listen", "CARELINE_MAIL_LISTEN", str),
    ("support_address", "CARELINE_SUPPORT_ADDRESS", str),
    ("mail_authserv_id", "CARELINE_MAIL_AUTHSERV_ID", str),
    ("mail_outbox_seconds", "CARELINE_MAIL_OUTBOX_SECONDS", _number),
    ("dev_mode_allowed", "CARELINE_DEV_MODE", _flag),
    # uvicorn's own variable, then ours.
    ("forwarded_allow_ips", "FORWARDED_ALLOW_IPS", str),
    ("forwarded_allow_ips", "CARELINE_FORWARDED_ALLOW_IPS", str),
    ("operator_token_ttl_days", "CARELINE_OPERATOR_TOKEN_TTL_DAYS", _whole),
    ("staff_session_hours", "CARELINE_STAFF_SESSION_HOURS", _whole),
    ("session_idle_days", "CARELINE_SESSION_IDLE_DAYS", _whole),
    ("sessions_per_customer", "CARELINE_SESSIONS_PER_CUSTOMER", _whole),
    ("sign_in_daily_failures_per_client", "CARELINE_SIGN_IN_DAILY_FAILURES_PER_ADDRESS", _whole),
    ("sign_in_daily_failures_per_email", "CARELINE_SIGN_IN_DAILY_FAILURES_PER_EMAIL", _whole),
    (
        "sign_in_capped_email_failures_per_client",
        "CARELINE_SIGN_IN_CAPPED_EMAIL_FAILURES_PER_ADDRESS",
        _whole,
    ),
    (
        "sign_in_codes_per_email",
        "CARELINE_SIGN_IN_CODES_PER_EMAIL_PER_HOUR",
        lambda text: RateLimit(_whole(text), 3600),
    ),
    ("writes_per_customer", "CARELINE_WRITES_PER_MINUTE", lambda text: RateLimit(_whole(text), 60)),
    ("max_case_messages", "CARELINE_MAX_CASE_MESSAGES", _whole),
    ("streams_per_customer", "CARELINE_STREAMS_PER_CUSTOMER", _whole),
    ("streams_per_client", "CARELINE_STREAMS_PER_ADDRESS", _whole),
    ("devices_per_customer", "CARELINE_DEVICES_PER_CUSTOMER", _whole),
    (
        "storage_per_customer",
        "CARELINE_STORAGE_PER_CUSTOMER_MB",
        lambda text: int(_number(text) * 1e6),
    ),
    ("keep_unattached_uploads_hours", "CARELINE_KEEP_UPLOADS_HOURS", _number),
    ("keep_mutations_days", "CARELINE_KEEP_MUTATIONS_DAYS", _number),
    ("keep_events_days", "CARELINE_KEEP_EVENTS_DAYS", _number),
    ("keep_tombstones_days", "CARELINE_KEEP_TOMBSTONES_DAYS", _number),
    ("keep_social_posts_days", "CARELINE_KEEP_SOCIAL_POSTS_DAYS", _number),
    ("social_window_minutes", "CARELINE_SOCIAL_WINDOW_MINUTES", _window),
    ("social_significance", "CARELINE_SOCIAL_SIGNIFICANCE", _fraction),
    ("social_min_count", "CARELINE_SOCIAL_MIN_COUNT", _positive),
    ("social_baseline_days", "CARELINE_SOCIAL_BASELINE_DAYS", _days),
    ("social_disruption_terms", "CARELINE_SOCIAL_DISRUPTION_TERMS", _terms),
    ("prune_every_seconds", "CARELINE_PRUNE_EVERY_SECONDS", _number),
    ("forecast_target_share", "CARELINE_FORECAST_TARGET_SHARE", _fraction),
    ("forecast_target_minutes", "CARELINE_FORECAST_TARGET_MINUTES", _above_zero),
    ("forecast_history_weeks", "CARELINE_FORECAST_HISTORY_WEEKS", _above_zero),
    ("push_contact", "CARELINE_PUSH_CONTACT", str),
    ("vapid_private_key", "CARELINE_VAPID_PRIVATE_KEY", str),
    ("push_stand_ins", "CARELINE_PUSH_STAND_INS", _names),
    ("cors_origins", "CARELINE_CORS_ORIGINS", _names),
    ("fcm_project", "CARELINE_FCM_PROJECT", str),
    ("fcm_token_file", "CARELINE_FCM_TOKEN_FILE", Path),
    ("helpdesk", "CARELINE_HELPDESK", _helpdesk),
    ("helpdesk_reconcile_seconds", "CARELINE_HELPDESK_RECONCILE_SECONDS", _number),
    ("zendesk_url", "CARELINE_ZENDESK_URL", str),
    ("zendesk_email", "CARELINE_ZENDESK_EMAIL", str),
    ("zendesk_api_token", "CARELINE_ZENDESK_API_TOKEN", str),
    ("zendesk_api_token", "CARELINE_ZENDESK_API_TOKEN_FILE", _file_text),
    ("zendesk_webhook_secret", "CARELINE_ZENDESK_WEBHOOK_SECRET", str),
    ("zendesk_webhook_secret", "CARELINE_ZENDESK_WEBHOOK_SECRET_FILE", _file_text),
    ("django_helpdesk_url", "CARELINE_DJANGO_HELPDESK_URL", str),
    ("django_helpdesk_token", "CARELINE_DJANGO_HELPDESK_TOKEN", str),
    ("django_helpdesk_token", "CARELINE_DJANGO_HELPDESK_TOKEN_FILE", _file_text),
    ("django_helpdesk_webhook_secret", "CARELINE_DJANGO_HELPDESK_WEBHOOK_SECRET", str),
    (
        "django_helpdesk_webhook_secret",
        "CARELINE_DJANGO_HELPDESK_WEBHOOK_SECRET_FILE",
        _file_text,
    ),
    ("django_helpdesk_queues", "CARELINE_DJANGO_HELPDESK_QUEUES", _queues),
    ("django_helpdesk_default_queue", "CARELINE_DJANGO_HELPDESK_DEFAULT_QUEUE", _whole),
    ("django_helpdesk_agents", "CARELINE_DJANGO_HELPDESK_AGENTS", _agents),
)
# The same for `PushLimits`.
PUSH_VARIABLES: tuple[tuple[str, str, Callable[[str], Any]], ...] = (
    ("concurrency", "CARELINE_PUSH_CONCURRENCY", _whole),
    ("per_host", "CARELINE_PUSH_PER_HOST", _whole),
    ("timeout_seconds", "CARELINE_PUSH_TIMEOUT_SECONDS", _number),
    ("give_up_after", "CARELINE_PUSH_GIVE_UP_AFTER", _whole),
    ("give_up_seconds", "CARELINE_PUSH_GIVE_UP_SECONDS", _number),
    ("batch_size", "CARELINE_PUSH_BATCH_SIZE", _whole),
    ("lease_seconds", "CARELINE_PUSH_LEASE_SECONDS", _number),
)
