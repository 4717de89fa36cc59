"""The series of the console's bar charts as the reader's language says them (the
Charts screen's charts and the contact forecast's)."""

from __future__ import annotations

from app.console.strings import tr


def channel_name(locale: str, channel: str) -> str:
    known = {
        "app": tr(locale, "channel_app"),
        "web": tr(locale, "channel_web"),
        "email": tr(locale, "channel_email"),
        "helpdesk": tr(locale, "channel_helpdesk"),
    }
    return known.get(channel, channel)


def series_name(locale: str, name: str) -> str:
    """A series as the reader's language says it ('opened:app' -> 'Opened, app'); a name
    the console does not know stays the hub's."""
    kind, _, channel = name.partition(":")
    if channel and kind == "opened":
        return tr(locale, "series_opened", channel=channel_name(locale, channel))
    if channel and kind == "replies":
        return tr(locale, "series_replies", channel=channel_name(locale, channel))
    known = {
        "requested": tr(locale, "series_requested"),
        "capacity": tr(locale, "series_capacity"),
        "helpful": tr(locale, "series_helpful"),
        "unhelpful": tr(locale, "series_unhelpful"),
        "expected": tr(locale, "series_expected"),
        "came": tr(locale, "series_came"),
        "planned": tr(locale, "series_planned"),
        "needed": tr(locale, "series_needed"),
    }
    return known.get(name, name)
