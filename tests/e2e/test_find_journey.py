"""Find anything, in real Chromium and both languages: Ctrl+K focuses the header box from
anywhere (even from inside another field, never over the pop-up), typing shows the
results grouped by kind, the arrows and Enter open one, Escape closes them then leaves
the box; on a phone the magnifier unfolds the box without any sideways scroll."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.exchange_data import add, world  # noqa: F401

pytestmark = pytest.mark.e2e



def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_ctrl_k_finds_and_opens_a_tiers(page, problems, world, screenshot, lang):
    w = world
    add(w, w.tiers["martin"], w.admin_id, comment="Relance du devis Dupont")
    log_in_reading(page, "alice@alpha.fr", lang)
    box = page.locator("#find-input")
    expect(box).to_have_attribute("placeholder", re.compile(r"Ctrl\+K"))

    page.keyboard.press("Control+k")
    expect(box).to_be_focused()
    box.press_sequentially("dupont")
    results = page.locator("#find-results")
    expect(results).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    headings = results.locator(".find-heading")
    expect(headings).to_have_text(
        ["Tiers", "Contacts", "Échanges"] if lang == "fr"
        else ["Third parties", "Contacts", "Exchanges"])
    expect(results.locator(f"#find-tiers-{w.tiers['dupont']}")).to_be_visible()
    expect(results.locator("#find-exchanges-1, [id^=find-exchanges-]").first).to_contain_text(
        "Relance du devis Dupont")
    screenshot(f"find-{lang}.png")
    assert_accessible(page, f"find results open ({lang})")

    # Esc closes the results and keeps the text; a second Esc leaves the box.
    page.keyboard.press("Escape")
    expect(results).to_be_hidden()
    expect(box).to_have_value("dupont")
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).not_to_be_focused()

    # From inside another field, Ctrl+K still reaches the box; the arrows choose.
    page.goto(f"/t/{w.slug}/contacts/")
    field = page.locator("main input[type=search]")
    field.click()
    field.type("zz")
    page.keyboard.press("Control+k")
    expect(box).to_be_focused()
    box.press_sequentially("dupont")
    first = results.locator("[role=option]").first
    expect(first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", f"find-tiers-{w.tiers['dupont']}")
    expect(first).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", f"find-tiers-{w.tiers['dupont']}")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/tiers/{w.tiers['dupont']}$"))
    problems.assert_none()


def test_enter_without_a_choice_opens_the_results_page(page, problems, world):
    log_in_reading(page, "alice@alpha.fr", "en")
    page.keyboard.press("Control+k")
    page.locator("#find-input").press_sequentially("jeanne")
    expect(page.locator("#find-results [role=option]").first).to_be_visible()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=jeanne$"))
    expect(page.locator("main h2")).to_have_text(["Contacts"])
    expect(page.locator("main").get_by_role("link", name="Jeanne Dupont")).to_be_visible()
    assert_accessible(page, "search results page")
    problems.assert_none()


def test_ctrl_k_leaves_the_popup_alone(page, problems, world):
    w = world
    log_in_reading(page, "alice@alpha.fr", "en")
    page.goto(f"/t/{w.slug}/tiers/{w.tiers['dupont']}")
    page.locator("main [data-new-exchange]").click()
    expect(page.locator("#exchange-dialog")).to_be_visible()
    page.keyboard.press("Control+k")
    expect(page.locator("#find-input")).not_to_be_focused()
    expect(page.locator("#exchange-dialog")).to_be_visible()
    problems.assert_none()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_on_a_phone_the_magnifier_unfolds_the_box(page, problems, world, lang):
    w = world
    page.set_viewport_size(PHONE)
    log_in_reading(page, "alice@alpha.fr", lang)
    box = page.locator("#find-input")
    toggle = page.locator("#find-toggle")
    expect(box).to_be_hidden()
    expect(toggle).to_be_visible()
    no_sideways_scroll(page)
    toggle.click()
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    box.press_sequentially("dupont")
    expect(page.locator(f"#find-tiers-{w.tiers['dupont']}")).to_be_visible()
    no_sideways_scroll(page)
    review_shot(page, f"find-phone-{lang}.png")
    assert_accessible(page, f"find on a phone ({lang})")
    page.locator("[data-find-close]").click()
    expect(box).to_be_hidden()
    expect(toggle).to_be_focused()
    problems.assert_none()
