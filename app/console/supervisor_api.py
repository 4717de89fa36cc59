"""The operator API calls of the supervisor's screens (callbacks board and staffing, the
knowledge base's helpfulness, search gaps and articles, the charts and the contact
forecast), typed by the wire models in app.schemas. Functions over the browser's
`HubConnection` so that the shell's client stays the one place for sign-in, status and
cases."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import TypeAdapter

from app.api.connection import HubConnection
from app.schemas import Article, Callback
from app.schemas.admin import ArticleIn, CallbackStatusIn, HoursIn, StaffingIn
from app.schemas.callbacks import CallbackStatus
from app.schemas.common import WireModel
from app.schemas.console import (
    ArticleHelpfulness,
    CallbackBoard,
    ChartSeries,
    SearchGap,
    StaffingInterval,
)
from app.schemas.forecast import ContactForecast

HELPFULNESS = TypeAdapter(list[ArticleHelpfulness])
GAPS = TypeAdapter(list[SearchGap])
INTERVALS = TypeAdapter(list[StaffingInterval])
FORECASTS = TypeAdapter(list[ContactForecast])
# The operator scope each chart's route needs.
CHART_SCOPES = {"contacts": "cases", "demand": "callbacks", "helpfulness": "kb"}


def _json(model: WireModel) -> Any:
    return model.model_dump(mode="json", exclude_none=True)


async def board(hub: HubConnection, day: date | None = None) -> CallbackBoard:
    params = {"day": day.isoformat()} if day else None
    response = await hub._request("GET", "/v1/admin/callbacks/board", params=params, auth=True)
    return hub._parse(CallbackBoard, response)


async def staffing(
    hub: HubConnection, queue_id: str, day: date | None = None
) -> list[StaffingInterval]:
    """The agents set per interval (UTC) on `day`, as set (gaps mean nobody)."""
    params = {"day": day.isoformat()} if day else None
    path = f"/v1/admin/queues/{queue_id}/staffing"
    response = await hub._request("GET", path, params=params, auth=True)
    return INTERVALS.validate_json(response.content)


async def hours(hub: HubConnection, queue_id: str) -> HoursIn:
    """The queue's opening hours: weekday -> local [open, close] pairs."""
    response = await hub._request("GET", f"/v1/admin/queues/{queue_id}/hours", auth=True)
    return hub._parse(HoursIn, response)


async def set_staffing(hub: HubConnection, queue_id: str, interval: StaffingIn) -> None:
    path = f"/v1/admin/queues/{queue_id}/staffing"
    await hub._request("PUT", path, json=_json(interval), auth=True)


async def set_hours(hub: HubConnection, queue_id: str, hours: HoursIn) -> None:
    await hub._request("PUT", f"/v1/admin/queues/{queue_id}/hours", json=_json(hours), auth=True)


async def set_callback_status(
    hub: HubConnection, callback_id: str, status: CallbackStatus
) -> Callback:
    path = f"/v1/admin/callbacks/{callback_id}/status"
    body = _json(CallbackStatusIn(status=status))
    return hub._parse(Callback, await hub._request("PUT", path, json=body, auth=True))


async def helpfulness(hub: HubConnection) -> list[ArticleHelpfulness]:
    response = await hub._request("GET", "/v1/admin/kb/helpfulness", auth=True)
    return HELPFULNESS.validate_json(response.content)


async def gaps(hub: HubConnection) -> list[SearchGap]:
    response = await hub._request("GET", "/v1/admin/kb/gaps", auth=True)
    return GAPS.validate_json(response.content)


async def article(hub: HubConnection, locale: str, slug: str) -> Article:
    response = await hub._request("GET", f"/v1/kb/articles/{slug}", params={"locale": locale})
    return hub._parse(Article, response)


async def save_article(hub: HubConnection, locale: str, slug: str, draft: ArticleIn) -> Article:
    path = f"/v1/admin/kb/articles/{locale}/{slug}"
    response = await hub._request("PUT", path, json=_json(draft), auth=True)
    return hub._parse(Article, response)


async def chart(hub: HubConnection, name: str, hours: int = 48) -> ChartSeries:
    params = {"hours": str(hours)}
    response = await hub._request("GET", f"/v1/admin/charts/{name}", params=params, auth=True)
    return hub._parse(ChartSeries, response)


async def forecast(hub: HubConnection, queue: str | None = None) -> list[ContactForecast]:
    """Per queue (or only `queue`): the contacts expected per half hour from local
    midnight today to 24 hours ahead, with what came so far and the staffing advice."""
    params = {"queue": queue} if queue else None
    response = await hub._request("GET", "/v1/admin/forecast", params=params, auth=True)
    return FORECASTS.validate_json(response.content)
