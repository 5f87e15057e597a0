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


def _decode(cursor: str, sample: list) -> list | None:
    """The values of a cursor, or None if it was tampered with (then: first page)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(sample):
        return None
    out: list[Any] = []
    for v in values:
        if isinstance(v, dict) and "dt" in v:
            try:
                out.append(datetime.fromisoformat(v["dt"]))
            except (TypeError, ValueError):
                return None
        elif isinstance(v, dict) and "dec" in v:
            try:
                out.append(Decimal(v["dec"]))
            except (ArithmeticError, TypeError, ValueError):
                return None
        elif v is None or isinstance(v, str | int | float | bool):
            out.append(v)
        else:
            return None
    out = [_as_column_value(v, column) for v, column in zip(out, sample, strict=True)]
    return None if any(v is _UNFIT for v in out) else out


_UNFIT = object()


def _as_column_value(value, column):
    """``value`` ready to be compared with ``column``, or _UNFIT. A forged cursor (a word
    for a date, a naive time for a UTC column, a number beyond 64 bits) must give the
    first page, not a database error."""
    kind = getattr(column.type, "impl_instance", column.type)
    try:
        expected = kind.python_type
    except NotImplementedError:
        return value
    if value is None or expected is object:
        return value
    if expected is datetime:
        aware = bool(getattr(kind, "timezone", False))
        fits = isinstance(value, datetime) and (value.tzinfo is not None) == aware
        return value if fits else _UNFIT
    if expected is date:
        # Dates travel as ISO strings and come back as datetimes at midnight.
        return value.date() if isinstance(value, datetime) else _UNFIT
    if expected is int:
        fits = isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63
        return value if fits else _UNFIT
    if expected is str:
        return value if isinstance(value, str) else _UNFIT
    if expected is bool:
        return value if isinstance(value, bool) else _UNFIT
    if expected in (float, Decimal):
        return value if isinstance(value, int | float | Decimal) else _UNFIT
    return value


def keyset_page(query: Select, order: list, cursor: str | None, per_page: int = 25,
                descending: bool = False) -> Page:
    """One page of ``query`` sorted by the columns in ``order`` (the last one unique,
    usually the id). The sort columns must not be NULL: sort on a coalesced column."""
    after = _decode(cursor, order) if cursor else None
    if after is not None:
        query = query.where(_after(order, after, descending))
    sort = [c.desc() for c in order] if descending else list(order)
    rows = db.session.execute(query.add_columns(*order).order_by(*sort).limit(per_page + 1)).all()
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    width = len(order)
    items = [row[0] for row in rows]
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
