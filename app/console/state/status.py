"""The Status screen's state: active and scheduled incidents, the templates, the New
incident form's draft with its audience preview, and updating or resolving an incident."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

import flet as ft

from app.console.client import IncidentTemplate
from app.console.state.console import ConsoleState
from app.console.state.errors import Failure
from app.schemas import Impact, Incident, IncidentKind, IncidentStatus, StatusSnapshot
from app.schemas.admin import IncidentIn, IncidentUpdateIn
from app.schemas.console import Audience, AudienceIn
from app.schemas.status import IncidentTranslation

SPANISH = "es"


@dataclass
class Draft:
    """What the New incident form holds (kept when the hub refuses it)."""

    title: str = ""
    body: str = ""
    title_es: str = ""
    body_es: str = ""
    impact: Impact = Impact.minor
    kind: IncidentKind = IncidentKind.incident
    components: set[str] = field(default_factory=set)
    keys: str = ""  # one per line or comma-separated
    starts: str = ""  # ISO times of a maintenance window
    ends: str = ""

    def key_list(self) -> list[str]:
        return [k.strip() for k in self.keys.replace(",", "\n").splitlines() if k.strip()]

    def translations(self) -> dict[str, IncidentTranslation]:
        if not (self.title_es.strip() or self.body_es.strip()):
            return {}
        spanish = IncidentTranslation(
            title=self.title_es.strip() or None, body=self.body_es.strip() or None
        )
        return {SPANISH: spanish}

    def audience_in(self) -> AudienceIn:
        return AudienceIn(
            title=self.title.strip(),
            body=self.body.strip(),
            impact=self.impact,
            kind=self.kind,
            components=sorted(self.components),
            keys=self.key_list(),
            translations=self.translations(),
        )

    def incident_in(self) -> IncidentIn:
        maintenance = self.kind is IncidentKind.maintenance
        return IncidentIn(
            title=self.title.strip(),
            body=self.body.strip(),
            impact=self.impact,
            kind=self.kind,
            components=sorted(self.components),
            keys=self.key_list(),
            translations=self.translations(),
            scheduled_for=_moment(self.starts) if maintenance else None,
            scheduled_until=_moment(self.ends) if maintenance else None,
        )


def _moment(text: str) -> datetime | None:
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00")) if text.strip() else None


def from_template(template: IncidentTemplate) -> Draft:
    spanish = template.translations.get(SPANISH, {})
    return Draft(
        title=template.title,
        body=template.body,
        title_es=str(spanish.get("title") or ""),
        body_es=str(spanish.get("body") or ""),
        impact=Impact(template.impact) if template.impact in set(Impact) else Impact.minor,
        kind=IncidentKind(template.kind)
        if template.kind in set(IncidentKind)
        else IncidentKind.incident,
        components=set(template.components),
        keys="\n".join(template.keys),
    )


AfterPublish = Callable[[Incident], Awaitable[Failure | None]]


class StatusBoard(ft.Observable):
    def __init__(self, console: ConsoleState) -> None:
        self._console = console
        self.snapshot: StatusSnapshot | None = None
        self.templates: list[IncidentTemplate] = []
        self.error: Failure | None = None
        self.busy = False
        self.draft = Draft()
        self.form_version = 0  # a new number re-creates the form's fields from `draft`
        self.audience: Audience | None = None  # the preview shown before Publish
        self.published: str | None = None  # the title just published, for a notice
        self.updating: str | None = None  # the incident whose update form is open
        self.composing = False  # the New incident form is open
        self.edits = 0
        # What else publishing this draft does (a warning it came from is acknowledged);
        # its failure is shown here, the incident being published all the same.
        self.after_publish: AfterPublish | None = None

    async def load(self) -> None:
        session = self._console.session
        self.busy = True
        snapshot = await session.call(self, self._console.client.status())
        if snapshot is not None:
            self.snapshot = snapshot
        if session.can("status") and not self.templates:
            # Without templates the form still works: a failure here is not shown.
            holder = _Quiet()
            self.templates = await session.call(holder, self._console.client.templates()) or []
        self.busy = False

    def incidents(self) -> list[Incident]:
        snapshot = self.snapshot
        return [*snapshot.active_incidents, *snapshot.maintenance] if snapshot else []

    def open_form(self, draft: Draft | None = None, after: AfterPublish | None = None) -> None:
        """The New incident form, empty or filled with `draft`."""
        if draft is not None:
            self.draft, self.audience, self.form_version = draft, None, self.form_version + 1
        self.composing, self.published, self.error, self.after_publish = True, None, None, after

    def close_form(self) -> None:
        self.composing, self.after_publish = False, None

    def use_template(self, template_id: str) -> None:
        for template in self.templates:
            if template.id == template_id:
                self.draft = from_template(template)
                self.audience = None
                self.form_version += 1

    def typed(self, name: str, value: str) -> None:
        """A text field changed: kept in the draft without re-drawing the screen, unless
        a preview shown no longer matches the form."""
        setattr(self.draft, name, value)
        if self.audience is not None:
            self.audience = None

    def edit(self, **changes: object) -> None:
        """A choice changed (impact, kind, a component): the form is drawn again."""
        for name, value in changes.items():
            setattr(self.draft, name, value)
        self.audience = None
        self.edits += 1

    def toggle_component(self, component_id: str, on: bool) -> None:
        chosen = set(self.draft.components)
        (chosen.add if on else chosen.discard)(component_id)
        self.edit(components=chosen)

    async def preview(self) -> None:
        try:
            draft = self.draft.audience_in()
        except ValueError as error:
            self.error = Failure("invalid", str(error))
            return
        self.busy = True
        self.audience = await self._console.session.call(self, self._console.client.audience(draft))
        self.busy = False

    async def publish(self) -> None:
        try:
            incident = self.draft.incident_in()
        except ValueError as error:
            self.error = Failure("invalid", _short(error))
            return
        self.busy = True
        done = await self._console.session.call(self, self._console.client.publish(incident))
        self.busy = False
        if done is not None:
            self.published, self.audience = done.title, None
            self.draft, self.form_version = Draft(), self.form_version + 1
            after, self.after_publish = self.after_publish, None
            await self.load()
            if after is not None:
                self.error = await after(done)

    def open_update(self, incident_id: str | None) -> None:
        self.updating, self.error = incident_id, None

    async def update(
        self, incident: Incident, status: IncidentStatus, body: str, body_es: str
    ) -> bool:
        translations = (
            {SPANISH: IncidentTranslation(body=body_es.strip())} if body_es.strip() else {}
        )
        try:
            sent = IncidentUpdateIn(status=status, body=body.strip(), translations=translations)
        except ValueError as error:
            self.error = Failure("invalid", _short(error))
            return False
        self.busy = True
        done = await self._console.session.call(
            self, self._console.client.update_incident(incident.id, sent)
        )
        self.busy = False
        if done is None:
            return False
        self.updating = None
        await self.load()
        return True


def closing_status(incident: Incident) -> IncidentStatus:
    maintenance = incident.kind is IncidentKind.maintenance
    return IncidentStatus.completed if maintenance else IncidentStatus.resolved


def _short(error: ValueError) -> str:
    """A model's refusal in a line: the fields and what is wrong with them."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors())
    return str(error)


class _Quiet:
    error: Failure | None = None
