"""The keyboard alone, in real Chromium: log in, open the pop-up with "n", find the tiers,
create a contact inline, write the comment, choose the status and save — never a mouse
click. Then the other shortcuts: "/" searches the page's list, "?" lists the shortcuts,
"g" then a letter goes to a page, and none of them fires while typing in a field."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange
from tests.exchange_data import world  # noqa: F401 — fixture

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"


SAVE = "#exchange-form button[type=submit]"


def has_focus(page, selector: str) -> bool:
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element ``selector`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if has_focus(page, selector):
            return
        page.keyboard.press("Tab")
    last = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} never got the focus (last: {last})")


def log_in_with_keyboard(page, email: str) -> None:
    page.goto("/login")
    expect(page.locator("#email")).to_be_focused()  # autofocus
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/t/[\w-]+/$"))
    page.wait_for_load_state("load")  # the shortcuts work once the deferred scripts ran


def test_log_an_exchange_with_a_new_contact_by_keyboard_only(app, page, problems, world):
    w = world
    log_in_with_keyboard(page, "alice@alpha.fr")
    dialog = page.locator("#exchange-dialog")

    # "n" opens the pop-up on the tiers search.
    page.keyboard.press("n")
    expect(dialog).to_be_visible()
    expect(page.locator("#tiers-search")).to_be_focused()

    # Type, go down into the suggestions, Enter chooses.
    page.keyboard.type("Dupont")
    option = page.locator("#tiers-picker-results [role=option]", has_text="Dupont SARL")
    expect(option).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    with page.expect_response(re.compile(r"/exchanges/tiers-fields")):
        page.keyboard.press("Enter")
    expect(page.locator("#tiers_id")).to_have_value(str(w.tiers["dupont"]))
    expect(page.locator("#contacts-list")).to_contain_text("Jeanne Dupont")

    # A new contact, inline: Tab to the contacts (one stop), End to "+ New contact" which
    # ends their group, Enter, type, Enter sends the sub-form.
    tab_to(page, "#contacts-list input")
    page.keyboard.press("End")
    expect(page.locator("#new-contact-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#new_contact-first_name")).to_be_focused()
    page.keyboard.type("Zoé")
    page.keyboard.press("Tab")
    page.keyboard.type("Lenoir")
    page.keyboard.press("Enter")
    new_contact = page.locator("#contacts-list label", has_text="Zoé Lenoir").locator("input")
    expect(new_contact).to_be_checked()
    expect(new_contact).to_be_focused()

    # The comment, then the status with the arrow keys.
    tab_to(page, "#comment")
    page.keyboard.type("Called about the yearly maintenance.")
    tab_to(page, "#status-0")
    page.keyboard.press("ArrowRight")  # from the first status to the next one
    checked = page.locator("input[name=status]:checked")
    chosen_status = checked.get_attribute("value")

    # Tab to the save button (the focus stays in the pop-up on the way) and Enter.
    tab_to(page, SAVE)
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    expect(page.locator("#toast")).not_to_be_empty()

    with app.app_context(), bound_tenant(w.tenant_id):
        exchange = db.session.scalars(select(Exchange)).one()
        assert exchange.tiers_id == w.tiers["dupont"]
        assert [c.full_name for c in exchange.contacts] == ["Zoé Lenoir"]
        assert exchange.comment == "Called about the yearly maintenance."
        assert exchange.status == chosen_status
    problems.assert_none()


def test_search_help_and_go_to_shortcuts(app, page, problems, world):
    log_in_with_keyboard(page, "alice@alpha.fr")

    # "?" opens the help listing the shortcuts; Escape closes it.
    page.keyboard.press("?")
    help_dialog = page.locator("#shortcuts-help")
    expect(help_dialog).to_be_visible()
    for key in ("n", "/", "?"):
        kbd = help_dialog.locator("kbd", has_text=re.compile(f"^{re.escape(key)}$"))
        expect(kbd.first).to_be_visible()
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()

    # "g" then "e": the exchanges list; "/" puts the focus in its search field.
    page.keyboard.press("g")
    with page.expect_navigation():
        page.keyboard.press("e")
    expect(page).to_have_url(re.compile(r"/exchanges/$"))
    page.wait_for_load_state("load")
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()

    # Typing in a field never triggers a shortcut: the letters land in the field.
    page.keyboard.type("g n ?/")
    expect(page.locator("#q")).to_have_value("g n ?/")
    expect(page.locator("#exchange-dialog")).to_have_count(0)
    expect(help_dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/exchanges/"))

    # "g" then "h": back home.
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("g")
    with page.expect_navigation():
        page.keyboard.press("h")
    expect(page).to_have_url(re.compile(r"/t/[\w-]+/$"))
    problems.assert_none()
