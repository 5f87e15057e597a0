"""The home page in real Chromium: an exchange saved from the pop-up shows in the latest
exchanges and the next contacts, and the menu's counters follow — no page reload."""
# ruff: noqa: F811

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from tests.e2e.support import log_in
from tests.planning_data import make_task, make_tiers, paris_today

pytestmark = pytest.mark.e2e


def say(app, text: str) -> str:
    """``text`` as the French page shows it."""
    with app.test_request_context(), force_locale("fr"):
        return gettext(text)


def test_an_exchange_saved_from_the_home_page_updates_its_widgets(app, page, problems,
                                                                   tenants, screenshot):
    a = tenants.a
    make_tiers(app, a.id, "Garage Lenoir")
    make_task(app, a.id, "Rappeler le garage", assignee_id=a.admin_membership_id,
              due_date=paris_today() - timedelta(days=2))
    log_in(page, a.admin_email)
    latest = page.locator("#widget-latest_exchanges")
    upcoming = page.locator("#widget-next_contacts")
    expect(latest.locator("tbody tr")).to_have_count(0)
    expect(page.locator("#count-overdue")).to_contain_text("1")
    expect(page.locator("#count-today")).to_have_count(0)
    expect(upcoming.locator(".is-overdue")).to_contain_text("Rappeler le garage")
    expect(page.locator("#step-exchange")).to_have_class("step-todo")
    # A mark outside the widgets: it survives their swaps, not a page load.
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    home_url = page.url

    page.locator("main [data-new-exchange]").click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    page.locator("#tiers-search").fill("Garage")
    option = page.locator("#tiers-results [role=option]", has_text="Garage Lenoir")
    with page.expect_response(re.compile(r"/exchanges/tiers-fields\?tiers_id=\d+$")):
        option.click()
    dialog.locator("input[name=status][value=todo]").check()
    page.fill("#comment", "Devis pour deux utilitaires.")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.get_by_role("button", name=say(app, "Save the exchange")).click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)

    # Each widget reloaded itself: the new exchange heads the list, linked to its card.
    expect(latest.locator("tbody tr")).to_have_count(1)
    expect(latest.locator("tbody tr").first).to_contain_text("Garage Lenoir")
    expect(latest.locator("tbody tr a")).to_have_attribute("href", re.compile(r"/exchanges/\d+$"))
    expect(latest.locator(".status-todo")).to_have_count(1)
    expect(upcoming.locator(".next-exchange")).to_contain_text("Garage Lenoir")
    expect(page.locator("#count-today")).to_contain_text("1")
    expect(page.locator("#count-overdue")).to_contain_text("1")
    expect(page.locator("#step-exchange")).to_have_class("step-done")
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)  # no reload
    assert page.url == home_url
    screenshot("home-widgets-fr.png")

    # Elsewhere the counters come just after the page.
    page.goto(f"/t/{a.slug}/tiers/")
    expect(page.locator("#count-today")).to_contain_text("1")
    expect(page.locator("#count-overdue")).to_contain_text("1")
    problems.assert_none()


def test_customize_moves_and_hides_widgets_in_place(app, page, problems, tenants):
    log_in(page, tenants.a.member_email)
    page.locator("#customize summary").click()
    with page.expect_response(re.compile(r"/customize$")):
        page.locator("#customize button[value='past_events:up']").click()
    order = page.locator(".home-widgets > article")
    expect(order.nth(1)).to_have_attribute("id", "widget-past_events")
    expect(page.locator("#customize")).to_have_attribute("open", "")
    expect(page.locator("#position-past_events")).to_have_value("2")
    page.locator("#show-team").uncheck()
    with page.expect_response(re.compile(r"/customize$")):
        page.locator("#customize button[type=submit]:not([name])").click()
    expect(page.locator("#widget-team")).to_have_count(0)
    page.reload()
    expect(order).to_have_count(4)  # five widgets, the team one hidden
    expect(order.nth(1)).to_have_attribute("id", "widget-past_events")
    problems.assert_none()
