"""Keyset pagination: page N costs the same as page 1, whatever the table's size.

A page is asked for with an opaque cursor holding the sort values of the last row
seen; the next page is ``WHERE (sort, id) > (last_sort, last_id)`` on an index that
starts with the tenant, instead of an OFFSET scan.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, tuple_

from ct.extensions import db


@dataclass
class Page:
    items: list
    next_cursor: str | None
    has_previous: bool


def _encode(values: list) -> str:
    def plain(v):
        if isinstance(v, datetime | date):
            return {"dt": v.isoformat()}
        if isinstance(v, Decimal):
            return {"dec": str(v)}
        return v

    raw = json.dumps([plain(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


_BAD = object()


def _plain(v):
    """One JSON value of a cursor back to Python, or _BAD."""
    if isinstance(v, dict) and "dt" in v:
        try:
            return datetime.fromisoformat(v["dt"])
        except (TypeError, ValueError):
            return _BAD
    if isinstance(v, dict) and "dec" in v:
        try:
            return Decimal(v["dec"])
        except (ArithmeticError, TypeError, ValueError):
            return _BAD
    if v is None or isinstance(v, str | int | float | bool):
        return v
    return _BAD


def _typed(column, value):
    """``value`` as the column's Python type, or _BAD: a cursor edited by hand must not
    reach the database as a string compared with a date (an error on PostgreSQL)."""
    # A TypeDecorator (UTCDateTime) answers "object": the type it wraps knows better.
    sql_type = getattr(column.type, "impl_instance", None) or column.type
    try:
        expected = sql_type.python_type
    except (AttributeError, NotImplementedError):
        return value
    if value is None or (isinstance(value, bool) and expected is not bool):
        return _BAD
    if isinstance(value, int) and abs(value) >= 2**63:  # no database column holds it
        return _BAD
    if expected is date and isinstance(value, datetime):
        return value.date()
    if expected is Decimal and isinstance(value, int):
        return Decimal(value)
    if expected is datetime and isinstance(value, datetime):
        if getattr(sql_type, "timezone", False) and value.tzinfo is None:
            return _BAD
    return value if isinstance(value, expected) else _BAD


def _decode(cursor: str, order: list) -> list | None:
    """The values of a cursor, or None if it was tampered with (then: first page)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(order):
        return None
    out: list[Any] = []
    for column, v in zip(order, values, strict=True):
        value = _typed(column, _plain(v))
        if value is _BAD:
            return None
        out.append(value)
    return out


def cursor_clause(order: list, cursor: str | None, descending: bool = False):
    """The WHERE clause that starts a page after ``cursor``, or None (first page, or a
    cursor that was tampered with). For queries that build their page in parts."""
    after = _decode(cursor, order) if cursor else None
    return _after(order, after, descending) if after is not None else None


def keyset_page(query: Select, order: list, cursor: str | None, per_page: int = 25,
                descending: bool = False, whole_rows: bool = False) -> Page:
    """One page of ``query`` sorted by the columns in ``order`` (the last one unique,
    usually the id). The sort columns must not be NULL: sort on a coalesced column.
    The items are the first column of each row, or the rows (``whole_rows``; the sort
    columns follow the query's own)."""
    after = _decode(cursor, order) if cursor else None
    if after is not None:
        query = query.where(_after(order, after, descending))
    sort = [c.desc() for c in order] if descending else list(order)
    rows = db.session.execute(query.add_columns(*order).order_by(*sort).limit(per_page + 1)).all()
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    width = len(order)
    items = rows if whole_rows else [row[0] for row in rows]
    next_cursor = _encode(list(rows[-1][-width:])) if has_more and rows else None
    return Page(items=items, next_cursor=next_cursor, has_previous=after is not None)


def _after(order: list, values: list, descending: bool):
    """(a, b, id) > (va, vb, vid) as a row comparison, which PostgreSQL and SQLite turn
    into an index range that starts at the cursor; the first column's own bound helps
    when the sort columns span two tables (no single index holds them all)."""
    # The cursor's values are bound with their columns' types (UTC times stay UTC).
    row, cursor = tuple_(*order), tuple_(*values, types=[column.type for column in order])
    if descending:
        return and_(order[0] <= values[0], row < cursor)
    return and_(order[0] >= values[0], row > cursor)
