"""Hub settings from the environment (and CLI flags that override them)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from app.backend.early_warning.disruption import DEFAULT_TERMS
from app.config import DEFAULT_HUB_URL
from app.schemas.files import MAX_ATTACHMENT_BYTES

DATABASE_URL_ENV = "CARELINE_DATABASE_URL"
# The helpdesks the hub has a connector for (CARELINE_HELPDESK).
HELPDESKS = ("zendesk", "django-helpdesk")
# How the hub reaches its mail server: STARTTLS on the submission port, implicit TLS
# (SMTPS), or plain text (only to a server on this machine, or when asked for explicitly).
SmtpSecurity = Literal["starttls", "tls", "none"]
SMTP_PORTS: dict[SmtpSecurity, int] = {"starttls": 587, "tls": 465, "none": 25}


# Text per locale: (locale, text) pairs, e.g. (("en", "Order number"), ("es", "Número de pedido")).
Labels = tuple[tuple[str, str], ...]


class SettingsError(ValueError):
    """A setting has a value the hub cannot use; the CLI prints it without a traceback."""


@dataclass(frozen=True)
class RateLimit:
    """At most `count` hits per `seconds` window."""

    count: int
    seconds: float


@dataclass(frozen=True)
class PushLimits:
    """How the hub pushes. Each push service host gets at most `per_host` of the
    `concurrency` sends at a time, each connect and read waiting `timeout_seconds` at
    most, so a slow or silent host delays only its own devices. A device whose pushes
    failed `give_up_after` times in a row, over at least `give_up_seconds`, is removed.
    An event's devices are split into batches of `batch_size` that any hub process claims
    for `lease_seconds` (renewed while it sends; at least 1.5 times the longest send, three
    timeouts, so a send started under a lease ends under it)."""

    concurrency: int = 64
    per_host: int = 8
    timeout_seconds: float = 5.0
    give_up_after: int = 10
    give_up_seconds: float = 24 * 3600
    batch_size: int = 100
    lease_seconds: float = 30.0


@dataclass(frozen=True)
class HubSettings:
    data_dir: Path
    database_url: str
    company_name: str = "Northwind Air"
    public_url: str = DEFAULT_HUB_URL
    # The company's IANA time zone, shown on the status page.
    time_zone: str = "America/Chicago"
    # The language the company writes its content in first; the apps show it where the
    # customer's is missing.
    default_locale: str = "en"
    # The number callbacks come from (E.164), shown to the customer with each booking.
    caller_number: str | None = "+18005550100"
    # The booking reference the case and callback forms ask for: the company's name for the
    # field per locale, and the format a reference has (None: the forms do not ask).
    booking_ref_label: Labels | None = (
        ("en", "Booking reference"),
        ("es", "Código de reserva"),
    )
    booking_ref_pattern: str | None = r"^[A-Z0-9]{6}$"
    booking_ref_example: str | None = "K7Q2XM"
    # The company's words for labels of the app that name its trade, per locale
    # (app.schemas.wording.CompanyWord; None: the app's generic words).
    wording_alerts_keys: Labels | None = (
        ("en", "Airports, flights and bookings"),
        ("es", "Aeropuertos, vuelos y reservas"),
        ("fr", "Aéroports, vols et réservations"),
    )
    wording_key_label: Labels | None = (
        ("en", "Airport, flight or booking"),
        ("es", "Aeropuerto, vuelo o reserva"),
        ("fr", "Aéroport, vol ou réservation"),
    )
    wording_key_hint: Labels | None = (
        ("en", "For example ORD or NW123"),
        ("es", "Por ejemplo ORD o NW123"),
        ("fr", "Par exemple ORD ou NW123"),
    )
    wording_search_hint: Labels | None = (
        ("en", "Try 'lost bag' or 'refund'"),
        ("es", "Prueba «equipaje perdido» o «reembolso»"),
        ("fr", "Essayez «\u00a0bagage perdu\u00a0» ou «\u00a0remboursement\u00a0»"),
    )
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    mail_from: str = "Careline <no-reply@careline.invalid>"
    smtp_security: SmtpSecurity = "starttls"
    # A CA certificate (PEM) trusted instead of the system's, for an internal mail server.
    smtp_ca_file: Path | None = None
    smtp_allow_plaintext: bool = False  # "none" to a mail server on another machine
    # Dev mode (no SMTP) served on an address other than loopback needs asking for.
    dev_mode_allowed: bool = False
    # Peers whose X-Forwarded-For names the client (uvicorn's forwarded_allow_ips): the
    # customer's address, not the proxy's, then counts for sign-in and other limits.
    forwarded_allow_ips: str = "127.0.0.1"
    code_ttl_seconds: int = 600
    # Wrong codes one sign-in attempt allows; then that attempt (only) is dead.
    code_max_attempts: int = 5
    # Pending attempts one address keeps per email; its next start retires its oldest.
    sign_in_attempts_per_client: int = 5
    # Wrong codes in any 24 hours: an address over its cap gets 429 for every email;
    # once an email is over its cap, each address that guessed wrong for it gets 429 for
    # it (an address that did not, such as the customer's own, still signs in).
    sign_in_daily_failures_per_client: int = 30
    sign_in_daily_failures_per_email: int = 50
    # Once an email is over its cap, an address is refused for it only after this many of
    # its wrong codes: a customer's own typo or two does not lock them out too.
    sign_in_capped_email_failures_per_client: int = 3
    token_ttl_days: int = 90
    # Operator tokens expire after this many days unless created with another expiry (or,
    # asked for explicitly, none).
    operator_token_ttl_days: int = 90
    # A member of staff's sign-in (an operator token holding their role's scopes) ends
    # after this many hours.
    staff_session_hours: int = 12
    # A customer session unused this long stops working; a customer keeps at most this
    # many sessions (a new sign-in ends the least recently used one).
    session_idle_days: int = 60
    sessions_per_customer: int = 20
    max_json_bytes: int = 1_000_000
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES
    # Codes one address may ask for one email (counted per email and address, so nobody
    # can use up a customer's own chances to ask); sign-in requests per address.
    sign_in_per_email: RateLimit = field(default_factory=lambda: RateLimit(5, 900))
    sign_in_per_client: RateLimit = field(default_factory=lambda: RateLimit(30, 900))
    # Codes sent to one email from all addresses together: an inbox cannot be flooded.
    # Whoever uses them up makes the customer wait for a new code (an hour at most).
    sign_in_codes_per_email: RateLimit = field(default_factory=lambda: RateLimit(20, 3600))
    # An IPv6 /48 (a site's many /64s) counts as this many addresses for sign-in limits.
    sign_in_slash_48_factor: int = 4
    writes_per_customer: RateLimit = field(default_factory=lambda: RateLimit(120, 60))
    # Messages one case may hold (customer's and agents' together): a longer conversation
    # goes on in a new case, so one thread cannot grow without bound.
    max_case_messages: int = 500
    # Registrations for alerts without an account, per address (an app server sends each
    # browser's address as X-Forwarded-For, believed from `forwarded_allow_ips`).
    alert_devices_per_client: RateLimit = field(default_factory=lambda: RateLimit(20, 900))
    # Votes on help articles without an account, per address and per voter key.
    votes_per_client: RateLimit = field(default_factory=lambda: RateLimit(60, 3600))
    # Batches of search gaps (counts of help searches that found nothing) per address: a
    # device sends one every quarter of an hour at most.
    search_gaps_per_client: RateLimit = field(default_factory=lambda: RateLimit(30, 3600))
    # Live event streams open at once per customer and per address (public ones too): one
    # more closes the oldest. An app server on this machine (loopback) is counted per
    # customer only, since all its visitors share its address. Each signed-in browser tab
    # of the hosted app holds a stream of its customer's.
    streams_per_customer: int = 10
    streams_per_client: int = 20
    # Callback availability: requests per address, and the longest range one answers
    # (a longer one is cut short and pages on with `next_cursor`).
    availability_per_client: RateLimit = field(default_factory=lambda: RateLimit(120, 60))
    availability_max_days: int = 31
    # What one customer may keep: push devices (registering one more replaces the one
    # registered longest ago) and bytes of attachments.
    devices_per_customer: int = 20
    storage_per_customer: int = 100_000_000
    # Retention: uploads never attached to a case, idempotency records (a key older than
    # this applies again), the event log (a stream resuming before it resyncs) and the
    # change feed's tombstones (a cursor from before them resets); the hub prunes every
    # `prune_every_seconds` (`python -m app.backend prune` does it once).
    keep_unattached_uploads_hours: float = 24
    keep_mutations_days: float = 30
    keep_events_days: float = 30
    keep_tombstones_days: float = 30
    # Public posts for early warning, counted from when the hub received them (warnings
    # keep a few trimmed samples).
    keep_social_posts_days: float = 14
    # Early warning's burst detection (app/backend/early_warning/bursts.py): a key's posts
    # are counted per window of `social_window_minutes`, and a window is a burst when it
    # has at least `social_min_count` posts and the chance of that many under the key's
    # baseline (the last six hours, and the same time of day on up to
    # `social_baseline_days` previous days) is below `social_significance`.
    social_window_minutes: int = 10
    social_significance: float = 1e-6
    social_min_count: int = 5
    social_baseline_days: int = 7
    # Beside each key's total, its posts naming one of these terms are a series of their
    # own, tested over the last hour (app/backend/early_warning/disruption.py); none: off.
    social_disruption_terms: tuple[str, ...] = DEFAULT_TERMS
    prune_every_seconds: float = 3600
    # Contact forecast (`python -m app.backend forecast`): the share of callbacks to reach
    # within the target minutes (Erlang C staffing), and the weeks of history it learns from.
    forecast_target_share: float = 0.8
    forecast_target_minutes: float = 20
    forecast_history_weeks: float = 8
    push_contact: str = "mailto:support@careline.invalid"
    # The Web Push (VAPID) key as PEM text; without it the hub makes `vapid.pem` in the
    # data dir once.
    vapid_private_key: str | None = None
    push_limits: PushLimits = field(default_factory=PushLimits)
    # Tests and development only, never in production: push services stand-ins as
    # `name=host:port` (CARELINE_PUSH_STAND_INS, comma-separated). A push to https://name/
    # goes to host:port, which may be inside the network; every other endpoint must be a
    # public address on port 443.
    push_stand_ins: tuple[str, ...] = ()
    # Web origins allowed to call the hub from a browser; none by default (the app calls
    # it from Python, not from the page).
    cors_origins: tuple[str, ...] = ()
    fcm_project: str | None = None
    fcm_token_file: Path | None = None
    # The company's helpdesk the channel outbox feeds ("zendesk", "django-helpdesk"; None:
    # none), and how often the hub reads its open tickets for what a lost webhook missed.
    helpdesk: str | None = None
    helpdesk_reconcile_seconds: float = 300
    # Zendesk: the account's address (https://{subdomain}.zendesk.com), an agent's email
    # and API token, and the webhook's signing secret.
    zendesk_url: str | None = None
    zendesk_email: str | None = None
    zendesk_api_token: str | None = None
    zendesk_webhook_secret: str | None = None
    # The company's django-helpdesk: its address, a staff user's API token (its API is
    # staff-only), the secret its webhook URLs carry, and Careline category -> queue id
    # (other categories go to the default queue). No URL: no django-helpdesk connector.
    django_helpdesk_url: str | None = None
    django_helpdesk_token: str | None = None
    django_helpdesk_webhook_secret: str | None = None
    django_helpdesk_queues: tuple[tuple[str, int], ...] = ()
    django_helpdesk_default_queue: int = 1
    # Helpdesk user id -> the agent's name on their replies (the API names users by id only).
    django_helpdesk_agents: tuple[tuple[int, str], ...] = ()
    # Email as a channel (app/backend/channels): the SMTP listener's `host:port` (None: no
    # listener), the support address it takes mail for, and the authserv-id of the
    # company's MTA whose Authentication-Results vouch for a sender (None: no mail is
    # verified, so no emailed case joins an account).
    mail_listen: str | None = None
    support_address: str | None = None
    mail_authserv_id: str | None = None
    # How often the mail outbox looks for replies to send (and retries failed ones).
    mail_outbox_seconds: float = 5.0

    @property
    def dev_mode(self) -> bool:
        """Without SMTP, sign-in codes are kept for `auth codes` (the log only says one was
        issued, never the code)."""
        return self.smtp_host is None

    def with_overrides(self, **changes: object) -> HubSettings:
        return replace(self, **changes)  # type: ignore[arg-type]


def is_loopback_host(host: str) -> bool:
    """`localhost` or a loopback address (127.0.0.0/8, ::1): reachable from this machine
    only. Any other name or address may be reachable from elsewhere."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'hub.sqlite3'}"
