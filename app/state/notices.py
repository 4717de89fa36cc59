"""What a window shows of the live updates the customer is told about
(`app.notify.center` decides which): the latest as a banner, and badges counting what
was not looked at."""

from __future__ import annotations

from typing import Protocol

import flet as ft

from app.notify import Notice

RECENT = 20


class Shown(Protocol):
    """A screen's item whose route can change while it is on screen (a case opened in
    this window gets the hub's id, which its updates name, after its screen opened)."""

    @property
    def shown_route(self) -> str | None: ...


class NoticesState(ft.Observable):
    """One window's banner and badges.

    The banner is the latest update, shown on the screen where it arrived (or the first
    one visited after it). Once the customer has seen it there and moved on, dismissed it
    or opened it, it stays away from every screen until a newer update arrives; the
    badges still count what was not looked at."""

    def __init__(self) -> None:
        self.items: list[Notice] = []
        self.unseen: dict[str, int] = {}  # by route prefix: /status, /cases, /callbacks
        # The case or callback on screen (its route, or what knows it as it is now): it
        # shows its own updates.
        self.shown: str | Shown | None = None
        # The address on screen, and where the latest update's banner was first shown.
        self.route: str | None = None
        self.banner_on: str | None = None
        # The latest update was seen, dismissed or opened: no banner until a newer one.
        self.quiet = False

    @property
    def showing(self) -> str | None:
        """The route of the item on screen, as it is now."""
        shown = self.shown
        return shown if shown is None or isinstance(shown, str) else shown.shown_route

    @property
    def banner(self) -> Notice | None:
        """The update the banner shows, if any."""
        return None if self.quiet or not self.items else self.items[0]

    def banner_for(self, route: str) -> Notice | None:
        """The banner on the screen at `route`: none on a screen other than the one it
        was shown on (asked before `visit` records that screen, so it never flashes)."""
        banner = self.banner
        return banner if self.banner_on in (None, route) else None

    def add(self, notice: Notice) -> None:
        if notice.route == self.showing:
            return
        self.items = [notice, *self.items][:RECENT]
        self.quiet, self.banner_on = False, self.route
        section = "/" + notice.route.split("/")[1]
        self.unseen = {**self.unseen, section: self.unseen.get(section, 0) + 1}

    def visit(self, route: str) -> None:
        """The window now shows the screen at `route`. A banner already shown on another
        screen has been seen: it does not follow the customer here."""
        if route == self.route:
            return
        self.route = route
        if self.banner is None:
            return
        if self.banner_on is None:
            self.banner_on = route
        elif self.banner_on != route:
            self.quiet = True

    def show(self, item: str | Shown | None) -> None:
        """The screen now shows `item`, by its route or what knows its route (None: no
        item): its notices go, and its later ones get no banner."""
        self.shown = item
        route = self.showing
        if route is not None and any(n.route == route for n in self.items):
            if self.banner is not None and self.banner.route == route:
                self.quiet = True
            self.items = [n for n in self.items if n.route != route]

    def dismiss(self, key: str) -> None:
        if self.banner is not None and self.banner.key == key:
            self.quiet = True
        self.items = [n for n in self.items if n.key != key]

    def seen(self, section: str) -> None:
        if self.unseen.get(section):
            self.unseen = {k: v for k, v in self.unseen.items() if k != section}
