"""A small HTTP client for the benchmark: one keep-alive connection per simulated user,
its own cookies, and timings of the first byte and of the whole body."""

from __future__ import annotations

import html
import http.client
import re
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

_CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CSRF_HEADER = re.compile(r'X-CSRFToken&#34;: &#34;([^&]+)&#34;|"X-CSRFToken": "([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    first_byte: float  # seconds from sending to the status line
    elapsed: float  # seconds from sending to the last byte

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def query_count(self) -> int | None:
        raw = self.headers.get("x-query-count")
        return int(raw) if raw and raw.isdigit() else None


class Session:
    """A browser-like user: cookies kept, no redirect followed, connection reused."""

    def __init__(self, host: str, port: int, timeout: float = 60):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None
        self.number = 0  # which generated member this session logged in as
        self.headers: dict[str, str] = {}  # sent with every request (an API token)
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def request(self, method: str, path: str, form=None, headers=None,
                read_chunk: int | None = None, on_chunk=None) -> Reply:
        sent = {**self.headers, **(headers or {})}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            if self.csrf:
                sent.setdefault("X-CSRFToken", self.csrf)
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connection()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=sent)
                response = conn.getresponse()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.close()
                if attempt == 2:
                    raise
                continue
            break
        first_byte = time.perf_counter() - started
        if read_chunk:
            parts = []
            while chunk := response.read(read_chunk):
                parts.append(chunk)
                if on_chunk:
                    on_chunk(chunk)
            data = b"".join(parts)
        else:
            data = response.read()
        elapsed = time.perf_counter() - started
        got = {k.lower(): v for k, v in response.getheaders()}
        for raw in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if response.will_close:
            self.close()
        return Reply(response.status, got, data, first_byte, elapsed)

    def get(self, path: str, htmx: bool = False, **kwargs) -> Reply:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.request("GET", path, headers=headers, **kwargs)

    def post(self, path: str, form, htmx: bool = False) -> Reply:
        headers = {"HX-Request": "true"} if htmx else {}
        return self.request("POST", path, form=form, headers=headers)

    def use_token(self, token: str) -> None:
        """Authenticate every request with a personal API token (no cookie needed)."""
        self.headers["Authorization"] = f"Bearer {token}"

    def login(self, email: str, password: str) -> None:
        page = self.get("/login")
        token = csrf_token(page.text)
        reply = self.post("/login", {"email": email, "password": password, "csrf_token": token})
        if reply.status not in (302, 303):
            raise RuntimeError(f"login of {email} failed: HTTP {reply.status}")
        home = self.get(reply.headers["location"])
        self.csrf = csrf_token(home.text) or token


def csrf_token(page: str) -> str | None:
    found = _CSRF_INPUT.search(page)
    if found:
        return html.unescape(found.group(1))
    found = _CSRF_HEADER.search(page)
    return html.unescape(found.group(1) or found.group(2)) if found else None


def next_page_link(page: str) -> str | None:
    """The first link of the page that carries a keyset cursor (the "Next page" link)."""
    for href in re.findall(r'href="([^"]+)"', page):
        href = html.unescape(href)
        if "cursor=" in href:
            return href
    return None
