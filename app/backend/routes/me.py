"""A customer's own data: download everything, or erase the account."""

from __future__ import annotations

import json

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from app.backend.crud import privacy
from app.backend.deps import CustomerId, HubDep

router = APIRouter(prefix="/v1/me", tags=["privacy"])


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}}}},
)
async def export_my_data(customer_id: CustomerId, hub: HubDep) -> Response:
    """Everything Careline holds about the customer, as a JSON file to keep."""

    def read() -> bytes:
        with hub.db.read() as conn:
            document = privacy.export_customer(conn, customer_id=customer_id)
        return json.dumps(document, ensure_ascii=False, indent=2).encode()

    return Response(
        await run_in_threadpool(read),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="careline-my-data.json"',
            "Cache-Control": "no-store",
        },
    )


@router.delete("", status_code=204, response_class=Response)
async def erase_my_account(customer_id: CustomerId, hub: HubDep) -> Response:
    """Erase the account: sign-ins end, personal data goes, cases stay anonymized."""
    hub.limiter.hit("writes", customer_id, hub.settings.writes_per_customer)

    def erase() -> None:
        with hub.db.write() as conn:
            privacy.erase_customer(conn, customer_id=customer_id)

    await run_in_threadpool(erase)
    return Response(status_code=204)
