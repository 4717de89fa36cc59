"""Where Back leads: the addresses this window visited, so Back returns where the
customer came from (an article opened from an incident goes back to the incident), and a
form replaced by what it made (a new case by the case) is not returned to.

The browser's own Back and Forward change the address too; they arrive here like any
other visit, and a visit to the address just before the current one counts as going back.
"""

from __future__ import annotations

from urllib.parse import urlsplit

# The navigation destinations: going to one starts a new trail (they have no Back).
TOP_LEVEL = frozenset({"/", "/status", "/help", "/callbacks", "/cases", "/account"})
MAX_ENTRIES = 50


def path_of(route: str) -> str:
    """The path of an address, without its query, and without a trailing slash."""
    path = urlsplit(route or "/").path or "/"
    return path.rstrip("/") or "/"


def parent_of(route: str) -> str:
    """The screen an address sits under (`/help/x` -> `/help`): where Back leads when
    this window came straight to it (a deep link, a reload)."""
    path = path_of(route)
    if path in TOP_LEVEL:
        return path
    head, _, _ = path.rpartition("/")
    return head or "/"


class NavigationHistory:
    """The trail of one window: the addresses that led to the current one, oldest first."""

    def __init__(self) -> None:
        self.trail: list[str] = []
        self._replace_next = False
        # A detour (signing in on Account) and where it went first.
        self._resume: list[str] | None = None
        self._away: str | None = None

    @property
    def current(self) -> str | None:
        return self.trail[-1] if self.trail else None

    def visit(self, route: str) -> None:
        """The window now shows `route` (a tap, Back, the browser's Back, a typed address)."""
        replace, self._replace_next = self._replace_next, False
        if self._came_back(route) or route == self.current:
            return
        if len(self.trail) >= 2 and route == self.trail[-2]:
            self.trail.pop()
            return
        if path_of(route) in TOP_LEVEL:
            self.trail = [route]
            return
        if replace and self.trail:
            self.trail.pop()
        self.trail.append(route)
        del self.trail[:-MAX_ENTRIES]

    def restart(self, route: str) -> None:
        """The window loaded `route` afresh (a typed address, a reload, a link from outside
        the app): Back leads to the screen it sits under, as for a deep link."""
        self.trail, self._resume, self._replace_next = [route], None, False

    def detour(self) -> None:
        """The customer is sent elsewhere to come back here (to sign in): the way back
        from here stays what it was, and the detour leaves no trace."""
        self._resume, self._away = (list(self.trail), None) if self.trail else (None, None)

    def _came_back(self, route: str) -> bool:
        if self._resume is None:
            return False
        if route == self._resume[-1]:
            self.trail, self._resume = self._resume, None
            return True
        if self._away is None:
            self._away = route
        elif route != self._away:
            self._resume = None  # gone on elsewhere: the detour is over
        return False

    def replace_next(self) -> None:
        """The next visit takes the place of the current address (a sent form)."""
        self._replace_next = True

    def back(self) -> str:
        """Where Back leads from the current address."""
        if len(self.trail) >= 2:
            return self.trail[-2]
        return parent_of(self.current or "/")
