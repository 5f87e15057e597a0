"""The invite form works over htmx in the browser: errors in place, success by redirect."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in

pytestmark = pytest.mark.e2e


def test_invite_errors_swap_in_place_then_success_reloads_the_page(page, problems, tenants):
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{tenants.a.slug}/members/")
    members_url = page.url
    # A mark outside the form: it survives a fragment swap, not a page load.
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    kept_heading = page.locator("h1[data-kept='yes']")
    form = page.locator("#invite-form")

    # Chromium logs the deliberate 422 answer as a failed resource; nothing else may show up.
    problems.allow(r"status of 422")
    page.fill("#email", "not-an-email")
    with page.expect_response(re.compile(r"/members/invite$")) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.status == 422
    assert answer.value.request.headers.get("hx-request") == "true"
    assert answer.value.request.headers.get("x-csrftoken")  # inherited from <body>

    email = page.locator("#email")
    expect(form.locator("#email-error")).to_be_visible()
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_have_attribute("aria-describedby", "email-error")
    expect(email).to_have_value("not-an-email")
    expect(email).to_be_focused()  # app.js: the correction can be typed at once
    expect(kept_heading).to_have_count(1)
    assert page.url == members_url
    expect(page.locator(".flash")).to_have_count(0)

    # A valid address: the server answers HX-Redirect and the browser loads the page again.
    page.fill("#email", "nina@alpha.fr")
    with page.expect_navigation(url=members_url), page.expect_response(
        re.compile(r"/members/invite$")
    ) as answer:
        form.locator("button[type=submit]").click()
    assert answer.value.headers.get("hx-redirect") == f"/t/{tenants.a.slug}/members/"
    expect(page.locator(".flash-success")).to_contain_text("nina@alpha.fr")
    expect(kept_heading).to_have_count(0)
    expect(page.locator("main li", has_text="nina@alpha.fr")).to_have_count(1)
    expect(page.locator("#email-error")).to_have_count(0)

    problems.assert_none()
