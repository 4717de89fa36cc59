"""A customer's change the hub refuses, with the reason and the next step."""

from __future__ import annotations

from typing import Any

from app.schemas import Rejection


class MutationRejected(Exception):
    """Raised by a crud function when a mutation cannot be applied as asked; its
    `rejection` is what the customer's device is told. `code` is a
    `app.schemas.sync.RejectionCode` (the app words each; tests/backend/test_rejection_codes.py
    finds any other), `params` the specifics its words fill in. (The client's
    `app.api.Rejected` is another thing: a request the hub answered with a 4xx.)"""

    def __init__(
        self,
        code: str,
        detail: str,
        alternatives: list[dict[str, Any]] | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.rejection = Rejection(
            code=code, detail=detail, alternatives=alternatives, params=params or {}
        )
