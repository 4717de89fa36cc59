"""`GET /careline/offline.json`: what a browser shows when the app server cannot be reached
(see `assets/careline/offline.js`): the last status and the help articles it read, with
the page's words, in its language. A browser proves its device with its key; without
one it gets the status only."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.schemas import Incident
from app.state.hosting import Hosting
from app.state.offline import OfflineCopy, offline_copy
from app.views.strings import tr

WORDS = (
    "title",
    "note",
    "updated",
    "disruptions",
    "no_disruptions",
    "services",
    "articles",
    "no_articles",
    "retry",
)


def offline_router(hosting: Hosting, company: str) -> APIRouter:
    router = APIRouter()

    @router.get("/careline/offline.json", include_in_schema=False)
    async def offline(request: Request) -> JSONResponse:
        device = await hosting.devices.find(request.headers.get("x-careline-device"))
        copy = await offline_copy(hosting.shared.store, device.runtime if device else None)
        return JSONResponse(document(copy, company), headers={"Cache-Control": "no-store"})

    return router


def document(copy: OfflineCopy, company: str) -> dict[str, Any]:
    locale = copy.locale
    return {
        "company": company,
        "locale": locale,
        "synced_at": copy.synced_at,
        "words": {word: tr(locale, f"offline_page_{word}") for word in WORDS},
        "incidents": [incident(i, locale) for i in copy.incidents],
        "services": [
            {"name": c.name, "state": tr(locale, f"state_{c.status.value}")} for c in copy.troubled
        ],
        "articles": [{"title": a.title, "body": a.body} for a in copy.articles],
    }


def incident(found: Incident, locale: str) -> dict[str, Any]:
    latest = found.updates[0] if found.updates else None
    return {
        "title": found.title,
        "impact": found.impact.value,
        "impact_text": tr(locale, f"impact_{found.impact.value}"),
        "stage": tr(locale, f"status_{found.status.value}"),
        "latest": latest.body if latest else "",
        "updated_at": found.updated_at.isoformat(),
    }
