"""Telling the customer about an update: an OS notification where the platform has one,
and always an in-app banner and badge."""

from app.notify.center import NoticeCenter, notice_for
from app.notify.desktop import DesktopNotifier, desktop_notifier
from app.notify.text import Notice, safe_text

__all__ = [
    "DesktopNotifier",
    "Notice",
    "NoticeCenter",
    "desktop_notifier",
    "notice_for",
    "safe_text",
]
