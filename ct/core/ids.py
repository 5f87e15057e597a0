"""Record ids as they arrive in URLs, query strings and forms: one parser for all.

An id is written in ASCII digits, without a leading zero, and fits the database's 32-bit
integers. Anything else — ``00012``, full-width ``１２``, Arabic-Indic ``١٢``, ``12.0``,
a number past the integers — names no record, so it is refused in one place rather than
reaching a query.
"""

from __future__ import annotations

import re

# Ids are 32-bit integers; bigger ones cannot exist (and SQLite refuses 64-bit overflow).
ID_MAX = 2**31 - 1
# The same rule as a regular expression, for the routes' <int:…> converter.
ID_PATTERN = r"[1-9][0-9]{0,9}"
_ID = re.compile(ID_PATTERN)


def parse_id(value) -> int | None:
    """The id written in ``value``, or None when it is empty or cannot be an id."""
    text = "" if value is None else str(value).strip()
    if not _ID.fullmatch(text):
        return None
    number = int(text)
    return number if number <= ID_MAX else None

# An id that cannot name any row: what an unreadable submitted value becomes, so that the
# form or page says "Choose an existing …" (or finds nothing) instead of ignoring it.
INVALID_ID = 0


def submitted_id(value) -> int | None:
    """A submitted id (form field, query string): None when empty, INVALID_ID when it
    cannot be an id."""
    if not str(value if value is not None else "").strip():
        return None
    return parse_id(value) or INVALID_ID
