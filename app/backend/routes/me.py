"""A customer's own data (download everything, or erase the account) and sign-ins
(list them, end one, or sign out everywhere else)."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Response
from starlette.concurrency import run_in_threadpool

from app.backend.crud import privacy, sessions
from app.backend.deps import CustomerId, HubDep, TokenDep
from app.schemas.sessions import SignInList, SignInsEnded

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


@router.get("/sessions", response_model=SignInList, tags=["auth"])
def my_sessions(customer_id: CustomerId, info: TokenDep, hub: HubDep) -> SignInList:
    """The customer's live sign-ins, most recently used first; `current` marks this one."""
    with hub.db.read() as conn:
        found = sessions.list_sessions(
            conn, customer_id=customer_id, current_id=info.token_id, settings=hub.settings
        )
    return SignInList(items=found)


@router.delete("/sessions/{session_id}", status_code=204, response_class=Response, tags=["auth"])
def end_my_session(
    session_id: Annotated[str, Path(max_length=40)], customer_id: CustomerId, hub: HubDep
) -> Response:
    """Sign one of the customer's sessions out (this one too, like signing out)."""
    hub.limiter.hit("writes", customer_id, hub.settings.writes_per_customer)
    with hub.db.write() as conn:
        sessions.end_session(
            conn, customer_id=customer_id, session_id=session_id, settings=hub.settings
        )
    return Response(status_code=204)


@router.delete("/sessions", response_model=SignInsEnded, tags=["auth"])
def end_my_other_sessions(customer_id: CustomerId, info: TokenDep, hub: HubDep) -> SignInsEnded:
    """Sign out everywhere else: every session of the customer but the one asking ends
    (`DELETE /v1/me/sessions/{id}` with its own id ends this one)."""
    hub.limiter.hit("writes", customer_id, hub.settings.writes_per_customer)
    with hub.db.write() as conn:
        ended = sessions.end_other_sessions(
            conn, customer_id=customer_id, keep_id=info.token_id, settings=hub.settings
        )
    return SignInsEnded(ended=ended)
