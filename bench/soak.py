"""``make soak``: concurrent clients on two tenants for a while, then four checks.

    python -m bench.soak [--seconds 300] [--clients 32]

Checks (exit status 1 if one fails): no 5xx answer; every acknowledged write is in
the database (rows counted per tenant against the clients' log of acknowledged creates
minus deletes, and the last acknowledged edit of each row is the value stored); no row
visible to the other tenant (a sample of created ids asked for with the other tenant's
sessions answers 404); gunicorn workers' memory grows by at most 10% between minute 1
and the end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from bench.context import (
    PASSWORD,
    app_database_url,
    database_url,
    libpq_dsn,
    load_bench_data,
    redis_url,
    soak_tenants,
    user_email,
)
from bench.http import Session
from bench.server import Gunicorn
from bench.soak_client import KINDS, Log, SoakClient

MAX_GROWTH = 0.10
ADMINS = {"bench": 4}  # the generated admins of each tenant (others have one)


def probe(session: Session, slug: str) -> tuple[set[str], list[str]]:
    """Which record kinds this build can create (a 404 page is reported, not failed)."""
    available, missing = set(), []
    for kind in KINDS:
        if session.get(f"/t/{slug}/{kind}/new").status == 404:
            missing.append(f"create {kind}")
        else:
            available.add(kind)
    if session.get(f"/t/{slug}/search/tiers?q=a", htmx=True).status == 404:
        missing.append("search tiers")
    else:
        available.add("search-tiers")
    return available, missing


def stored(url: str, tenant_id: int, marker: str) -> dict[str, dict[int, str | None]]:
    """Rows the soak created that are in the database: kind -> {id: checked value}."""
    queries = {
        "contacts": "SELECT id, job_title FROM contacts WHERE tenant_id = %s AND last_name = %s",
        "tiers": "SELECT id, town FROM tiers WHERE tenant_id = %s AND name LIKE %s || ' %%'",
        "exchanges": "SELECT id, status FROM exchanges WHERE tenant_id = %s "
                     "AND comment LIKE '[' || %s || ']%%'",
    }
    with psycopg.connect(libpq_dsn(url)) as conn:
        return {kind: dict(conn.execute(sql, (tenant_id, marker)).fetchall())
                for kind, sql in queries.items()}


def check_writes(log: Log, rows: dict, slug: str, available: set[str]) -> list[str]:
    failures = []
    for kind in KINDS:
        if kind not in available:
            continue
        expected = log.acked_creates[kind] - log.acked_deletes[kind]
        found = len(rows[kind])
        slack = log.uncertain[kind]  # writes whose answer was lost may or may not be there
        line = (f"{slug} {kind}: {found} in the database, {log.acked_creates[kind]} created "
                f"- {log.acked_deletes[kind]} deleted acknowledged, {slack} unanswered")
        print("  " + line)
        if not expected - slack <= found <= expected + slack:
            failures.append("acknowledged writes: " + line)
        if log.acked_creates[kind] == 0:
            failures.append(f"no {kind} creation was accepted in {slug}: "
                            "check the form fields in bench/")
    for (kind, record_id), value in log.last_value.items():
        if kind in rows and record_id in rows[kind] and rows[kind][record_id] != value:
            failures.append(f"{slug} {kind} #{record_id}: stored {rows[kind][record_id]!r}, "
                            f"last acknowledged {value!r}")
    return failures


def check_isolation(owner: str, log: Log, stranger: Session, stranger_slug: str) -> list[str]:
    failures, checked = [], 0
    for kind, ids in log.created_ids.items():
        for record_id in ids[:25]:
            paths = (f"/t/{stranger_slug}/{kind}/{record_id}", f"/t/{owner}/{kind}/{record_id}")
            for path in paths:
                checked += 1
                status = stranger.get(path).status
                if status != 404:
                    failures.append(f"{path} answered {status} to a member of {stranger_slug}")
    print(f"  {checked} requests for {owner}'s records by a member of {stranger_slug}: "
          f"{'all 404' if not failures else f'{len(failures)} not 404'}")
    return failures


def run(seconds: float, clients: int) -> int:
    url = database_url()
    slugs = soak_tenants()
    data = {slug: load_bench_data(url, slug) for slug in slugs}
    marker = f"Soak-{int(time.time())}"
    server = Gunicorn(app_database_url(url), redis_url(),
                      Path(tempfile.gettempdir()) / "ct-soak-gunicorn.log")
    server.start()
    failures: list[str] = []
    try:
        sessions = {}
        for number in range(clients):
            slug = slugs[number % 2]
            session = Session("127.0.0.1", server.port)
            session.login(user_email(1 + (number // 2) % ADMINS.get(slug, 1), slug), PASSWORD)
            sessions.setdefault(slug, []).append(session)
        available, missing = probe(sessions[slugs[0]][0], slugs[0])
        print(f"soak: {clients} clients on {', '.join(slugs)} for {seconds:.0f} s; "
              f"marker {marker}; missing pages: {', '.join(missing) or 'none'}", flush=True)
        workers = {slug: [SoakClient(s, data[slug], marker, available, seed=i * 7919 + j)
                          for j, s in enumerate(sessions[slug])]
                   for i, slug in enumerate(slugs)}
        memory = drive(server, [c for cs in workers.values() for c in cs], seconds)
        for slug in slugs:
            log = Log()
            for client in workers[slug]:
                log.merge(client.log)
            other = slugs[1] if slug == slugs[0] else slugs[0]
            print(f"{slug}: {log.requests} requests; answers "
                  + ", ".join(f"{op} {status}×{n}" for (op, status), n in
                              sorted(log.statuses.items(), key=lambda x: str(x[0]))))
            if log.server_errors:
                failures.append(f"{len(log.server_errors)} server errors in {slug}, first: "
                                f"{log.server_errors[:3]}")
            failures += check_writes(log, stored(url, data[slug].tenant_id, marker), slug,
                                     available)
            failures += check_isolation(slug, log, sessions[other][0], other)
        failures += check_memory(memory)
    finally:
        server.stop()
    if failures:
        print("\nSOAK FAILED:\n  " + "\n  ".join(failures), file=sys.stderr)
        print(server.log_tail(), file=sys.stderr)
        return 1
    print("\nsoak passed: no 5xx, every acknowledged write stored, tenants isolated, "
          "memory stable")
    return 0


def drive(server: Gunicorn, clients: list[SoakClient], seconds: float) -> list[tuple]:
    """Run the clients; sample the workers' memory every few seconds."""
    stop = threading.Event()

    def loop(client: SoakClient) -> None:
        while not stop.is_set():
            client.step()

    threads = [threading.Thread(target=loop, args=(c,), daemon=True) for c in clients]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    samples = [(0.0, server.rss_mb())]
    every = max(0.5, min(5.0, seconds / 20))
    while (elapsed := time.monotonic() - started) < seconds:
        time.sleep(min(every, seconds - elapsed))
        samples.append((time.monotonic() - started, server.rss_mb()))
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    return samples


def check_memory(samples: list[tuple]) -> list[str]:
    """Growth between minute 1 (or a fifth of a short run) and the end, per worker."""
    total = samples[-1][0]
    baseline_at = min(60.0, total / 5)
    base = next(rss for at, rss in samples if at >= baseline_at)
    end = samples[-1][1]
    failures = []
    if set(base) != set(end):
        failures.append(f"workers changed during the soak: {sorted(base)} -> {sorted(end)}")
    for pid in set(base) & set(end):
        growth = (end[pid] - base[pid]) / base[pid]
        print(f"  worker {pid}: {base[pid]:.1f} MB at {baseline_at:.0f} s -> "
              f"{end[pid]:.1f} MB at the end ({growth:+.1%})")
        if growth > MAX_GROWTH:
            failures.append(f"worker {pid} memory grew {growth:.1%} (limit {MAX_GROWTH:.0%})")
    return failures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("SOAK_SECONDS", "300")))
    parser.add_argument("--clients", type=int, default=int(os.environ.get("SOAK_CLIENTS", "32")))
    args = parser.parse_args(argv)
    return run(args.seconds, args.clients)


if __name__ == "__main__":
    sys.exit(main())
