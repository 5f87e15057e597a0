"""The settings page over htmx in real Chromium: list editors and the product picker swap
in place, errors stay next to their field, and the strict CSP holds."""

import re

import pytest
from playwright.sync_api import expect

from tests.admin_support import make_product
from tests.auth_support import message
from tests.e2e.support import log_in

pytestmark = pytest.mark.e2e


def test_lists_and_products_are_edited_in_place(page, problems, app, tenants, screenshot):
    make_product(app, tenants.a.id, "P-100", "Pompe à chaleur")
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{tenants.a.slug}/settings/")
    settings_url = page.url
    # A mark outside the fragments: it survives a swap, not a page load.
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    kept = page.locator("h1[data-kept='yes']")
    modes = page.locator("#list-mode")

    # Add an entry: the list is swapped, the page stays.
    modes.locator("#mode-new-label").fill("Fax")
    with page.expect_response(re.compile(r"/lists/mode/add$")) as answer:
        modes.get_by_role("button", name=message(app, "Add"), exact=True).click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("x-csrftoken")
    last_label = modes.locator("ol > li").last.locator("input[name$='-label']").first
    expect(last_label).to_have_value("Fax")
    expect(modes.locator(".flash-success")).to_be_visible()
    expect(kept).to_have_count(1)

    # The same entry again, in capitals: refused next to the field.
    problems.allow(r"status of 422")
    modes.locator("#mode-new-label").fill("FAX")
    with page.expect_response(re.compile(r"/lists/mode/add$")) as answer:
        modes.get_by_role("button", name=message(app, "Add"), exact=True).click()
    assert answer.value.status == 422
    expect(modes.locator("#mode-new-label-error")).to_be_visible()
    expect(modes.locator("#mode-new-label")).to_have_value("FAX")

    # Move it up, then deactivate it.
    with page.expect_response(re.compile(r"/move$")):
        modes.get_by_role("button", name=message(app, "Move “%(label)s” up", label="Fax")).click()
    expect(modes.locator("ol > li").nth(5).locator("input[name$='-label']").first) \
        .to_have_value("Fax")
    fax_row = modes.locator("ol > li").nth(5)
    # Rename it (three forms share the row: the inputs name theirs).
    fax_row.locator("input[name$='-label']").first.fill("Télécopie")
    with page.expect_response(re.compile(r"/rename$")) as answer:
        fax_row.get_by_role("button", name=message(app, "Save"), exact=True).click()
    assert answer.value.status == 200
    fax_row = modes.locator("ol > li").nth(5)
    expect(fax_row.locator("input[name$='-label']").first).to_have_value("Télécopie")
    with page.expect_response(re.compile(r"/active$")):
        fax_row.get_by_role("button", name=message(app, "Deactivate")).click()
    expect(modes.locator("ol > li").nth(5).locator("mark")).to_be_visible()
    expect(kept).to_have_count(1)

    # Products: search as you type, then add; the picker is swapped.
    picker = page.locator("#product-picker")
    with page.expect_response(re.compile(r"/settings/products\?q=pom")):
        picker.locator("#product-q").press_sequentially("pom")
    result = picker.locator("#product-results li", has_text="Pompe à chaleur")
    expect(result).to_be_visible()
    with page.expect_response(re.compile(r"/products/add$")):
        result.get_by_role("button").click()
    expect(page.locator("#chosen-products")).to_contain_text("Pompe à chaleur")
    expect(kept).to_have_count(1)
    assert page.url == settings_url

    # The options form: an error in place, then a save that reloads the page.
    page.fill("#widget_days", "-2")
    with page.expect_response(re.compile(r"/settings/$")) as answer:
        page.get_by_role("button", name=message(app, "Save the settings")).click()
    assert answer.value.status == 422
    expect(page.locator("#widget_days-error")).to_be_visible()
    expect(page.locator("#widget_days")).to_be_focused()
    page.fill("#widget_days", "5")
    page.locator("label[for='button_mode-1']").click()
    with page.expect_navigation(url=settings_url):
        page.get_by_role("button", name=message(app, "Save the settings")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#widget_days")).to_have_value("5")
    expect(page.locator("#settings-history")).to_contain_text("Télécopie")
    screenshot("settings-fr.png")
    # The same page in English, switched like a user would.
    with page.expect_navigation():
        page.locator(".language-switch button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    screenshot("settings-en.png")
    problems.assert_none()
