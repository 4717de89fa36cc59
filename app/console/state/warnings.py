"""The Early warnings screen's state: the warnings the hub opened from bursts of public
posts, open ones first; acknowledging one, dismissing one (asked first), and publishing
an incident from one through the New incident form, prefilled, so that the operator edits
it and publishes it the usual way (the warning is then published, linked to it). The rail's badge
counts the open ones.

Post text is hostile (markup, control characters, any length): everything a post or a
key puts on screen goes through `shown`, one rule for the whole screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import flet as ft

from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.console.state.status import SPANISH, Draft, StatusBoard
from app.console.strings import SOURCE, tr, when
from app.schemas import Component, Incident
from app.schemas.warnings import EarlyWarning, WarningAction, WarningState, printable

# The longest a sample post or a key is shown (a card stays a card).
SHOWN_CHARS = 280
# Open warnings are fetched apart from the recent ones, so none is missed behind them.
OPEN_LIMIT = 500
RECENT_LIMIT = 50
# The order of the list: open first, then those someone has seen, then the closed.
ORDER = {
    WarningState.new: 0,
    WarningState.acknowledged: 1,
    WarningState.published: 2,
    WarningState.dismissed: 2,
}


def shown(text: str) -> str:
    """Post text as the screen shows it: one line of plain text, control and direction
    characters gone, at most `SHOWN_CHARS` long (the same rule the CLI prints by)."""
    return printable(text, SHOWN_CHARS)


def ordered(warnings: list[EarlyWarning]) -> list[EarlyWarning]:
    """Open first, then acknowledged, then closed; each most recently detected first."""
    newest = sorted(warnings, key=lambda w: w.detected_at, reverse=True)
    return sorted(newest, key=lambda w: ORDER[w.state])


def draft_from(warning: EarlyWarning, components: list[Component]) -> Draft:
    """The New incident form filled from a warning: its key as the component affected
    (when a component has that id) or as a subscription key, and a title and message in
    English and Spanish naming it and when reports began."""
    component = next((c for c in components if c.id == warning.key), None)

    def text(locale: str, key: str) -> str:
        said = component.translations.get(locale) if component else None
        name = (said.name if said else None) or (component.name if component else warning.key)
        return tr(locale, key, name=shown(name), start=when(locale, warning.started_at))

    return Draft(
        title=text(SOURCE, "warning_incident_title"),
        body=text(SOURCE, "warning_incident_body"),
        title_es=text(SPANISH, "warning_incident_title"),
        body_es=text(SPANISH, "warning_incident_body"),
        components={component.id} if component else set(),
        keys="" if component else warning.key,
    )


@dataclass(frozen=True)
class Done:
    """What the last action did, for the line above the list: `what` is a catalog key
    (`warning_done_<what>`), `key` the warning's key."""

    what: Literal["acknowledged", "dismissed"]
    key: str


class _Quiet:
    """Where the badge's count puts a failure: the screen says it when it loads."""

    error: Failure | None = None


class WarningsState(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._console = console
        self.warnings: list[EarlyWarning] = []
        self.open_count: int | None = None  # the rail's badge; None until counted
        self.loaded = False
        self.busy = False
        self.error: Failure | None = None
        self.done: Done | None = None
        self.asking: str | None = None  # the warning whose Dismiss asks first

    @property
    def badge(self) -> int | None:
        return self.open_count

    async def load(self) -> None:
        session, hub = self._console.session, self._console.client
        self.busy = True
        open_now = await session.call(self, hub.warnings(WarningState.new, OPEN_LIMIT))
        recent = (
            await session.call(self, hub.warnings(None, RECENT_LIMIT))
            if open_now is not None
            else None
        )
        self.busy = False
        if open_now is None or recent is None:
            return
        found = {w.id: w for w in recent} | {w.id: w for w in open_now}
        self.warnings, self.open_count = ordered(list(found.values())), len(open_now)
        self.loaded = True

    async def count(self) -> None:
        """The badge only: how many warnings are open (a failure stays quiet)."""
        hub = self._console.client
        found = await self._console.session.call(
            _Quiet(), hub.warnings(WarningState.new, OPEN_LIMIT)
        )
        if found is not None:
            self.open_count = len(found)

    def open(self) -> list[EarlyWarning]:
        return [w for w in self.warnings if w.state is WarningState.new]

    def handled(self) -> list[EarlyWarning]:
        return [w for w in self.warnings if w.state is not WarningState.new]

    async def _act(
        self, warning: EarlyWarning, state: WarningState, incident_id: str | None = None
    ) -> Failure | None:
        self.done, self.busy = None, True
        hub = self._console.client
        action = WarningAction(state=state, incident_id=incident_id)
        changed = await self._console.session.call(self, hub.act_on_warning(warning.id, action))
        self.busy = False
        if changed is None:
            return self.error
        await self.load()
        return None

    async def acknowledge(self, warning: EarlyWarning) -> None:
        if await self._act(warning, WarningState.acknowledged) is None:
            self.done = Done("acknowledged", warning.key)

    def ask_dismiss(self, warning: EarlyWarning) -> None:
        self.done, self.asking = None, warning.id

    def cancel(self) -> None:
        self.asking = None

    async def confirm_dismiss(self) -> None:
        asking, self.asking = self.asking, None
        found = next((w for w in self.warnings if w.id == asking), None)
        if found is not None and await self._act(found, WarningState.dismissed) is None:
            self.done = Done("dismissed", found.key)

    async def prefill(self, warning: EarlyWarning) -> None:
        """Open the New incident form (on the Status screen) filled from `warning`; once
        that incident is published, the warning is published, linked to it. The caller
        shows the Status screen."""
        board = self._console.screen(StatusBoard)
        if board.snapshot is None:
            await board.load()
        components = board.snapshot.components if board.snapshot else []

        async def link(incident: Incident) -> Failure | None:
            return await self._act(warning, WarningState.published, incident.id)

        board.open_form(draft_from(warning, components), after=link)
