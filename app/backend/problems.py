"""Errors as RFC 9457 problem+json, for every failure a client can cause."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from app.schemas import Problem, ProblemField

PROBLEM_JSON = "application/problem+json"
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
log = logging.getLogger("careline.hub")


class ProblemError(Exception):
    """Raise anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        slug: str | None = None,
        headers: dict[str, str] | None = None,
        errors: list[ProblemField] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.problem = Problem(
            type=f"/problems/{slug}" if slug else "about:blank",
            title=title,
            status=status,
            detail=detail,
            errors=errors,
        )
        self.headers = headers or {}


def not_found(what: str) -> ProblemError:
    return ProblemError(404, "Not found", f"No {what} with that id.", slug="not-found")


def invalid_request(error: ValueError) -> ProblemError:
    """A request the schema let through but a crud rule refused (422, its message)."""
    return ProblemError(422, "Invalid request", str(error), slug="validation")


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _validation_fields(errors: Any) -> list[ProblemField]:
    fields = []
    for error in errors:
        # A JSON key may hold a NUL, which no problem document carries: it shows as U+FFFD.
        loc = [
            part if isinstance(part, int) else str(part).replace("\x00", "\ufffd")
            for part in error.get("loc", ())
        ]
        fields.append(ProblemField(loc=loc, msg=str(error.get("msg", "")), type=error["type"]))
    return fields


def _allowed_methods(request: Request) -> str:
    """Every method the requested path answers to (FastAPI makes one route per method, and
    Starlette's 405 names only the first route's)."""
    routes: list[BaseRoute] = request.app.router.routes
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def _problems_as_served(document: dict[str, Any]) -> None:
    """Error responses (4XX, 5XX) are documented with the media type they are sent with."""
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status[:1] in ("4", "5") and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every failure with a problem document, and say so in the OpenAPI document."""
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        first = app.openapi_schema is None
        document = build_openapi()
        if first:
            _problems_as_served(document)
        return document

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(ProblemError)
    async def on_problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.problem, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        fields = _validation_fields(exc.errors())
        malformed = any(field.type == "json_invalid" for field in fields)
        problem = Problem(
            type="/problems/malformed-json" if malformed else "/problems/validation",
            title="Malformed JSON" if malformed else "Invalid request",
            status=400 if malformed else 422,
            detail="; ".join(f"{'.'.join(map(str, f.loc))}: {f.msg}" for f in fields[:5]),
            errors=fields,
        )
        return problem_response(problem)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {
            404: "Not found",
            405: "Method not allowed",
            400: "Bad request",
            413: "Request too large",
            401: "Sign in required",
        }
        problem = Problem(
            title=titles.get(exc.status_code, "Request failed"),
            status=exc.status_code,
            detail=str(exc.detail) if exc.detail else None,
        )
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem_response(problem, headers)

    @app.exception_handler(Exception)
    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        problem = Problem(title="Internal error", status=500, detail="The hub failed; try again.")
        return problem_response(problem)
