"""Realistic benchmark data, fast: ``python -m bench.dataset [--scale 1.0] [--seed 42]``.

One large company ("bench": 50,000 tiers, 200,000 contacts, 1,000,000 exchanges, one
tiers with 5,000 of them, 100,000 agenda events, 20 members) and 99 small ones, with
French names. The same seed and day give the same rows.

The rows go straight into the tables with PostgreSQL COPY (see sink.py), with ids
assigned here and the sequences moved past them afterwards. Bypassing the ORM means
writing what it would: the generator fills the defaults and the derived columns with
the functions the models' ``before_insert`` events call (ct.core.text.fold, company_key,
search_blob), and tables.py refuses to run if a required column is not generated.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg

from ct.demo.names import COMPANY_WORDS, LAST_NAMES
from ct.models.exchange import LINKS_ELSEWHERE

from . import accounts, activity, records, sink
from .tables import COLUMNS, TABLES, check_columns


@dataclass(frozen=True)
class Size:
    tiers: int
    contacts: int
    exchanges: int
    big_tiers_exchanges: int
    events: int
    documents: int
    projects: int


def bench_size(scale: float) -> Size:
    def n(full: int, floor: int) -> int:
        return max(floor, round(full * scale))

    tiers, exchanges = n(50_000, 20), n(1_000_000, 200)
    # The big tiers stays the biggest on tiny data too (three times the average).
    big = max(n(5_000, 20), 3 * exchanges // tiers)
    return Size(tiers=tiers, contacts=n(200_000, 40), exchanges=exchanges,
                big_tiers_exchanges=big, events=n(100_000, 20),
                documents=n(30_000, 10), projects=n(1_000, 3))


def small_size(scale: float) -> Size:
    def n(full: int, floor: int) -> int:
        return max(floor, round(full * scale))

    return Size(tiers=n(60, 3), contacts=n(200, 5), exchanges=n(500, 10),
                big_tiers_exchanges=n(20, 2), events=n(50, 2), documents=n(20, 2),
                projects=n(5, 1))


class Ids:
    """The next id of every table (the sequences are set past them at the end)."""

    def __init__(self):
        self._last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        self._last[table] += 1
        return self._last[table]


class Generator:
    def __init__(self, out: sink.Sink, seed: int, today: date):
        self.sink = out
        self.ids = Ids()
        self.rng = random.Random(seed)
        self.now = datetime(today.year, today.month, today.day, 12, tzinfo=UTC)

    def past(self, max_days: int) -> datetime:
        return self.now - timedelta(seconds=self.rng.randrange(max_days * 86400))


def fill(gen: Generator, slug: str, name: str, size: Size, members: int, admins: int) -> int:
    tenant_id, lists = accounts.add_tenant(gen, slug, name, members, admins, gen.past(3300))
    state = records.TenantState(tenant_id, lists)
    records.add_tiers(gen, state, size.tiers)
    records.add_contacts(gen, state, size.contacts)
    records.add_products(gen, state)
    records.add_documents(gen, state, size.documents)
    records.add_projects(gen, state, size.projects)
    linked_events = activity.add_exchanges(gen, state, size.exchanges, size.big_tiers_exchanges)
    activity.add_agenda(gen, state, max(0, size.events - linked_events))
    return tenant_id


def _produce(out: sink.Sink, seed: int, today: date, scale: float, log, started: float) -> None:
    gen = Generator(out, seed, today)
    fill(gen, accounts.BENCH_SLUG, accounts.BENCH_NAME, bench_size(scale),
         accounts.BENCH_MEMBERS, accounts.BENCH_ADMINS)
    log(f"{time.monotonic() - started:6.1f}s  large company produced")
    small = small_size(scale)
    for number in range(1, accounts.SMALL_TENANTS + 1):
        name = f"{gen.rng.choice(COMPANY_WORDS)} {gen.rng.choice(LAST_NAMES)}"
        fill(gen, accounts.small_slug(number), name, small, accounts.SMALL_MEMBERS, 1)


def generate(dsn: str, metadata, scale: float = 1.0, seed: int = 42, today: date | None = None,
             log=print) -> dict[str, int]:
    """Replace every tenant's data in the database at ``dsn``; returns rows per table."""
    check_columns(metadata)
    started = time.monotonic()
    with psycopg.connect(dsn) as conn:
        restore = sink.prepare(conn, TABLES)
        log(f"emptied {len(TABLES)} tables; {len(restore)} indexes and foreign keys set aside")
        out = sink.Sink(dsn, COLUMNS)
        try:
            _produce(out, seed, today or date.today(), scale, log, started)
            out.close()
        except BaseException:
            # Leave an empty database with its whole schema, not half a load without it.
            out.abort()
            conn.rollback()
            conn.execute(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE")
            sink.finish(conn, restore, TABLES, log)
            raise
        conn.execute(LINKS_ELSEWHERE)  # what the triggers, off during the load, would set
        log(f"{time.monotonic() - started:6.1f}s  rows copied; indexes and foreign keys next")
        sink.finish(conn, restore, TABLES, log)
    log(f"{time.monotonic() - started:6.1f}s  done (ANALYZE included)")
    return dict(out.counts)
