"""Files of a case thread for a served app: the browser opens the one-time address its
window was given (`app.state.attachments.FileTickets`), and this server fetches the file
for that browser's device, with the device's hub token, which never leaves the server.
The answer is always a download under the file's stored type."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from app.schemas.files import download_headers
from app.state.attachments import FILES_PATH, FileTickets, FileUnavailable, file_bytes


def files_router(tickets: FileTickets) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(FILES_PATH + "{key}")
    async def download(key: str) -> Response:
        ticket = tickets.redeem(key)
        if ticket is None:
            return problem(404, "This download link has expired; open the file again.")
        try:
            data = await file_bytes(ticket.runtime, ticket.file)
        except FileUnavailable as error:
            if error.code == "file_offline":
                answer = problem(503, "The file cannot be fetched now; try again shortly.")
                answer.headers["Retry-After"] = "30"
                return answer
            return problem(404, "This file is not available.")
        file = ticket.file
        return Response(data, media_type=file.content_type, headers=download_headers(file.filename))

    return router


def problem(status: int, detail: str) -> JSONResponse:
    body = {"type": "about:blank", "title": "File", "status": status, "detail": detail}
    return JSONResponse(body, status_code=status, media_type="application/problem+json")
