"""Operator API for the console's Knowledge and Charts screens: how helpful each article
is, what customers searched for in vain, hourly series for the charts, and the contact
forecast with its staffing advice (each behind the scope of what it counts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import Connection

from app.backend.crud import charts, forecast, helpfulness, search_gaps
from app.backend.deps import HubDep, require_scope
from app.backend.hub import Hub
from app.schemas.console import ArticleHelpfulness, ChartSeries, SearchGap
from app.schemas.forecast import ContactForecast

router = APIRouter(prefix="/v1/admin", tags=["operator"])
KbScope = Depends(require_scope("kb"))
LocaleQuery = Annotated[
    str | None, Query(max_length=35, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
]
Limit = Annotated[int, Query(ge=1, le=500)]
# Up to a month of hours on one chart.
Hours = Annotated[int, Query(ge=1, le=24 * 31)]


@router.get("/kb/helpfulness", response_model=list[ArticleHelpfulness], dependencies=[KbScope])
def article_helpfulness(
    hub: HubDep, locale: LocaleQuery = None, limit: Limit = 50
) -> list[ArticleHelpfulness]:
    """Articles with votes, the largest share of "No" first, then the most votes; with
    what customers wrote alongside a "No", newest first."""
    with hub.db.read() as conn:
        return helpfulness.helpfulness(conn, locale=locale, limit=limit)


@router.get("/kb/gaps", response_model=list[SearchGap], dependencies=[KbScope])
def search_gap_list(hub: HubDep, locale: LocaleQuery = None, limit: Limit = 50) -> list[SearchGap]:
    """Searches in the help centre that found nothing, the most counted first. Devices
    count them and send only the sums: nothing here says who searched."""
    with hub.db.read() as conn:
        return search_gaps.list_gaps(conn, locale=locale, limit=limit)


def _chart(
    hub: Hub, hours: int, build: Callable[[Connection, list[datetime]], ChartSeries]
) -> ChartSeries:
    with hub.db.read() as conn:
        return build(conn, charts.hours_until(hours))


@router.get(
    "/charts/contacts",
    response_model=ChartSeries,
    dependencies=[Depends(require_scope("cases"))],
)
def contacts_chart(hub: HubDep, hours: Hours = 48) -> ChartSeries:
    """Per UTC hour: cases opened (`opened:<channel>`) and customers' replies on cases
    (`replies:<channel>`), the last `hours` hours, the current one last."""
    return _chart(hub, hours, charts.contacts)


@router.get(
    "/charts/demand",
    response_model=ChartSeries,
    dependencies=[Depends(require_scope("callbacks"))],
)
def demand_chart(hub: HubDep, hours: Hours = 48) -> ChartSeries:
    """Per UTC hour: callbacks requested (`requested`) against the calls the agents on
    duty can take in the slots starting then (`capacity`)."""
    return _chart(hub, hours, charts.demand)


@router.get(
    "/charts/helpfulness",
    response_model=ChartSeries,
    dependencies=[KbScope],
)
def helpfulness_chart(hub: HubDep, hours: Hours = 48) -> ChartSeries:
    """Per UTC hour: `helpful` and `unhelpful` votes on articles."""
    return _chart(hub, hours, charts.helpfulness)


@router.get(
    "/forecast",
    response_model=list[ContactForecast],
    dependencies=[Depends(require_scope("callbacks"))],
)
def contact_forecast(
    hub: HubDep, queue: Annotated[str | None, Query(max_length=100)] = None
) -> list[ContactForecast]:
    """Per queue (or only `queue`): contacts expected per half hour from local midnight
    today to 24 hours ahead, beside those that came so far, and the agents planned beside
    those Erlang C needs for the hub's target (CARELINE_FORECAST_TARGET_SHARE of callbacks
    within CARELINE_FORECAST_TARGET_MINUTES)."""
    target = forecast.Target.from_settings(hub.settings)
    with hub.db.read() as conn:
        return [
            forecast.queue_forecast(conn, queue_id=queue_id, target=target)
            for queue_id in forecast.queue_ids(conn, queue)
        ]
