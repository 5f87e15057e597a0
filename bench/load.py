"""The load generator: threads, each a logged-in user on its own keep-alive connection,
sending one request after the other for a fixed time (closed loop)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from bench.http import Reply, Session

# (session, request number) -> reply; the scenario decides what to send.
Action = Callable[[Session, int], Reply]


@dataclass
class Result:
    name: str
    concurrency: int
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    errors: int = 0
    queries_per_request: float | None = None
    ratio_to_bare: float | None = None
    bare_rps: float | None = None  # the bare stack's rate the ratio is taken against
    requests: int = 0
    missing: bool = False
    note: str = ""
    target: str = ""
    extra: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return asdict(self)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(fraction * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def drive(name: str, sessions: list[Session], action: Action, concurrency: int,
          seconds: float, warmup: float = 1.0,
          ok: Callable[[Reply], bool] = lambda r: r.status < 400) -> Result:
    """Run ``action`` from ``concurrency`` threads for ``seconds`` after a warm-up."""
    if len(sessions) < concurrency:
        raise ValueError(f"{concurrency} threads need as many sessions, got {len(sessions)}")
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    queries: list[list[int]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    notes: list[str] = []
    counter = iter(range(10**9))
    lock = threading.Lock()
    measuring = threading.Event()
    stop = threading.Event()

    def worker(slot: int) -> None:
        session = sessions[slot]
        while not stop.is_set():
            with lock:
                number = next(counter)
            try:
                reply = action(session, number)
            except Exception as exc:  # a refused connection or a timeout is an error
                if measuring.is_set():
                    errors[slot] += 1
                    notes.append(f"{type(exc).__name__}: {exc}")
                session.close()
                continue
            if not measuring.is_set():
                continue
            latencies[slot].append(reply.elapsed)
            if reply.query_count is not None:
                queries[slot].append(reply.query_count)
            if not ok(reply):
                errors[slot] += 1
                if len(notes) < 3:
                    notes.append(f"HTTP {reply.status}: {reply.text[:200]!r}")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True)
               for i in range(concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(warmup)
    measuring.set()
    started = time.perf_counter()
    time.sleep(seconds)
    measuring.clear()
    wall = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    every = sorted(v for per in latencies for v in per)
    counts = [q for per in queries for q in per]
    return Result(
        name=name, concurrency=concurrency, requests=len(every),
        rps=round(len(every) / wall, 1),
        p50_ms=round(percentile(every, 0.50) * 1000, 1),
        p95_ms=round(percentile(every, 0.95) * 1000, 1),
        p99_ms=round(percentile(every, 0.99) * 1000, 1),
        errors=sum(errors),
        queries_per_request=round(sum(counts) / len(counts), 1) if counts else None,
        note="; ".join(dict.fromkeys(notes))[:300],
    )
