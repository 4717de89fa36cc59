"""OS notifications through plyer, sent from a worker thread so the UI never waits.

plyer needs a notification service (on Linux, notify-send and something owning
`org.freedesktop.Notifications` on the session bus). When there is none, or the app is
served to a browser (plyer would notify the server's desktop, not the customer),
`desktop_notifier` gives None and the app shows its in-app banner only."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sys
from importlib.util import find_spec
from typing import Any

from app.notify.text import Notice

log = logging.getLogger("careline.notify")
APP_NAME = "Careline"
LINUX = sys.platform.startswith("linux")


def not_an_option(text: str) -> str:
    """notify-send reads an argument starting with '-' as an option: a zero-width space
    in front keeps it text."""
    return "\u200b" + text if text.startswith("-") else text


class DesktopNotifier:
    async def show(self, notice: Notice) -> bool:
        """Send an OS notification; False when the platform refused it."""
        return await asyncio.to_thread(self._send, notice)

    def _send(self, notice: Notice) -> bool:
        try:
            backend().notify(
                title=not_an_option(notice.title),
                message=not_an_option(notice.body),
                app_name=APP_NAME,
                timeout=10,
            )
        except Exception as error:  # plyer raises whatever its backend raises
            log.warning("OS notification failed: %s", error)
            return False
        return True


def backend() -> Any:
    """plyer's notification backend. On Linux, its notify-send one, chosen here: plyer's
    own choice takes a Flatpak portal call whenever `/app` exists, which splices the text
    into a command unescaped."""
    if LINUX:
        from plyer.platforms.linux.notification import NotifySendNotification

        return NotifySendNotification()
    from plyer import notification

    return notification


def desktop_notifier(*, web: bool) -> DesktopNotifier | None:
    """A notifier for this platform, or None where OS notifications cannot reach the
    customer."""
    if web or find_spec("plyer") is None:
        return None
    if LINUX and not (os.environ.get("DBUS_SESSION_BUS_ADDRESS") and shutil.which("notify-send")):
        return None
    return DesktopNotifier()
