"""Page views, as a user waits for them, measured with wrk.

A page view is the document plus every request the browser makes for it on load: the
elements with ``hx-get`` and an ``hx-trigger`` that fires on ``load`` (found in the
document, then in the fragments themselves). They are timed together: wrk sends, on each
connection, the requests of one view after the other, and the rate of views is the rate
of requests divided by the requests of a view. wrk is compiled: the client does not take
the server's cores from it as a Python client would.

A search is a view with one request, rotating over several typed prefixes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from bench.http import Session
from bench.load import Result

Request = tuple[str, bool]  # (path, sent by htmx)
FRAGMENT_DEPTH = 3


class _LoadFragments(HTMLParser):
    """The ``hx-get`` URLs of the elements loaded as soon as they are on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        trigger, url = values.get("hx-trigger") or "", values.get("hx-get")
        if url and re.search(r"(^|[\s,])load([\s,]|$)", trigger):
            self.found.append(url)


def load_fragments(html: str) -> list[str]:
    parser = _LoadFragments()
    parser.feed(html)
    return parser.found


def discover(session: Session, document: str, htmx: bool = False) -> list[Request]:
    """The requests of one view of ``document``: the document, then what it loads."""
    requests: list[Request] = [(document, htmx)]
    pending, depth = [document], 0
    while pending and depth <= FRAGMENT_DEPTH:
        found = []
        for path in pending:
            reply = session.get(path, htmx=(path, True) in requests or htmx)
            if reply.status >= 400:
                raise RuntimeError(f"{path}: HTTP {reply.status}")
            for fragment in load_fragments(reply.text):
                if (fragment, True) not in requests:
                    requests.append((fragment, True))
                    found.append(fragment)
        pending, depth = found, depth + 1
    return requests


def answered(session: Session, document: str) -> list[Request]:
    """A view of one request that loads nothing (a JSON answer of the API), checked."""
    reply = session.get(document)
    if reply.status >= 400:
        raise RuntimeError(f"{document}: HTTP {reply.status}")
    return [(document, False)]


def statements(session: Session, requests: list[Request]) -> int | None:
    """SQL statements of one view (ct's X-Query-Count, summed); None if not reported."""
    counts = [session.get(path, htmx=htmx).query_count for path, htmx in requests]
    return None if None in counts else sum(counts)


@dataclass
class ViewLoad:
    """What wrk sends: ``views`` (each a list of requests) in turn, on each connection,
    with the credentials of one user per connection: ``header`` (their session cookie,
    or ``Authorization`` with their API token) set to one of ``credentials``."""

    views: list[list[Request]]
    credentials: list[str]
    header: str = "Cookie"

    @property
    def requests_per_view(self) -> float:
        return sum(len(v) for v in self.views) / len(self.views)


_LUA = """
local sequence = %(sequence)s
local header = %(header)s
local credentials = %(credentials)s
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("number", threads)
end
local next_request = 0
function request()
  next_request = next_request %% #sequence + 1
  local item = sequence[next_request]
  local headers = {[header] = credentials[(number - 1) %% #credentials + 1]}
  if item[2] then headers["HX-Request"] = "true" end
  return wrk.format("GET", item[1], headers)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write("RESULT " .. string.format(
    '{"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p95_us": %%d, '
    .. '"p99_us": %%d, "mean_us": %%.1f}\\n', summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout + e.status, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Lua string for these characters


def lua_script(load: ViewLoad) -> str:
    sequence = [request for view in load.views for request in view]
    items = ", ".join(f"{{{_lua_string(path)}, {'true' if htmx else 'false'}}}"
                      for path, htmx in sequence)
    credentials = ", ".join(_lua_string(c) for c in load.credentials)
    return _LUA % {"sequence": "{" + items + "}", "header": _lua_string(load.header),
                   "credentials": "{" + credentials + "}"}


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def measure(name: str, port: int, load: ViewLoad, concurrency: int, seconds: float,
            warmup: float = 1.0) -> Result:
    """Views per second of ``load`` at ``concurrency`` (one connection, one thread and
    one user each), after a warm-up run; latencies are per request."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(load))
    try:
        if warmup:
            _wrk(port, script.name, concurrency, warmup)
        raw = _wrk(port, script.name, concurrency, seconds)
    finally:
        Path(script.name).unlink(missing_ok=True)
    requests_per_second = raw["requests"] / (raw["duration_us"] / 1e6)
    views_per_second = requests_per_second / load.requests_per_view
    return Result(
        name=name, concurrency=concurrency, requests=raw["requests"],
        rps=round(views_per_second, 1),
        p50_ms=round(raw["p50_us"] / 1000, 1), p95_ms=round(raw["p95_us"] / 1000, 1),
        p99_ms=round(raw["p99_us"] / 1000, 1), errors=raw["errors"],
        extra={"requests_per_view": round(load.requests_per_view, 2),
               "view_ms": round(concurrency * 1000 / views_per_second, 1)
               if views_per_second else None},
    )


def _wrk(port: int, script: str, concurrency: int, seconds: float) -> dict:
    command = ["wrk", "-t", str(concurrency), "-c", str(concurrency),
               "-d", f"{max(1, round(seconds))}s", "--latency", "-s", script,
               f"http://127.0.0.1:{port}"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    return json.loads(line.removeprefix("RESULT "))
