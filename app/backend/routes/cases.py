"""A customer's cases and attachments (changes to cases go through /v1/sync/push)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, UploadFile
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from app.backend.crud import attachments, cases
from app.backend.deps import CustomerId, HubDep
from app.backend.problems import ProblemError
from app.schemas import Attachment, Case, Page
from app.schemas.files import download_headers, size_text

router = APIRouter(prefix="/v1", tags=["cases"])


# A page of cases: the cursor (a case number) and how many.
CaseCursor = Annotated[int | None, Query(ge=0, le=2**63 - 1)]
CaseLimit = Annotated[int, Query(ge=1, le=100)]


def case_page(items: list[Case], before: int | None) -> Page[Case]:
    """A page of cases and the cursor of the next (`before`; None after the last)."""
    return Page[Case](items=items, next_cursor=str(before) if before is not None else None)


@router.get("/cases", response_model=Page[Case])
def my_cases(
    customer_id: CustomerId,
    hub: HubDep,
    cursor: CaseCursor = None,
    limit: CaseLimit = 20,
) -> Page[Case]:
    with hub.db.read() as conn:
        items, before = cases.list_cases(conn, customer_id=customer_id, before=cursor, limit=limit)
    return case_page(items, before)


@router.get("/cases/{case_id}", response_model=Case)
def my_case(case_id: str, customer_id: CustomerId, hub: HubDep) -> Case:
    with hub.db.read() as conn:
        return cases.get_case(conn, case_id=case_id, customer_id=customer_id)


async def read_upload(file: UploadFile, limit: int) -> bytes:
    """The uploaded file's bytes; a 413 past `limit`, without reading further."""
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ProblemError(
            413,
            "Attachment too large",
            f"Attachments are limited to {size_text(limit)}.",
            slug="too-large",
        )
    return data


@router.post("/attachments", response_model=Attachment, status_code=201)
async def upload(
    file: UploadFile,
    customer_id: CustomerId,
    hub: HubDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=100,
            description="The client's key for this file: sending it again returns the "
            "attachment the first upload made.",
        ),
    ] = None,
) -> Attachment:
    """Upload a file (PNG, JPEG, GIF, WebP, PDF or plain text); use its id in `case.open`
    or `case.reply`. A customer's files share a storage quota (a 413 `quota-exceeded`
    once full); uploads never attached to a case are removed after a day."""
    hub.limiter.hit("writes", customer_id, hub.settings.writes_per_customer)
    limit = hub.settings.max_attachment_bytes
    data = await read_upload(file, limit)

    def store() -> Attachment:
        try:
            with hub.db.write() as conn:
                return attachments.store_attachment(
                    conn,
                    customer_id=customer_id,
                    filename=file.filename or "attachment",
                    content_type=file.content_type or "application/octet-stream",
                    data=data,
                    max_bytes=limit,
                    quota=hub.settings.storage_per_customer,
                    client_ref=idempotency_key,
                )
        except IntegrityError:
            # The same key raced in from another request: answer with its attachment.
            if idempotency_key is None:
                raise
            with hub.db.read() as conn:
                found = attachments.attachment_by_ref(
                    conn, customer_id=customer_id, client_ref=idempotency_key
                )
            if found is None:
                raise
            return found

    return await run_in_threadpool(store)


@router.get(
    "/attachments/{attachment_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download(attachment_id: str, customer_id: CustomerId, hub: HubDep) -> Response:
    with hub.db.read() as conn:
        meta, data = attachments.attachment_content(
            conn, attachment_id=attachment_id, customer_id=customer_id
        )
    return attachment_response(meta, data)


def attachment_response(meta: Attachment, data: bytes) -> Response:
    """Always a download, never rendered or sniffed by the browser."""
    return Response(data, media_type=meta.content_type, headers=download_headers(meta.filename))
