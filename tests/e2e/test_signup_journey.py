"""A company signs up, logs out, logs back in and switches to English, in real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from tests.auth_support import link_in, outbox
from tests.smtp import run_queued_jobs

pytestmark = pytest.mark.e2e

COMPANY = "Atelier Lumière"
NAME = "Claire Dubois"
EMAIL = "claire@atelier-lumiere.fr"
PASSWORD = "un jardin sous la pluie de mai"
PHONE_WIDTH = 375


def test_sign_up_log_out_log_in_and_switch_to_english(app, page, problems, screenshot):
    page.goto("/signup")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.fill("#company", COMPANY)
    page.fill("#display_name", NAME)
    page.fill("#email", EMAIL)
    screenshot("signup-fr.png")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#signup-sent")).to_be_visible()

    # The link of the confirmation email: the password, and the company is created.
    run_queued_jobs(app)
    [email] = outbox(app, to=EMAIL, kind="signup_confirm")
    page.goto(link_in(email))
    expect(page.locator("main")).to_contain_text(COMPANY)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()

    # The new company's home page, in French (the browser asks for fr-FR).
    expect(page).to_have_url(re.compile(r"/t/[\w-]+/$"))
    home = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".flash-success")).to_contain_text(COMPANY)
    expect(page.locator("#workspace-switcher summary")).to_have_text(COMPANY)
    screenshot("home-fr.png")

    # On a phone the page fits the screen: nothing to scroll sideways.
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    screenshot("home-phone.png")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Log out from the workspace menu (its companies load as it opens).
    page.locator("#workspace-switcher summary").click()
    expect(page.locator("#workspace-switcher a[aria-current=true]")).to_have_text(COMPANY)
    page.locator("#logout").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.locator("#logout")).to_have_count(0)
    page.goto(home)
    expect(page).to_have_url(re.compile(r"/login\?next="))

    # Log in again: straight back to the company's home page.
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(home)
    expect(page.get_by_role("heading", level=1)).to_have_text(COMPANY)
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # Switch to English with the language button: same page, now in English.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(home)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_be_visible()
    screenshot("home-en.png")
    page.locator("#workspace-switcher summary").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    problems.assert_none()
