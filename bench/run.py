"""``make bench``: every page view at concurrency 1 and 8 against gunicorn, each beside
the bare stack (bench/bare); prints a table and writes bench/results/<date>.json.

    python -m bench.run [--seconds 10] [--concurrency 1,8] [--smoke]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

from bench import pageviews
from bench.api_tokens import bench_tokens
from bench.context import PASSWORD, app_database_url, load_bench_data, redis_url, user_email
from bench.export import measure_export
from bench.http import Session
from bench.load import Result, drive
from bench.pageviews import ViewLoad
from bench.scenarios import build, export_url
from bench.server import Gunicorn
from bench.targets import verdict
from bench.views import build_views

BARE_APP = "bench.bare:app"
BARE_PAGE = "/tiers"

RESULTS = Path(__file__).resolve().parent / "results"


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float,
                        default=float(os.environ.get("BENCH_SECONDS", "10")))
    parser.add_argument("--concurrency", default=os.environ.get("BENCH_CONCURRENCY", "1,8"))
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--smoke", action="store_true",
                        help="a quick run that fails on any error (CI)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--only", default="",
                        help="comma-separated parts of page view names (the reference always "
                             "runs; 'create' and 'export' select the writes and the CSV export)")
    return parser.parse_args(argv)


def log_in(server: Gunicorn, count: int) -> list[Session]:
    sessions = []
    for number in range(1, count + 1):
        session = Session("127.0.0.1", server.port)
        session.login(user_email(number), PASSWORD)
        session.number = number
        sessions.append(session)
    return sessions


def cookie_header(session: Session) -> str:
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def bare_cookies(bare: Gunicorn, user_ids: list[int]) -> list[str]:
    """The bare stack's sessions of the same users (it logs in without a password)."""
    cookies = []
    for user_id in user_ids:
        session = Session("127.0.0.1", bare.port)
        reply = session.get(f"/login/{user_id}")
        if reply.status != 302:
            raise RuntimeError(f"bare stack login of user {user_id}: HTTP {reply.status}")
        cookies.append(cookie_header(session))
        session.close()
    return cookies


def token_sessions(server: Gunicorn, tokens: list[str]) -> list[Session]:
    """A cookie-free client of the API per token."""
    sessions = []
    for token in tokens:
        session = Session("127.0.0.1", server.port)
        session.use_token(token)
        sessions.append(session)
    return sessions


def levels_of(args) -> list[int]:
    return [int(c) for c in args.concurrency.split(",")]


def run_views(args, ct: Gunicorn, bare: Gunicorn, data, tokens: list[str]) -> list[Result]:
    """Every page view at each concurrency, the bare stack measured right before and
    right after it (the machine's speed drifts within a run: a ratio compares two
    measurements of the same minute). ``tokens``: the API tokens of the members who log
    in, in the same order."""
    levels = levels_of(args)
    sessions = log_in(ct, max(levels))
    cookies = [cookie_header(s) for s in sessions]
    api = token_sessions(ct, tokens)
    bearers = [session.headers["Authorization"] for session in api]
    bare_load = ViewLoad([[(BARE_PAGE, False)]], bare_cookies(bare, data.user_ids[:max(levels)]))
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    warmup = 0 if args.smoke else min(1.0, args.seconds / 5)
    results: list[Result] = []

    def bare_rps(level: int) -> float | None:
        return pageviews.measure("bare stack", bare.port, bare_load, level,
                                 max(1.0, args.seconds / 4), warmup=warmup).rps

    for view in build_views(data, sessions[0], api[0]):
        if wanted and view.kind != "reference" and not any(w in view.name for w in wanted):
            continue
        client = api[0] if view.token else sessions[0]
        try:
            requests = [pageviews.answered(client, doc) if view.token
                        else pageviews.discover(client, doc, view.htmx)
                        for doc in view.documents]
        except RuntimeError as error:
            results.extend(Result(view.name, level, missing=True, note=str(error))
                           for level in levels)
            print(f"  {view.name}: missing ({error})", flush=True)
            continue
        statements = pageviews.statements(client, requests[0])
        for level in levels:
            load = (ViewLoad(requests, bearers[:level], "Authorization") if view.token
                    else ViewLoad(requests, cookies[:level]))
            before = bare_rps(level)
            result = pageviews.measure(view.name, ct.port, load, level, args.seconds,
                                       warmup=warmup)
            after = bare_rps(level)
            result.queries_per_request = statements
            result.bare_rps = mean_rps(before, after)
            if result.bare_rps and result.rps is not None:
                result.ratio_to_bare = round(result.rps / result.bare_rps, 2)
            result.target = verdict(result, view.kind)
            results.append(result)
            print(f"  {view.name} ×{level}: {result.rps} views/s "
                  f"({result.extra['requests_per_view']} requests), bare {result.bare_rps},"
                  f" ×{result.ratio_to_bare}, {statements} SQL, {result.errors} errors",
                  flush=True)
    if not wanted or "create" in wanted:
        results.extend(run_writes(args, sessions, data, levels, warmup))
    if not wanted or "export" in wanted:
        export = measure_export(sessions[0], export_url(data), ct,
                                1 if args.smoke else args.export_runs)
        export.target = verdict(export, "export")
        results.append(export)
    for session in sessions + api:
        session.close()
    return results


def run_writes(args, sessions: list[Session], data, levels: list[int],
               warmup: float) -> list[Result]:
    """Saving an exchange: logic per request (a new form each time), so the Python client."""
    create = next(s for s in build(data, sessions[0]) if s.kind == "write")
    results = []
    for level in levels:
        result = drive(create.name, sessions, create.action, level, args.seconds,
                       warmup=warmup, ok=create.ok)
        result.target = verdict(result, "write")
        results.append(result)
        print(f"  {create.name} ×{level}: {result.rps} req/s, p95 {result.p95_ms} ms",
              flush=True)
    return results


def table(results: list[Result]) -> str:
    header = (f"{'page view':28} {'c':>2} {'views/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
              f"{'err':>4} {'SQL':>7} {'bare/s':>7} {'×bare':>5}  target")
    lines = [header, "-" * len(header)]
    for r in results:
        if r.missing:
            lines.append(f"{r.name:28} {r.concurrency:>2}   MISSING ({r.note})")
            continue

        def num(v, width=7):
            return f"{v:>{width}}" if v is not None else f"{'-':>{width}}"
        lines.append(f"{r.name:28} {r.concurrency:>2} {num(r.rps)} {num(r.p50_ms)} "
                     f"{num(r.p95_ms)} {num(r.p99_ms)} {r.errors:>4} "
                     f"{num(r.queries_per_request)} {num(r.bare_rps)} "
                     f"{num(r.ratio_to_bare, 5)}  {r.target}")
        if r.extra:
            lines.append("    " + ", ".join(f"{k}={v}" for k, v in r.extra.items()))
        if r.note and r.errors:
            lines.append(f"    {r.note}")
    return "\n".join(lines)


def mean_rps(*rates: float | None) -> float | None:
    """The mean of the rates measured (None when none was)."""
    measured = [rate for rate in rates if rate is not None]
    return round(sum(measured) / len(measured), 1) if measured else None


def main(argv=None) -> int:
    args = parse(argv)
    data = load_bench_data()
    print(f"{platform.node()}: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}; big tiers #{data.big_tiers_id},"
          f" export of {data.export_rows:,} exchanges", flush=True)
    if not pageviews.wrk_available():
        raise SystemExit("wrk is needed to measure page views: apt-get install wrk")
    logs = Path(tempfile.gettempdir())
    server = Gunicorn(app_database_url(), redis_url(), logs / "ct-bench-gunicorn.log")
    bare = Gunicorn(app_database_url(), redis_url(), logs / "ct-bench-bare.log", app=BARE_APP)
    server.start()
    bare.start()
    try:
        with bench_tokens(data.tenant_id, data.members[:max(levels_of(args))]) as tokens:
            results = run_views(args, server, bare, data, tokens)
        memory = server.rss_mb()
    finally:
        server.stop()
        bare.stop()
    print()
    print(table(results))
    print(f"\nworkers' memory at the end: {', '.join(f'{v:.0f} MB' for v in memory.values())};"
          f" load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    out = args.out or (RESULTS / "smoke" if args.smoke else RESULTS)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{date.today().isoformat()}.json"
    path.write_text(json.dumps([r.as_json() for r in results], indent=2, ensure_ascii=False))
    print(f"results written to {path}")
    # A page not merged yet is MISSING; the reference and the API (its token) must answer.
    failed = [r for r in results
              if r.errors or (r.missing and r.name.startswith(("reference", "API ")))]
    if failed:
        print("errors in: " + ", ".join(sorted({r.name for r in failed})), file=sys.stderr)
        if args.smoke:
            print(server.log_tail(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
