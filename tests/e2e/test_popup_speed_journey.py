"""The exchange pop-up built for speed, in real Chromium: a quick exchange by keyboard in
at most 12 key presses besides typing, the comment at most 5 Tabs from the opening (from
home and from a tiers card with two contacts), Escape closing an open sub-form before
anything else, and the Save bar in view on a laptop and a phone whatever is unfolded."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange
from tests.e2e.support import log_in, log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.exchange_data import world  # noqa: F401 — fixture
from tests.exchange_records import records  # noqa: F401

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SAVE = "#exchange-form button[type=submit]"


def say(app, text: str, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(text)


class Keys:
    """The keyboard, counting the presses (typed text is not counted)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def press(self, key: str) -> None:
        self.count += 1
        self.page.keyboard.press(key)

    def tab_to(self, selector: str, limit: int = 30) -> int:
        """Press Tab until ``selector`` has the focus; how many presses it took."""
        for presses in range(limit):
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return presses
            self.press("Tab")
        raise AssertionError(f"{selector} never got the focus")


def open_from(page, place: str, records) -> None:
    """Open the pop-up from the keyboard: "n" at home, Enter on a tiers card's button."""
    if place == "home":
        page.locator("body").click(position={"x": 5, "y": 300})
        page.keyboard.press("n")
    else:
        page.goto(f"/t/{records.a.slug}/tiers/{records.a.tiers}")
        page.wait_for_load_state("load")
        page.locator("main [data-new-exchange]").focus()
        page.keyboard.press("Enter")
    expect(page.locator("#exchange-dialog")).to_be_visible()
    expect(page.locator("#tiers-search")).to_be_focused()


def test_a_quick_exchange_by_keyboard_takes_at_most_12_keys(app, page, problems, world):
    log_in(page, "alice@alpha.fr")
    page.locator("body").click(position={"x": 5, "y": 300})
    keys = Keys(page)

    keys.press("n")
    expect(page.locator("#tiers-search")).to_be_focused()
    page.keyboard.type("Dupont")
    option = page.locator("#tiers-picker-results [role=option]", has_text="Dupont SARL")
    expect(option).to_be_visible()
    keys.press("ArrowDown")
    with page.expect_response(re.compile(r"/exchanges/tiers-fields")):
        keys.press("Enter")
    expect(page.locator("#contacts-list")).to_contain_text("Paul Durand")

    # The contacts are one stop: Tab lands on the first, an arrow goes to the next.
    jeanne = page.locator("#contacts-list label", has_text="Jeanne Dupont").locator("input")
    paul = page.locator("#contacts-list label", has_text="Paul Durand").locator("input")
    keys.press("Tab")
    expect(jeanne).to_be_focused()
    keys.press("ArrowDown")
    expect(paul).to_be_focused()
    keys.press("Space")
    expect(paul).to_be_checked()
    expect(jeanne).not_to_be_checked()

    keys.tab_to("#comment")
    page.keyboard.type("Rappel pour le contrat")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        keys.press("Control+Enter")
    assert answer.value.status == 200
    expect(page.locator("#exchange-dialog")).to_have_count(0)
    print(f"quick exchange: {keys.count} key presses besides typing")
    assert keys.count <= 12

    with app.app_context(), bound_tenant(world.tenant_id):
        exchange = db.session.scalars(select(Exchange)).one()
        assert exchange.tiers_id == world.tiers["dupont"]
        assert [c.full_name for c in exchange.contacts] == ["Paul Durand"]
        assert exchange.comment == "Rappel pour le contrat"
    problems.assert_none()


@pytest.mark.parametrize(("place", "lang"), [("home", "fr"), ("card", "en"), ("card", "fr")])
def test_the_comment_is_at_most_5_tabs_from_the_opening(page, problems, tenants, records,
                                                       place, lang):
    log_in_reading(page, tenants.a.admin_email, lang)
    open_from(page, place, records)
    if place == "card":
        expect(page.locator("#contacts-list input[type=checkbox]")).to_have_count(2)
    tabs = Keys(page).tab_to("#comment")
    print(f"Tabs to the comment from {place} ({lang}): {tabs}")
    assert tabs <= 5
    problems.assert_none()


def test_escape_closes_an_open_sub_form_first_and_keeps_the_tiers(app, page, problems, tenants,
                                                                 records):
    log_in_reading(page, tenants.a.admin_email, "en")
    open_from(page, "card", records)
    search = page.locator("#tiers-search")
    dialog = page.locator("#exchange-dialog")

    # "+ New contact" ends the contacts group: End goes to it, Enter opens the sub-form.
    page.keyboard.press("Tab")
    expect(page.locator("#contacts-list input").first).to_be_focused()
    assert_accessible(page, "the pop-up with the contacts as one group")
    review_shot(page, "popup-card-en.png")
    page.keyboard.press("End")
    expect(page.locator("#new-contact-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#new_contact-first_name")).to_be_focused()
    page.keyboard.type("Zoé")
    page.keyboard.press("Escape")
    expect(page.locator("#inline-contact")).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(page.locator("#new-contact-button")).to_be_focused()
    expect(page.locator("#tiers_id")).to_have_value(str(records.a.tiers))
    expect(search).to_have_value("Dupont Industrie")

    # Open again, the focus elsewhere (the comment): Escape still closes only the sub-form.
    page.keyboard.press("Enter")
    expect(page.locator("#new_contact-first_name")).to_be_focused()
    page.locator("#comment").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#inline-contact")).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(page.locator("#tiers_id")).to_have_value(str(records.a.tiers))
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # A name no tiers has: the last suggestion creates it; Escape closes that sub-form.
    page.goto(f"/t/{records.a.slug}/")
    page.wait_for_load_state("load")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(search).to_be_focused()
    page.keyboard.type("Garage Lenoir")
    new_option = page.locator("#tiers-picker-results [role=option]").last
    expect(new_option).to_contain_text("Garage Lenoir")
    expect(new_option).to_contain_text(say(app, "New third party", "en"))
    assert_accessible(page, "the tiers suggestions ending with a new third party")
    review_shot(page, "popup-suggestions-en.png")
    page.keyboard.press("ArrowDown")
    expect(new_option).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#new_tiers-name")).to_be_focused()
    expect(page.locator("#new_tiers-name")).to_have_value("Garage Lenoir")
    page.keyboard.press("Escape")
    expect(page.locator("#inline-tiers")).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(search).to_be_focused()
    expect(search).to_have_value("Garage Lenoir")

    # Suggestions open, the focus elsewhere: Escape closes them, the next one the pop-up.
    page.keyboard.type(" SA")
    expect(new_option).to_contain_text("Garage Lenoir SA")
    page.locator("#comment").focus()
    page.keyboard.press("Escape")
    expect(page.locator("#tiers-picker-results [role=option]")).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(search).to_have_value("Garage Lenoir SA")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    problems.assert_none()



def fits(page) -> bool:
    """The pop-up's whole content is shown without scrolling inside it."""
    return page.evaluate("""() => {
        const article = document.querySelector('#exchange-dialog > article');
        return article.scrollHeight <= article.clientHeight + 1;
    }""")


@pytest.mark.parametrize(("size", "lang"), [("laptop", "fr"), ("phone", "en"),
                                            ("laptop", "en"), ("phone", "fr")])
def test_the_save_bar_stays_in_view_and_errors_open_their_section(app, page, problems, tenants,
                                                                  screenshot, size, lang):
    page.set_viewport_size(LAPTOP if size == "laptop" else PHONE)
    log_in_reading(page, tenants.a.admin_email, lang)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    dialog = page.locator("#exchange-dialog")
    save = page.locator(SAVE)
    expect(dialog).to_be_visible()
    expect(save).to_be_in_viewport(ratio=1)
    if size == "laptop":
        assert fits(page)  # the first screen, whole, without scrolling
    if size == "phone":
        screenshot(f"exchange-popup-phone-{lang}.png")
    review_shot(page, f"popup-{size}-{lang}.png")

    # The follow-ups unfolded: a longer body scrolls, the Save bar stays.
    page.locator("#section-task > summary").click()
    expect(page.locator("#add_task")).to_be_checked()
    expect(page.locator("#task_label")).to_be_focused()
    page.locator("#section-event > summary").click()
    expect(page.locator("#add_event")).to_be_checked()
    expect(page.locator("#event_title")).to_be_visible()
    expect(save).to_be_in_viewport(ratio=1)
    review_shot(page, f"popup-{size}-{lang}-follow-ups.png")
    assert_accessible(page, "the pop-up with its follow-ups unfolded")
    # Folded again with nothing typed: switched off, nothing to block the save.
    page.locator("#section-task > summary").click()
    page.locator("#section-event > summary").click()
    expect(page.locator("#add_task")).not_to_be_checked()
    expect(page.locator("#add_event")).not_to_be_checked()

    # An error in a folded section: the answer shows it open, the message by its field.
    when = page.locator("#section-when")
    expect(when).not_to_have_attribute("open", "")
    page.locator("#section-when > summary").click()
    page.fill("#occurred_at", "")
    page.locator("#section-when > summary").click()
    expect(page.locator("#occurred_at")).to_be_hidden()
    problems.allow(r"status of 422")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        save.click()
    assert answer.value.status == 422
    expect(when).to_have_attribute("open", "")
    expect(page.locator("#occurred_at-error")).to_have_text(
        say(app, "Give the date and time.", lang))
    expect(page.locator("#occurred_at-error")).to_be_visible()
    expect(save).to_be_in_viewport(ratio=1)
    review_shot(page, f"popup-{size}-{lang}-error.png")
    problems.assert_none()
