"""How fresh help is, in the customer's language: an article's last update and the help
centre's last sync, relative to now and never in the future."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.views.freshness import article_updated, help_synced, since
from app.views.strings import when

NOW = datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


def test_an_article_says_when_it_was_updated() -> None:
    two_days = NOW - timedelta(days=2, hours=3)
    assert article_updated("en", two_days, NOW) == "Updated 2 days ago"
    assert article_updated("es", two_days, NOW) == "Actualizado hace 2 días"
    assert article_updated("fr", two_days, NOW) == "Mis à jour il y a 2 jours"
    assert article_updated("en", "2026-12-07T14:25:00Z", NOW) == "Updated 5 minutes ago"


def test_under_a_minute_or_ahead_of_the_device_clock_reads_just_now() -> None:
    assert article_updated("en", NOW + timedelta(minutes=3), NOW) == "Updated just now"
    assert since("es", NOW - timedelta(seconds=50), NOW) == "ahora mismo"
    assert since("fr", NOW, NOW) == "à l’instant"
    assert since("en", NOW - timedelta(seconds=61), NOW) == "1 minute ago"


def test_help_says_when_it_was_synced_and_more_plainly_offline() -> None:
    synced = "2026-12-07T13:30:00Z"
    assert help_synced("en", synced, False, NOW, UTC) == "Help synced 1 hour ago"
    assert help_synced("es", synced, False, NOW, UTC) == "Ayuda sincronizada hace 1 hora"
    assert (
        help_synced("en", synced, True, NOW, UTC)
        == f"Offline — help as of {when('en', synced, UTC)}"
    )
    assert help_synced("es", synced, True, NOW, UTC) == (
        f"Sin conexión — ayuda a fecha de {when('es', synced, UTC)}"
    )
    assert help_synced("en", None, False, NOW, UTC) == "Help not synced yet"
    assert help_synced("en", None, True, NOW, UTC) == "Offline — no help synced yet"
