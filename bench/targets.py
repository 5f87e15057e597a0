"""The targets of the benchmark, checked against each result."""

from __future__ import annotations

from bench.load import Result

READ_P95_MS = 50
SEARCH_P95_MS = 20
WRITE_P95_MS = 100
MIN_RATIO = 0.5
MAX_QUERIES = 12  # every page (read, search)
# Saving an exchange with contacts, collaborators, a task, an event and a notification
# writes eight tables, its audit entry and the outbox: a bound of its own, the same as
# tests/test_query_counts.py's.
MAX_WRITE_QUERIES = 21
EXPORT_FIRST_BYTE_MS = 1000
EXPORT_PEAK_MB = 200


def verdict(result: Result, kind: str) -> str:
    """"ok", "missed: …" or "" (no target at this concurrency, or not measured)."""
    if result.missing or result.name == "reference":
        return ""
    missed = []
    bound = MAX_WRITE_QUERIES if kind == "write" else MAX_QUERIES
    if result.queries_per_request is not None and result.queries_per_request > bound:
        missed.append(f"queries > {bound}")
    if kind == "export":
        extra = result.extra
        if extra.get("first_byte_ms", 0) >= EXPORT_FIRST_BYTE_MS:
            missed.append("first byte ≥ 1 s")
        if extra.get("worker_peak_rss_mb", 0) >= EXPORT_PEAK_MB:
            missed.append(f"worker ≥ {EXPORT_PEAK_MB} MB")
    elif kind == "write":
        if result.p95_ms is not None and result.p95_ms > WRITE_P95_MS:
            missed.append(f"p95 > {WRITE_P95_MS} ms")
    elif result.concurrency >= 8:
        limit = SEARCH_P95_MS if kind == "search" else READ_P95_MS
        if result.p95_ms is not None and result.p95_ms > limit:
            missed.append(f"p95 > {limit} ms")
        if kind == "read" and (result.ratio_to_reference or 0) < MIN_RATIO:
            missed.append(f"throughput < {MIN_RATIO:.0%} of reference")
    if result.errors:
        missed.append("errors")
    return "missed: " + ", ".join(missed) if missed else "ok"
