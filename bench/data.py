"""Make sure the benchmark database holds the data of ``--scale``: create the database
if needed, migrate it, and load the data unless the same amount is already there.

    python -m bench.data [--scale 1.0] [--seed 42] [--reload]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import psycopg
from psycopg import sql

from bench.context import app_environment_urls, database_url, libpq_dsn
from bench.dataset import bench_size
from bench.dataset.accounts import BENCH_SLUG
from bench.server import ROOT


def ensure_database(url: str) -> None:
    info = psycopg.conninfo.conninfo_to_dict(libpq_dsn(url))
    name = info["dbname"]
    admin = psycopg.conninfo.make_conninfo(libpq_dsn(url), dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def generated_exchanges(url: str, expected: int) -> int:
    """The generated exchanges of the large company. It is generated first, so they are
    ids 1…N; exchanges created by later runs (benchmark, soak) come after and do not
    count."""
    with psycopg.connect(libpq_dsn(url)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM exchanges e JOIN tenants t ON t.id = e.tenant_id "
            "WHERE t.slug = %s AND e.id <= %s", (BENCH_SLUG, expected)).fetchone()
        total = conn.execute("SELECT count(*) FROM exchanges WHERE id <= %s",
                             (expected,)).fetchone()
        return row[0] if row[0] == total[0] else -1


def run_in_app(url: str, *command: str) -> None:
    # As in production: the owner migrates (and grants the app's role), the owner loads.
    env = dict(os.environ, **app_environment_urls(url))
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def flask(url: str, *args: str) -> None:
    run_in_app(url, os.path.join(os.path.dirname(sys.executable), "flask"), "--app", "app", *args)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--reload", action="store_true")
    args = parser.parse_args(argv)
    url = database_url()
    ensure_database(url)
    flask(url, "db", "upgrade")
    expected = bench_size(args.scale).exchanges
    if not args.reload and generated_exchanges(url, expected) == expected:
        print(f"benchmark data already loaded ({expected:,} exchanges in '{BENCH_SLUG}')")
        return 0
    started = time.monotonic()
    run_in_app(url, sys.executable, "-m", "bench.dataset", "--scale", str(args.scale),
               "--seed", str(args.seed), "--yes")
    print(f"data load: {time.monotonic() - started:.0f} s (scale {args.scale})")
    vacuum(url)
    return 0


def vacuum(url: str) -> None:
    """What autovacuum does to a server's tables soon after a bulk load: without the
    visibility map, every index-only scan (history tabs, counts) reads the table too,
    and the benchmark would measure a database no server keeps for long."""
    started = time.monotonic()
    with psycopg.connect(libpq_dsn(url), autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    print(f"vacuum: {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    sys.exit(main())
