"""Bulk loading into PostgreSQL the way pg_restore does it: data first, then indexes and
foreign keys.

Every table gets its own connection with one COPY held open for the whole run, so rows
of several tables can be produced together (an exchange and its contacts) and the
server parses one table while Python produces the next rows. Secondary indexes and
foreign keys are dropped before the load and created again after it: building an index
once is far faster than updating it a million times, and adding a foreign key back
checks every row in one pass — so a row pointing to another tenant's record would make
the load fail, not slip through.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime

import psycopg

FLUSH_ROWS = 5000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def cell(value) -> str:
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


class Sink:
    """COPY streams into many tables at once (one connection each)."""

    def __init__(self, dsn: str, columns: dict[str, tuple[str, ...]]):
        self._dsn = dsn
        self._columns = columns
        self._open: dict[str, tuple] = {}
        self._buffers: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: str, row: Iterable) -> None:
        buffer = self._buffers.get(table)
        if buffer is None:
            buffer = self._start(table)
        buffer.append("\t".join(map(cell, row)))
        if len(buffer) >= FLUSH_ROWS:
            self._flush(table)

    def _start(self, table: str) -> list[str]:
        conn = psycopg.connect(self._dsn)
        conn.execute("SET synchronous_commit = off")
        cursor = conn.cursor()
        columns = ", ".join(self._columns[table])
        manager = cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
        self._open[table] = (conn, manager, manager.__enter__())
        self._buffers[table] = []
        self.counts[table] = 0
        return self._buffers[table]

    def _flush(self, table: str) -> None:
        buffer = self._buffers[table]
        if buffer:
            self._open[table][2].write(("\n".join(buffer) + "\n").encode())
            self.counts[table] += len(buffer)
            buffer.clear()

    def close(self) -> None:
        """End every COPY and commit it."""
        for table, (conn, manager, _copy) in self._open.items():
            self._flush(table)
            manager.__exit__(None, None, None)
            conn.commit()
            conn.close()
        self._open.clear()

    def abort(self) -> None:
        for conn, manager, _copy in self._open.values():
            try:
                manager.__exit__(RuntimeError, RuntimeError("load aborted"), None)
            except psycopg.Error:
                pass
            conn.close()
        self._open.clear()


PENDING = "bench_data_pending_ddl"


def prepare(conn: psycopg.Connection, tables: list[str]) -> list[str]:
    """Empty ``tables``, drop their secondary indexes and foreign keys, switch off their
    triggers.

    Returns the statements that create them again, read from the catalog so that an
    index added by a later migration is restored as well. They are saved in a table in
    the same transaction as the drops, so a load interrupted half-way is repaired by
    the next run instead of leaving the database without its indexes.
    """
    names = ", ".join(tables)
    conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    conn.execute(f"CREATE TABLE IF NOT EXISTS {PENDING} (position serial, statement text)")
    foreign_keys = conn.execute(
        """SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
           FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
           WHERE c.contype = 'f' AND n.nspname = current_schema()
             AND c.conrelid::regclass::text = ANY(%s)""",
        (tables,),
    ).fetchall()
    indexes = conn.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
           WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
        (tables,),
    ).fetchall()
    statements = [definition for _name, definition in indexes]
    statements += [
        f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
        for table, name, definition in foreign_keys
    ]
    # The tables' own triggers (flags derived from other tables) would look up rows that
    # another connection is still copying: off during the load, the flags set after it.
    statements += [f"ALTER TABLE {table} ENABLE TRIGGER USER" for table in tables]
    with conn.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {PENDING} (statement) VALUES (%s)",
                           [(s,) for s in statements])
    for table, name, _definition in foreign_keys:
        conn.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    for table in tables:
        conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    conn.commit()
    saved = conn.execute(f"SELECT statement FROM {PENDING} ORDER BY position").fetchall()
    # Indexes before foreign keys, each once (an interrupted run may have saved them too).
    ordered = dict.fromkeys(s for (s,) in saved if not s.startswith("ALTER"))
    ordered |= dict.fromkeys(s for (s,) in saved if s.startswith("ALTER"))
    return list(ordered)


def finish(conn: psycopg.Connection, restore: list[str], tables: list[str], log) -> None:
    """Indexes, foreign keys and triggers back, sequences past the ids used, statistics
    fresh."""
    conn.execute("SET maintenance_work_mem = '1GB'")
    conn.execute("SET max_parallel_maintenance_workers = 2")
    for label, group in (("indexes", [r for r in restore if not r.startswith("ALTER")]),
                         ("foreign keys", [r for r in restore if r.startswith("ALTER")])):
        started = time.monotonic()
        for statement in group:
            conn.execute(statement)
            conn.commit()
        log(f"  {len(group)} {label} rebuilt in {time.monotonic() - started:.0f} s")
    for table in tables:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
    conn.execute(f"DROP TABLE {PENDING}")
    conn.commit()
    conn.autocommit = True
    conn.execute("ANALYZE")
    conn.autocommit = False
