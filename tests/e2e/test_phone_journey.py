"""A phone, 375 × 812, in real Chromium: every main page fits the screen's width (no
sideways scrolling), the main menu's links and buttons are at least 44 px tall, an
exchange is logged through the pop-up, which fills the screen at that width, and every
list shows its rows as cards with its filters folded behind one "Filters (n)" button."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange
from tests.admin_support import make_product
from tests.e2e.conftest import PHONE
from tests.e2e.test_accessibility import filled, log_in, urls  # noqa: F401 — fixture
from tests.exchange_data import add, world  # noqa: F401 — fixture
from tests.planning_data import make_task, paris_today

pytestmark = pytest.mark.e2e

TOUCH_MIN_PX = 44

# Every link, button and menu summary of the main menu that is on screen, with its height.
NAV_TARGETS = """() => [...document.querySelectorAll(
    "header nav a, header nav button, header nav summary")]
  .filter((el) => el.checkVisibility())
  .map((el) => [el.textContent.trim() || el.getAttribute("aria-label"),
                el.getBoundingClientRect().height])"""


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    return page


def test_every_main_page_fits_a_phone(app, phone, problems, filled):
    page = phone
    log_in(page, "alice@alpha.fr")
    too_wide, too_small = {}, {}
    for name, address in urls(app, filled).items():
        page.goto(address)
        page.wait_for_load_state("load")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[name] = width
        small = [(label, h) for label, h in page.evaluate(NAV_TARGETS) if h < TOUCH_MIN_PX]
        if small:
            too_small[name] = small
    assert too_wide == {}, f"pages wider than the phone: {too_wide}"
    assert too_small == {}, f"menu targets under {TOUCH_MIN_PX}px: {too_small}"

    # The open menus too: "More" and the workspace menu.
    for menu in ("#more-menu", "#workspace-switcher"):
        page.locator(f"{menu} > summary").click()
        if menu == "#workspace-switcher":
            # Its items load on first opening; measure them, not the placeholder.
            expect(page.locator("#workspace-list")).to_have_count(0)
        items = page.locator(f"{menu} ul a, {menu} ul button")
        for item in items.all():
            if item.is_visible():
                assert item.bounding_box()["height"] >= TOUCH_MIN_PX, item.inner_text()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        page.locator(f"{menu} > summary").click()
    problems.assert_none()


def test_log_an_exchange_on_a_phone(app, phone, problems, filled):
    page = phone
    w = filled
    log_in(page, "alice@alpha.fr")
    page.goto(urls(app, w)["tiers card"])
    page.wait_for_load_state("load")

    # The tiers card's own button: the pop-up opens on that tiers, full screen.
    page.locator("main [data-new-exchange]").first.click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    box = dialog.locator("article").bounding_box()
    assert box["x"] == 0 and box["width"] == PHONE["width"], box
    assert box["height"] >= PHONE["height"] - 1, box
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    # The save button stays on screen while the form scrolls under it.
    save = page.locator("#exchange-form button[type=submit]")
    save_box = save.bounding_box()
    assert save_box["y"] + save_box["height"] <= PHONE["height"], save_box
    assert save_box["height"] >= TOUCH_MIN_PX

    page.locator("#contacts-list label", has_text="Paul Durand").locator("input").check()
    page.fill("#comment", "Rappel depuis le téléphone.")
    with page.expect_response(re.compile(r"/exchanges/new")) as answer:
        save.click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    expect(page.locator("#toast")).not_to_be_empty()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]

    with app.app_context(), bound_tenant(w.tenant_id):
        saved = db.session.scalars(
            select(Exchange).where(Exchange.comment == "Rappel depuis le téléphone.")).one()
        assert saved.tiers_id == w.tiers["dupont"]
        assert [c.full_name for c in saved.contacts] == ["Paul Durand"]
    problems.assert_none()


# The list pages, each with the filters its address turns on (their number is the
# "Filters (n)" button's), and the selector of its rows.
LISTS = {
    "exchanges": ("/exchanges/?status=todo&mode={mode}", 2, "#exchange-results tbody tr"),
    "tiers": ("/tiers/?status=all", 1, "#tiers-results tbody tr"),
    "contacts": ("/contacts/", None, "#contact-results tbody tr"),
    "documents": ("/documents/", 0, "#document-results tbody tr"),
    "projects": ("/projects/?status=all", 1, "#projects-results tbody tr"),
    "my tasks": ("/projects/tasks", None, "#tasks-today li.task"),
    "products": ("/products/?active=all", 1, "#product-results tbody tr"),
    "members": ("/members/", None, "#members tbody tr"),
}


def test_every_list_shows_cards_and_folds_its_filters_on_a_phone(app, phone, problems, world):
    page = phone
    w = world
    for i in range(3):
        add(w, w.tiers["dupont"], w.admin_id, minutes=i, status="todo", mode_id=w.modes["phone"],
            comment=f"Appel {i} : rappeler pour le devis du salon", contacts=[w.contacts["jeanne"]])
    make_product(app, w.tenant_id, "PRD-1", "Fauteuil de bureau")
    make_task(app, w.tenant_id, "Rappeler Jeanne", assignee_id=w.admin_id, due_date=paris_today())
    log_in(page, "alice@alpha.fr")
    no_card, too_wide, bad_button = {}, {}, {}
    for name, (address, active, rows) in LISTS.items():
        page.goto(f"/t/{w.slug}" + address.format(mode=w.modes["phone"]))
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.evaluate("window.innerWidth"):
            too_wide[name] = width
        first = page.locator(rows).first
        expect(first).to_be_visible()
        # A card: the row is a block with its cells under one another, each one labelled.
        if first.evaluate("(el) => el.tagName") == "TR":
            shape = first.evaluate("""(row) => [getComputedStyle(row).display,
                getComputedStyle(row.closest("table").tHead || row).display]""")
            if shape[0] not in ("block", "flex") or shape[1] != "none":
                no_card[name] = shape
        if active is None:
            continue
        # The filters fold behind one button that says how many are on, and opens them.
        button = page.locator("main .filters-panel > summary")
        label = button.inner_text()
        fields = page.locator("main .filters-panel select").first
        if (f"({active})" in label) != bool(active) or fields.is_visible():
            bad_button[name] = label
        button.click()
        expect(fields).to_be_visible()
    assert too_wide == {}, f"lists wider than the phone: {too_wide}"
    assert no_card == {}, f"rows still a table: {no_card}"
    assert bad_button == {}, f"filter buttons: {bad_button}"
    problems.assert_none()


def test_the_first_exchange_is_on_the_first_screen(app, phone, problems, world, screenshot):
    page = phone
    w = world
    for i in range(12):
        add(w, w.tiers["dupont"], w.admin_id, minutes=i, comment=f"Appel {i}")
    log_in(page, "alice@alpha.fr")
    page.goto(f"/t/{w.slug}/exchanges/")
    page.wait_for_load_state("load")
    first = page.locator("#exchange-results tbody tr").first
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    # Its status and comment are on the card, not off to the right.
    for cell in (".cell-status", ".cell-wide"):
        cell_box = first.locator(cell).bounding_box()
        assert cell_box["x"] + cell_box["width"] <= PHONE["width"], (cell, cell_box)
    expect(first.locator(".cell-wide")).to_contain_text("Appel 11")
    screenshot("exchanges-list-phone-fr.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    problems.assert_none()


def test_the_filters_count_follows_the_fields(app, phone, problems, world):
    """The filters answer with the results only: the button's count follows the fields."""
    page = phone
    w = world
    log_in(page, "alice@alpha.fr")
    page.goto(f"/t/{w.slug}/exchanges/")
    page.wait_for_load_state("load")
    button = page.locator("main .filters-panel > summary")
    count = button.locator(".filters-count")
    expect(count).to_have_text("")
    button.click()
    with page.expect_response(re.compile(r"/exchanges/\?")):
        page.locator("#status").select_option("todo")
    expect(count).to_have_text(" (1)")
    page.fill("#q", "devis")
    expect(count).to_have_text(" (2)")
    page.locator("#status").select_option("")
    expect(count).to_have_text(" (1)")
    problems.assert_none()
