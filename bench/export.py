"""The CSV export: time to the first byte, total time, and the worker's peak memory."""

from __future__ import annotations

import statistics
import threading

from bench.http import Session
from bench.load import Result
from bench.server import Gunicorn

SAMPLE_EVERY = 0.01  # seconds between two /proc reads


def measure_export(session: Session, url: str, server: Gunicorn, runs: int) -> Result:
    first_bytes, totals, sizes, rows, peaks, befores = [], [], [], [], [], []
    errors, queries, notes = 0, None, ""
    for _ in range(runs):
        before = server.rss_mb()
        peak = dict(before)
        stop = threading.Event()

        def sample(peak=peak, stop=stop):
            while not stop.is_set():
                for pid, mb in server.rss_mb().items():
                    peak[pid] = max(peak.get(pid, 0.0), mb)
                stop.wait(SAMPLE_EVERY)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            reply = session.get(url, read_chunk=1 << 16)
        finally:
            stop.set()
            sampler.join()
        if reply.status == 404:
            return Result(name="CSV export", concurrency=1, missing=True,
                          note="404: page not merged yet")
        if reply.status != 200:
            errors += 1
            notes = f"HTTP {reply.status}: {reply.text[:200]!r}"
            continue
        queries = reply.query_count
        first_bytes.append(reply.first_byte * 1000)
        totals.append(reply.elapsed * 1000)
        sizes.append(len(reply.body))
        rows.append(max(0, reply.body.count(b"\n") - 1))
        # The worker that served it is the one whose memory moved the most.
        pid = max(peak, key=lambda p: peak[p] - before.get(p, 0.0))
        peaks.append(peak[pid])
        befores.append(before.get(pid, 0.0))
    result = Result(name="CSV export", concurrency=1, requests=len(totals), errors=errors,
                    queries_per_request=queries, note=notes)
    if totals:
        totals_sorted = sorted(totals)
        result.p50_ms = round(statistics.median(totals_sorted), 1)
        result.p95_ms = result.p99_ms = round(totals_sorted[-1], 1)
        result.rps = round(1000 / statistics.mean(totals), 2)
        result.extra = {
            "first_byte_ms": round(max(first_bytes), 1),
            "total_ms": round(max(totals), 1),
            "bytes": max(sizes),
            "rows": max(rows),
            "worker_rss_before_mb": round(max(befores), 1),
            "worker_peak_rss_mb": round(max(peaks), 1),
        }
    return result
