"""What the journeys share: logging in as a user of the `tenants` fixture."""

import re
from pathlib import Path

from playwright.sync_api import expect

PASSWORD = "correct horse battery"  # the password of the `tenants` fixture's users


def log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/t/[\w-]+/$"))
    # The shortcuts and the buttons work once htmx and app.js have run (deferred scripts).
    page.wait_for_load_state("load")


def log_in_reading(page, email: str, lang: str) -> None:
    """Log in, then read the pages in ``lang``: the `tenants` fixture's users read French;
    for English the language switch is pressed, as a user would."""
    log_in(page, email)
    if lang == "en":
        with page.expect_navigation():
            page.locator(".language-switch button").click()
        page.wait_for_load_state("load")
    expect(page.locator("html")).to_have_attribute("lang", lang)


# Screenshots for a person to look at after a run; the repository does not keep them
# (the README's pictures go through the `screenshot` fixture, into docs/screenshots).
REVIEW_SHOTS = Path(__file__).resolve().parent / "artifacts" / "screenshots"


def review_shot(page, name: str, full_page: bool = False) -> None:
    """The caret is kept (Playwright hides it by default): hiding it leaves style="" on
    fields, which htmx copies into swapped content and the strict CSP then reports."""
    REVIEW_SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(REVIEW_SHOTS / name), full_page=full_page,
                    animations="disabled", caret="initial")


def api_tiers(page, app, tenants, name: str) -> tuple[dict, int]:
    """A third party of company A made through the API with its administrator's token:
    the request headers to go on with, and the new third party's id."""
    from tests.api_support import issue_token

    token = issue_token(app, tenants.a.id, tenants.a.admin_membership_id)
    auth = {"Authorization": f"Bearer {token}"}
    made = page.request.post("/api/v1/tiers/", data={"name": name}, headers=auth)
    assert made.status == 201, made.text()
    return auth, made.json()["id"]
