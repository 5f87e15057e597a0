"""The SQL statements a block of a test sends: the one way the tests count them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from ct.extensions import db


@contextmanager
def counting_queries(app) -> Iterator[list[str]]:
    """The statements sent to the app's database while the block runs, in order (on
    PostgreSQL the tenant's set_config included, when one is sent)."""
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
