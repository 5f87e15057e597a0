"""What the scenarios need to know about the data: read once from the database."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import psycopg
from sqlalchemy import make_url

from bench.dataset.accounts import BENCH_SLUG, PASSWORD, member_email, small_slug

DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/ct_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
EXPORT_ROWS = 100_000


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)


# The application connects as the role held by row-level security, as in production
# (docs/TENANCY.md): the policy's cost is part of every number. The owner
# (BENCH_DATABASE_URL) migrates and loads.
APP_ROLE = os.environ.get("BENCH_APP_ROLE", "ct_app")


def app_database_url(url: str | None = None) -> str:
    """The owner's URL with the application's role as the user."""
    owner = make_url(url or database_url())
    return owner.set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


# Production (PostgreSQL) refuses to start without a real key; this one is for the bench.
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-secret-key-never-for-production")


def app_environment_urls(url: str | None = None) -> dict[str, str]:
    """DATABASE_URL (the app's role), MIGRATION_DATABASE_URL (the owner) and the key."""
    return {"DATABASE_URL": app_database_url(url),
            "MIGRATION_DATABASE_URL": url or database_url(), "SECRET_KEY": SECRET_KEY}


def redis_url() -> str:
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def libpq_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


@dataclass
class BenchData:
    slug: str
    tenant_id: int
    big_tiers_id: int
    members: list[int]  # membership ids, in login order (member_email 1, 2, …)
    user_ids: list[int]  # their users' ids, in the same order (the bare stack's logins)
    modes: list[int]
    objects: list[int]
    tiers_with_contacts: list[tuple[int, list[int]]]
    export_from: date
    export_rows: int
    today: date = field(default_factory=date.today)

    def pick_tiers(self, rng: random.Random) -> tuple[int, list[int]]:
        return rng.choice(self.tiers_with_contacts)


def user_email(number: int, slug: str = BENCH_SLUG) -> str:
    return member_email(slug, number)


def soak_tenants() -> tuple[str, str]:
    return BENCH_SLUG, small_slug(1)


def load_bench_data(url: str | None = None, slug: str = BENCH_SLUG) -> BenchData:
    with psycopg.connect(libpq_dsn(url or database_url())) as conn:
        row = conn.execute("SELECT id FROM tenants WHERE slug = %s", (slug,)).fetchone()
        if row is None:
            raise SystemExit(f"no tenant {slug!r}: load the data first: python -m bench.data")
        tenant_id = row[0]
        big = conn.execute(
            "SELECT tiers_id FROM exchanges WHERE tenant_id = %s GROUP BY tiers_id "
            "ORDER BY count(*) DESC LIMIT 1", (tenant_id,)).fetchone()
        people = conn.execute(
            "SELECT m.id, u.id FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.tenant_id = %s ORDER BY u.email", (tenant_id,)).fetchall()
        members, user_ids = [r[0] for r in people], [r[1] for r in people]
        choices = conn.execute(
            "SELECT kind, array_agg(id ORDER BY position) FROM choices "
            "WHERE tenant_id = %s GROUP BY kind", (tenant_id,)).fetchall()
        by_kind = dict(choices)
        tiers = conn.execute(
            "SELECT tiers_id, array_agg(id ORDER BY id) FROM contacts "
            "WHERE tenant_id = %s AND tiers_id IS NOT NULL GROUP BY tiers_id "
            "HAVING count(*) >= 2 ORDER BY tiers_id LIMIT 500", (tenant_id,)).fetchall()
        total = conn.execute("SELECT count(*) FROM exchanges WHERE tenant_id = %s",
                             (tenant_id,)).fetchone()[0]
        nth = conn.execute(
            "SELECT occurred_at FROM exchanges WHERE tenant_id = %s "
            "ORDER BY occurred_at DESC, id DESC OFFSET %s LIMIT 1",
            (tenant_id, min(EXPORT_ROWS, total) - 1)).fetchone()
        export_from = nth[0].date() if nth else date.today() - timedelta(days=365)
        export_rows = conn.execute(
            "SELECT count(*) FROM exchanges WHERE tenant_id = %s AND occurred_at >= %s",
            (tenant_id, export_from)).fetchone()[0]
    return BenchData(slug, tenant_id, big[0] if big else 0, members, user_ids,
                     by_kind.get("mode", []),
                     by_kind.get("object", []), [(t, list(c)) for t, c in tiers],
                     export_from, export_rows)


__all__ = ["PASSWORD", "BenchData", "load_bench_data", "user_email", "soak_tenants"]
