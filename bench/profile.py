"""``make profile PAGE=/t/bench/tiers/``: where the time of one page view goes.

The app runs in this process on the bench database, as the application's role (row-level
security on), logged in as the bench company's first member. The page view (the document
and the fragments it loads, as ``make bench`` finds them) is requested a few times to
warm up, then ``--views`` times under cProfile. Printed: the time of a view, its SQL
statements with the time of each, and the functions that took the most time.

    python -m bench.profile /t/bench/tiers/ [--views 50] [--htmx] [--sort cumulative]
                                            [--no-profiler] [--explain]

With ``--api`` the path is one of the REST API's (``/api/v1/exchanges/?limit=50``), sent
with a personal API token of the same member, issued for the run and deleted after it.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections import defaultdict

from sqlalchemy import event

from bench.api_tokens import bench_tokens
from bench.context import PASSWORD, app_database_url, load_bench_data, user_email
from bench.context import SECRET_KEY as BENCH_SECRET_KEY
from bench.pageviews import load_fragments


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page", help="the document's path, e.g. /t/bench/tiers/")
    parser.add_argument("--views", type=int, default=50)
    parser.add_argument("--htmx", action="store_true", help="the document is a fragment")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--no-profiler", action="store_true",
                        help="time the views without cProfile (its own cost left out)")
    parser.add_argument("--api", action="store_true",
                        help="a REST API path, sent with the member's API token")
    parser.add_argument("--explain", action="store_true",
                        help="then print the plan of the view's slowest statement "
                             "(EXPLAIN ANALYZE, in the request's own transaction)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    if not args.api:
        return profile(args, {})
    data = load_bench_data()
    with bench_tokens(data.tenant_id, data.members[:1]) as tokens:
        return profile(args, {"Authorization": f"Bearer {tokens[0]}"})


def profile(args, sent: dict[str, str]) -> int:
    """Profile ``args.page`` as member 1, with ``sent`` headers on every request."""
    from ct import create_app
    from ct.config import Config, _database_url
    from ct.extensions import db

    class ProfileConfig(Config):
        SQLALCHEMY_DATABASE_URI = _database_url(app_database_url())
        SECRET_KEY = BENCH_SECRET_KEY
        REDIS_URL = None  # jobs inline, limits in memory: nothing else is measured
        RATELIMIT_ENABLED = False
        BENCH_ROUTES = True
        MAIL_SUPPRESS_SEND = True
        EMBEDDED_CLOCK = False

    app = create_app(ProfileConfig)
    client = app.test_client()
    login = client.get("/login")
    token = login.text.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    client.post("/login", data={"email": user_email(1), "password": PASSWORD,
                                "csrf_token": token})

    def headers(htmx: bool) -> dict[str, str]:
        return {**sent, "HX-Request": "true"} if htmx else sent

    def view() -> list[tuple[str, int]]:
        pending, seen = [(args.page, args.htmx)], []
        while pending:
            path, htmx = pending.pop(0)
            reply = client.get(path, headers=headers(htmx))
            seen.append((path, reply.status_code))
            pending += [(f, True) for f in load_fragments(reply.text)
                        if f not in {p for p, _ in seen}]
        return seen

    statements: dict[str, list[float]] = defaultdict(list)
    started_at: list[float] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        started_at.append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        statements[" ".join(statement.split())[:150]].append(
            time.perf_counter() - started_at.pop())

    for _ in range(5):
        requests = view()
    fragments = {path for path, _status in requests[1:]}

    def replay() -> None:
        """The view found above, without reading the HTML again (not the app's time)."""
        for path, _status in requests:
            htmx = args.htmx if path == args.page else path in fragments
            client.get(path, headers=headers(htmx))

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        event.listen(db.engine, "after_cursor_execute", after)
    profiler = cProfile.Profile()
    times = []
    if not args.no_profiler:
        profiler.enable()
    for _ in range(args.views):
        began = time.perf_counter()
        replay()
        times.append((time.perf_counter() - began) * 1000)
    profiler.disable()
    times.sort()
    print(f"{args.page}: {len(requests)} requests a view "
          f"({', '.join(f'{p} {s}' for p, s in requests)})")
    under = "without the profiler" if args.no_profiler else "under the profiler (its own cost)"
    print(f"{times[len(times) // 2]:.1f} ms a view (median of {args.views}), {under}\n")
    total_sql = sum(sum(times) for times in statements.values()) / args.views * 1000
    count = sum(len(times) for times in statements.values()) / args.views
    print(f"SQL: {count:.1f} statements, {total_sql:.1f} ms a view")
    for statement, times in sorted(statements.items(), key=lambda i: -sum(i[1])):
        print(f"  {len(times) / args.views:4.1f}× {sum(times) / len(times) * 1000:6.2f} ms  "
              f"{statement}")
    if not args.no_profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
        print(out.getvalue())
    if args.explain:
        slowest = max(statements, key=lambda s: sum(statements[s]) / len(statements[s]))
        print(f"Plan of: {slowest}\n{explained(app, replay, slowest)}")
    return 0


def explained(app, replay, wanted: str) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the statement starting with ``wanted``, run right
    after it on the same connection: same tenant setting, same parameters."""
    from ct.extensions import db

    plans: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if not plans and " ".join(statement.split())[:150] == wanted:
            with cursor.connection.cursor() as plan:
                plan.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                plans.append("\n".join(row[0] for row in plan.fetchall()))

    with app.app_context():
        event.listen(db.engine, "after_cursor_execute", explain)
    replay()
    return plans[0] if plans else "(not seen again)"


if __name__ == "__main__":
    sys.exit(main())
