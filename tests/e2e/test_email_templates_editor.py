"""The email templates editor in Chromium: the preview follows the typing, the HTML email
shows in its sandboxed frame, and the strict CSP holds (no violation reported)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"


def test_the_preview_follows_the_typing_and_the_html_frame_obeys_the_csp(page, problems,
                                                                          tenants):
    page.goto("/login")
    page.fill("#email", tenants.a.admin_email)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/t/[\w-]+/$"))

    page.goto(f"/t/{tenants.a.slug}/email-templates/CONTACTRACKING_MAILINFO/en")
    expect(page.locator("#preview-subject")).to_have_text("Exchange with Dupont SARL: Quote")
    frame = page.frame_locator("#html-preview")
    expect(frame.locator("a.button")).to_have_text("See the exchange")

    # Typing: after a pause the pane shows the new subject, rendered with sample data.
    with page.expect_response(re.compile(r"/preview$")) as answer:
        page.fill("#subject", "Heads up: {{ tiers }} ({{ status }})")
    assert answer.value.request.headers.get("x-csrftoken")
    expect(page.locator("#preview-subject")).to_have_text("Heads up: Dupont SARL (In progress)")

    page.fill("#subject", "Heads up: {{ secret }}")
    expect(page.locator("#preview")).to_contain_text("Unknown placeholder: {{ secret }}")

    # The HTML being typed, shown in the sandboxed frame without saving.
    page.fill("#subject", "Heads up: {{ tiers }}")
    page.fill("#body_html", "<h2 style=\"color: #c00\">Look: {{ comment }}</h2>")
    page.locator("#show-html").click()
    expect(frame.locator("h2")).to_contain_text("Look: Asked for a quote")
    expect(page).to_have_url(re.compile(r"/CONTACTRACKING_MAILINFO/en$"))  # still the editor

    page.locator("#save-template").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#subject")).to_have_value("Heads up: {{ tiers }}")
    problems.assert_none()
