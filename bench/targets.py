"""The targets of the benchmark, checked against each result.

Page views are compared with the bare stack (bench/bare) at concurrency 1, measured right
before and right after each of them: what a page costs beyond Flask itself."""

from __future__ import annotations

from bench.load import Result

# The least rate of a page view, as a share of the bare stack's, by kind of page.
# The REST API's lists render no HTML: held to the pages' ratio all the same.
MIN_RATIO = {"read": 0.5, "key": 0.75, "search": 0.8, "reference": 0.85, "api": 0.5}
MAX_VIEW_QUERIES = 8  # SQL statements of a page view (document and load fragments)
WRITE_P95_MS = 100
# Saving an exchange with contacts, collaborators, a task, an event and a notification
# writes eight tables, its audit entry and the outbox: a bound of its own, the same as
# tests/test_query_counts.py's.
MAX_WRITE_QUERIES = 21
EXPORT_FIRST_BYTE_MS = 1000
EXPORT_PEAK_MB = 200


def verdict(result: Result, kind: str) -> str:
    """"ok", "missed: …" or "" (no target at this concurrency, or not measured)."""
    if result.missing:
        return ""
    missed = []
    if kind == "export":
        extra = result.extra
        if extra.get("first_byte_ms", 0) >= EXPORT_FIRST_BYTE_MS:
            missed.append("first byte ≥ 1 s")
        if extra.get("worker_peak_rss_mb", 0) >= EXPORT_PEAK_MB:
            missed.append(f"worker ≥ {EXPORT_PEAK_MB} MB")
    elif kind == "write":
        if result.queries_per_request is not None and result.queries_per_request > \
                MAX_WRITE_QUERIES:
            missed.append(f"queries > {MAX_WRITE_QUERIES}")
        if result.concurrency == 1 and (result.p95_ms or 0) > WRITE_P95_MS:
            missed.append(f"p95 > {WRITE_P95_MS} ms")
    else:
        if result.queries_per_request is not None and result.queries_per_request > \
                MAX_VIEW_QUERIES:
            missed.append(f"SQL > {MAX_VIEW_QUERIES} a view")
        least = MIN_RATIO.get(kind, MIN_RATIO["read"])
        if result.concurrency == 1 and (result.ratio_to_bare or 0) < least:
            missed.append(f"< {least}× bare")
    if result.errors:
        missed.append("errors")
    return "missed: " + ", ".join(missed) if missed else "ok"
