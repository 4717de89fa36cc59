"""Operator API for case files: an agent uploads a file for a reply, and fetches any
case's file; both behind the `cases` scope."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from app.backend.crud import attachments, cases
from app.backend.deps import HubDep, require_scope
from app.backend.routes.cases import attachment_response, read_upload
from app.schemas import Attachment

router = APIRouter(prefix="/v1/admin", tags=["operator"])
CasesScope = Depends(require_scope("cases"))


@router.post(
    "/cases/{case_id}/attachments",
    response_model=Attachment,
    status_code=201,
    dependencies=[CasesScope],
)
async def upload_for_case(case_id: str, file: UploadFile, hub: HubDep) -> Attachment:
    """Upload a file for an agent's reply to this case (the types and size a customer may
    send); put its id in the reply's `attachments`. The customer sees it with the reply."""
    limit = hub.settings.max_attachment_bytes
    data = await read_upload(file, limit)

    def store() -> Attachment:
        with hub.db.write() as conn:
            target = cases.get_case(conn, case_id=case_id)
            return attachments.store_agent_attachment(
                conn,
                case_id=target.id,
                filename=file.filename or "attachment",
                content_type=file.content_type or "application/octet-stream",
                data=data,
                max_bytes=limit,
            )

    return await run_in_threadpool(store)


@router.get("/attachments/{attachment_id}", response_class=Response, dependencies=[CasesScope])
def attachment(attachment_id: str, hub: HubDep) -> Response:
    with hub.db.read() as conn:
        meta, data = attachments.attachment_content(
            conn, attachment_id=attachment_id, customer_id=None
        )
    return attachment_response(meta, data)
