"""``make bench``: every scenario at concurrency 1 and 8 against gunicorn, side by side
with the reference page; prints a table and writes bench/results/<date>.json.

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

from bench.context import PASSWORD, app_database_url, load_bench_data, redis_url, user_email
from bench.export import measure_export
from bench.http import Session
from bench.load import Result, drive
from bench.scenarios import build, export_url
from bench.server import Gunicorn
from bench.targets import verdict

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
                        help="comma-separated parts of scenario names (the reference always runs;"
                             " 'export' selects the CSV export)")
    return parser.parse_args(argv)


def log_in(server: Gunicorn, count: int) -> list[Session]:
    sessions = []
    for number in range(1, count + 1):
        session = Session("127.0.0.1", server.port)
        session.login(user_email(number), PASSWORD)
        session.number = number
        sessions.append(session)
    return sessions


def run_scenarios(args, server: Gunicorn, data) -> list[Result]:
    levels = [int(c) for c in args.concurrency.split(",")]
    sessions = log_in(server, max(levels))
    results: list[Result] = []
    wanted = [part.strip() for part in args.only.split(",") if part.strip()]
    scenarios = build(data, sessions[0])
    reference = scenarios[0]

    def reference_rps(level: int) -> float | None:
        """The reference's rate measured again beside a scenario: the machine's speed
        drifts during a run (the reference's own rate moved by 15 % between two runs of
        one evening, from 66 to 220 req/s within one run), and a ratio should compare
        two measurements of the same minute. Called right before and right after it."""
        return drive(reference.name, sessions, reference.action, level,
                     max(1.0, args.seconds / 4), warmup=min(1.0, args.seconds / 5),
                     ok=reference.ok).rps

    for scenario in scenarios:
        if wanted and scenario.name != "reference" and not any(w in scenario.name for w in wanted):
            continue
        probe = sessions[0].get(scenario.probe, htmx=scenario.htmx_probe)
        if probe.status == 404:
            for level in levels:
                results.append(Result(scenario.name, level, missing=True,
                                      note="404: page not merged yet"))
            print(f"  {scenario.name}: missing (404)", flush=True)
            continue
        for level in levels:
            before = reference_rps(level) if scenario is not reference else None
            result = drive(scenario.name, sessions, scenario.action, level, args.seconds,
                           warmup=min(1.0, args.seconds / 5), ok=scenario.ok)
            after = reference_rps(level) if scenario is not reference else None
            result.reference_rps = result.rps if scenario is reference else mean_rps(
                before, after)
            if result.reference_rps and result.rps is not None:
                result.ratio_to_reference = round(result.rps / result.reference_rps, 2)
            result.target = verdict(result, scenario.kind)
            results.append(result)
            print(f"  {scenario.name} ×{level}: {result.rps} req/s, p95 {result.p95_ms} ms,"
                  f" {result.errors} errors", flush=True)
    if not wanted or "export" in wanted:
        export = measure_export(sessions[0], export_url(data), server,
                                1 if args.smoke else args.export_runs)
        export.target = verdict(export, "export")
        results.append(export)
    for session in sessions:
        session.close()
    return results


def table(results: list[Result]) -> str:
    header = (f"{'scenario':28} {'c':>2} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} "
              f"{'err':>4} {'SQL/req':>7} {'ref/s':>7} {'×ref':>5}  target")
    lines = [header, "-" * len(header)]
    for r in results:
        if r.missing:
            lines.append(f"{r.name:28} {r.concurrency:>2}   MISSING ({r.note})")
            continue

        def num(v, width=7):
            return f"{v:>{width}}" if v is not None else f"{'-':>{width}}"
        lines.append(f"{r.name:28} {r.concurrency:>2} {num(r.rps)} {num(r.p50_ms)} "
                     f"{num(r.p95_ms)} {num(r.p99_ms)} {r.errors:>4} "
                     f"{num(r.queries_per_request)} {num(r.reference_rps)} "
                     f"{num(r.ratio_to_reference, 5)}  {r.target}")
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
    log_path = Path(tempfile.gettempdir()) / "ct-bench-gunicorn.log"
    server = Gunicorn(app_database_url(), redis_url(), log_path)
    server.start()
    try:
        results = run_scenarios(args, server, data)
        memory = server.rss_mb()
    finally:
        server.stop()
    print()
    print(table(results))
    print(f"\nworkers' memory at the end: {', '.join(f'{v:.0f} MB' for v in memory.values())};"
          f" load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    out = args.out or (RESULTS / "smoke" if args.smoke else RESULTS)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{date.today().isoformat()}.json"
    path.write_text(json.dumps([r.as_json() for r in results], indent=2, ensure_ascii=False))
    print(f"results written to {path}")
    failed = [r for r in results if r.errors or (r.name == "reference" and r.missing)]
    if failed:
        print("errors in: " + ", ".join(sorted({r.name for r in failed})), file=sys.stderr)
        if args.smoke:
            print(server.log_tail(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
