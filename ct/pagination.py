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

from sqlalchemy import Select, and_, or_

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
    return out


def keyset_page(query: Select, order: list, cursor: str | None, per_page: int = 25,
                descending: bool = False) -> Page:
    """One page of ``query`` sorted by the columns in ``order`` (the last one unique,
    usually the id). The sort columns must not be NULL: sort on a coalesced column."""
    after = _typed(_decode(cursor, order), order) if cursor else None
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


def _typed(values: list | None, order: list) -> list | None:
    """The cursor's values if each has the type of its sort column, else None (first page).

    A cursor is user input: a well-formed one holding a string where the id is expected
    must give the first page, not a database error."""
    if values is None:
        return None
    typed = []
    for value, column in zip(values, order, strict=True):
        sql_type = getattr(column.type, "impl", column.type)  # through TypeDecorators
        try:
            expected = sql_type.python_type
        except NotImplementedError:
            expected = object  # an expression of unknown type: let the database compare
        value = _as_type(value, expected, sql_type)
        if value is None:
            return None
        typed.append(value)
    return typed


def _as_type(value, expected: type, sql_type):
    if value is None or isinstance(value, bool) != (expected is bool):
        return None  # sort columns are never NULL, and True is not an int here
    if expected is int:
        return value if isinstance(value, int) and -(2**63) <= value < 2**63 else None
    if expected in (float, Decimal):
        return value if isinstance(value, int | float | Decimal) else None
    if expected is datetime:
        aware = getattr(sql_type, "timezone", False)
        fits = isinstance(value, datetime) and (value.tzinfo is not None) == bool(aware)
        return value if fits else None
    if expected is date:
        return value.date() if isinstance(value, datetime) else None
    if expected is object:
        return value
    return value if isinstance(value, expected) else None


def _after(order: list, values: list, descending: bool):
    """(a, b, id) > (va, vb, vid), spelled out so every database understands it."""
    clauses = []
    for i, column in enumerate(order):
        equal_before = [order[j] == values[j] for j in range(i)]
        beyond = column < values[i] if descending else column > values[i]
        clauses.append(and_(*equal_before, beyond))
    # Redundant but decisive: a plain bound on the first column lets the index scan start
    # at the cursor instead of filtering every row before it.
    first = order[0] <= values[0] if descending else order[0] >= values[0]
    return and_(first, or_(*clauses))
