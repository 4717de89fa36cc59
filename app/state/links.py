"""Where a link in Markdown from the hub (help articles, incident updates) may lead: an app
route, or an http(s), mailto or tel address. Anything else (javascript:, data:, file:,
intent:, a protocol-relative //host) is not followed."""

from __future__ import annotations

from urllib.parse import urlsplit

EXTERNAL_SCHEMES = ("https", "http", "mailto", "tel")


def safe_link_target(url: str) -> str | None:
    """The target to follow for a tapped link, or None when it must not be followed.
    App routes start with a single "/"; external addresses keep their scheme."""
    target = url.strip()
    # Browsers drop tabs and line breaks inside URLs ("java\tscript:"), so no control
    # character or backslash gets a chance to change what the target means.
    if not target or "\\" in target or any(not ch.isprintable() for ch in target):
        return None
    if target.startswith("/"):
        return None if target.startswith("//") else target
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in EXTERNAL_SCHEMES:
        return None
    if scheme in ("http", "https") and not parts.hostname:
        return None
    if scheme in ("mailto", "tel") and not parts.path:
        return None
    return target
