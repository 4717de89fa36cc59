"""The row steps every crud module takes: the one row a query names or a 404, a
customer's own row named by server id or client ref, and a change that makes a row's
next version."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, CursorResult, Row, Select, Table, select, update

from app.backend.crud.rejections import MutationRejected
from app.backend.problems import not_found
from app.backend.util import dumps, format_time, now


def translations_json(translations: Mapping[str, BaseModel]) -> str:
    """A `translations` column's text: per locale the fields translated (no empty ones)."""
    return dumps({k: v.model_dump(mode="json", exclude_none=True) for k, v in translations.items()})


def one_or_404(conn: Connection, query: Select[Any], *, what: str) -> Row[Any]:
    """The first row `query` selects; a 404 that names `what` when there is none."""
    row = conn.execute(query).first()
    if row is None:
        raise not_found(what)
    return row


def own_row(
    conn: Connection, table: Table, *, customer_id: str, ref: str, missing: str
) -> Row[Any]:
    """This customer's row in `table` by server id or by the ref the client gave it
    offline (the newest, should both match), locked until the transaction ends so
    concurrent changes to it queue up (PostgreSQL row lock). A mutation that names
    none is rejected with `missing`."""
    row = conn.execute(
        select(table)
        .where(
            table.c.customer_id == customer_id,
            (table.c.id == ref) | (table.c.client_ref == ref),
        )
        .order_by(table.c.created_at.desc())
        .with_for_update()
    ).first()
    if row is None:
        raise MutationRejected("not_found", missing)
    return row


def next_version(
    conn: Connection, table: Table, *, row_id: str, values: dict[str, Any], at: str | None = None
) -> CursorResult[Any]:
    """Write `values` to the row as its next version, stamped `at` (default: now)."""
    return conn.execute(
        update(table)
        .where(table.c.id == row_id)
        .values(**values, version=table.c.version + 1, updated_at=at or format_time(now()))
    )
