"""Real Chromium against a live ct server.

The session ``app`` is served by a threaded werkzeug server on a free local port, so
the browser and the test share one database (PostgreSQL or the SQLite file). Every
test gets a fresh browser context; everything the browser complains about (console
errors, uncaught exceptions, Content-Security-Policy violations, 5xx answers) is
collected so a journey can prove the strict CSP holds with htmx and app.js.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "docs" / "screenshots"
SCREENSHOT_MAX_BYTES = 200_000
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}
# Short waits: the server is local, a missing element should fail fast, not in 30 s.
TIMEOUT_MS = 5_000

# Reports CSP violations to the test even when Chromium logs nothing for them.
# Init scripts are injected by the browser itself, so the page's CSP does not apply.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.ctReportViolation(
    `CSP ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || event.documentURI}:${event.lineNumber})`
  );
});
"""


@pytest.fixture(scope="session")
def live_server(app):
    """The base URL of the app served in a background thread for the whole run."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="ct-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: the end-to-end journeys run in real Chromium. "
            "Install Debian's package (apt-get install chromium); "
            "do not use `playwright install`.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def csrf_enabled(app):
    """The browser goes through the real CSRF protection, like in production."""
    previous = app.config["WTF_CSRF_ENABLED"]
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = previous


class BrowserProblems:
    """What the browser complained about during a journey; tests assert it stays empty."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._allowed: list[re.Pattern] = []

    def allow(self, pattern: str) -> None:
        """Accept an expected complaint, e.g. the console line of a deliberate 422."""
        self._allowed.append(re.compile(pattern))

    def add(self, text: str) -> None:
        if not any(p.search(text) for p in self._allowed):
            self.items.append(text)

    def assert_none(self) -> None:
        assert self.items == [], "the browser reported:\n" + "\n".join(self.items)


@pytest.fixture
def browser_locale() -> str:
    """The browser's language; override with ``@pytest.mark.parametrize("browser_locale", …)``."""
    return "fr-FR"


@pytest.fixture
def problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def page(browser, live_server, csrf_enabled, browser_locale, problems):
    context = browser.new_context(
        base_url=live_server,
        locale=browser_locale,
        timezone_id="Europe/Paris",
        viewport=DESKTOP,
        color_scheme="light",  # screenshots do not depend on the machine's theme
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_function("ctReportViolation", problems.add)
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.on("console", lambda msg: msg.type == "error" and problems.add(f"console: {msg.text}"))
    page.on("pageerror", lambda error: problems.add(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: response.status >= 500
        and problems.add(f"HTTP {response.status} {response.request.method} {response.url}"),
    )
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """Save what the page shows for the docs; small files only, the repository keeps them."""

    def take(name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        # The caret is kept (Playwright hides it by default): hiding it leaves style="" on
        # fields, which htmx copies into swapped content and the strict CSP then reports.
        page.screenshot(path=str(path), animations="disabled", caret="initial")
        size = path.stat().st_size
        assert size < SCREENSHOT_MAX_BYTES, f"{name} weighs {size} bytes"
        return path

    return take
