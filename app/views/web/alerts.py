"""Alerts on this device (Web Push) for a served app. Flet cannot run JavaScript, so the
Account screen opens a small page of Careline's own (`/careline/alerts`, its script in
`assets/careline/alerts.js`): a real button press there asks the browser's permission,
subscribes with the hub's key (`/careline/push-key`) and hands the subscription to this
server (`/careline/push`, with the browser's device key), which registers it with the hub.
The browser's device key proves whose device it is; nothing else is needed or accepted."""

from __future__ import annotations

import asyncio
import html
import json

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from app.state.devices import Device
from app.state.hosting import Hosting
from app.state.push import AlertsNotChanged, BrowserSubscription, push_key, turn_off, turn_on
from app.views.strings import LANGUAGES, tr

WORDS = ("on", "off", "blocked", "unsupported", "failed", "working")


def alerts_router(hosting: Hosting, company: str) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    known: dict[str, str] = {}

    async def device_of(request: Request) -> Device | None:
        return await hosting.devices.find(request.headers.get("x-careline-device"))

    @router.get("/careline/push-key")
    async def hub_key() -> Response:
        if "key" not in known:
            try:
                known["key"] = await push_key(hosting.shared)
            except AlertsNotChanged as error:
                return not_changed(error)
        return JSONResponse({"public_key": known["key"]})

    @router.get("/careline/push")
    async def push_state(request: Request) -> Response:
        device = await device_of(request)
        if device is None:
            return JSONResponse({"on": False})
        state = await asyncio.to_thread(device.runtime.personal.push.state)
        return JSONResponse({"on": state.on})

    @router.post("/careline/push")
    async def push_on(subscription: BrowserSubscription, request: Request) -> Response:
        device = await device_of(request)
        if device is None:
            return problem(403, "This browser's device is not known here; open the app first.")
        try:
            await turn_on(
                device.runtime,
                subscription,
                browser_address=request.client.host if request.client else None,
            )
        except AlertsNotChanged as error:
            return not_changed(error)
        return Response(status_code=204)

    @router.delete("/careline/push")
    async def push_off(request: Request) -> Response:
        device = await device_of(request)
        if device is not None:
            try:
                await turn_off(device.runtime)
            except AlertsNotChanged as error:
                return not_changed(error)
        return Response(status_code=204)

    @router.get("/careline/alerts")
    async def page(lang: str = "en", back: str = "/account") -> HTMLResponse:
        return HTMLResponse(alerts_page(lang if lang in LANGUAGES else "en", back, company))

    return router


def problem(status: int, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": "Alerts", "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")


def not_changed(error: AlertsNotChanged) -> JSONResponse:
    """A refusal (422), or the hub out of reach (503, try again later)."""
    if not error.retry:
        return problem(422, error.detail)
    answer = problem(503, error.detail)
    answer.headers["Retry-After"] = "30"
    return answer


def alerts_page(locale: str, back: str, company: str) -> str:
    """The page, in the customer's language; `back` only ever leads within this app."""
    # "//host", "/\host" and "/<tab>/host" all lead to another site in a browser.
    inside = back.startswith("/") and back.isprintable() and not back.startswith(("//", "/\\"))
    home = back if inside else "/account"
    words = {word: tr(locale, f"alerts_page_{word}", reason="{reason}") for word in WORDS}
    # As JSON in a script element that is never run: "</" cannot end it early.
    data = json.dumps({"words": words, "back": home}).replace("</", "<\\/")
    text = {
        key: html.escape(tr(locale, f"alerts_page_{key}"))
        for key in ("title", "intro", "turn_on", "turn_off", "back")
    }
    return f"""<!DOCTYPE html>
<html lang="{html.escape(locale)}">
<head>
  <meta charset="UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="theme-color" content="#3F51B5">
  <title>{html.escape(company)} – {text["title"]}</title>
  <link rel="icon" type="image/png" href="/favicon.png">
  <link rel="stylesheet" href="/careline/offline.css">
  <script type="application/json" id="careline-words">{data}</script>
  <script src="/careline/device-key.js" defer></script>
  <script src="/careline/alerts.js" defer></script>
</head>
<body>
  <main>
    <h1>{text["title"]}</h1>
    <p>{text["intro"]}</p>
    <p id="state" role="status"></p>
    <p>
      <button id="turn-on" type="button" hidden>{text["turn_on"]}</button>
      <button id="turn-off" type="button" hidden>{text["turn_off"]}</button>
    </p>
    <p><a id="back" href="{html.escape(home)}">{text["back"]}</a></p>
  </main>
</body>
</html>
"""
