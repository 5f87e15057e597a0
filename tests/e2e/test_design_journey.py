"""The compact look in real Chromium, on laptop screens (1024 × 768 and 1280 × 900), in
French and in English: the header is one line (brand, six links, "More", search box,
counters, company menu, language) whose menus read as menus, with a long company name
cut by an ellipsis; the All exchanges page shows about twenty exchanges at once."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ct.extensions import db
from ct.models import Tenant
from tests.e2e.support import log_in_reading, review_shot
from tests.exchange_data import add, add_many, world  # noqa: F401 — fixture
from tests.planning_data import make_task, paris_today

pytestmark = pytest.mark.e2e

LONG_NAME = "Société Coopérative de Menuiserie Alpha Conseil et Associés"
LAPTOPS = [{"width": 1024, "height": 768}, {"width": 1280, "height": 900}]
HEADER_MAX_PX = 64
ONE_LINE_MAX_PX = 40  # a link or a menu's summary on one line is about 28 px tall

# Every visible link, button, summary and field of the header, with its box.
HEADER_ITEMS = """() => [...document.querySelectorAll(
    "body > header :is(a, summary, button, input)")]
  .filter((el) => el.checkVisibility() && el.getBoundingClientRect().width > 1)
  .map((el) => { const b = el.getBoundingClientRect();
                 return {text: (el.textContent || el.placeholder || "").trim(),
                         top: b.top, bottom: b.bottom, height: b.height,
                         left: b.left, right: b.right}; })"""


@pytest.fixture
def busy_company(app, world):
    """Company A with a long name, one overdue and one today's item (both counters show)."""
    w = world
    with app.app_context():
        db.session.get(Tenant, w.tenant_id).name = LONG_NAME
        db.session.commit()
    make_task(app, w.tenant_id, "Relancer le devis", assignee_id=w.admin_id,
              due_date=paris_today() - timedelta(days=2))
    make_task(app, w.tenant_id, "Appeler Jeanne", assignee_id=w.admin_id, due_date=paris_today())
    return w


@pytest.mark.parametrize("viewport", LAPTOPS, ids=["1024", "1280"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_header_is_one_line(app, page, problems, busy_company, viewport, lang):
    page.set_viewport_size(viewport)
    log_in_reading(page, "alice@alpha.fr", lang)
    expect(page.locator("#count-overdue")).to_be_visible()
    expect(page.locator("#count-today")).to_be_visible()

    header = page.locator("body > header").bounding_box()
    assert header["height"] < HEADER_MAX_PX, header
    items = page.evaluate(HEADER_ITEMS)
    assert len(items) >= 12, items  # brand, 6 links, More, search, counters, company, language
    middle = [(i["top"] + i["bottom"]) / 2 for i in items]
    assert max(middle) - min(middle) < 4, f"not one line: {items}"
    wrapped = [i for i in items if i["height"] > ONE_LINE_MAX_PX]
    assert wrapped == [], f"items on two lines: {wrapped}"
    # Side by side, none drawn over its neighbour (a squeezed line overlaps instead).
    row = sorted(items, key=lambda i: i["left"])
    overlaps = [(a["text"], b["text"]) for a, b in zip(row, row[1:], strict=False)
                if a["right"] > b["left"] + 1]
    assert overlaps == [], f"overlapping: {overlaps} in {row}"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # "More" reads as a menu: text and caret on one line, no field around it.
    more = page.locator("#more-menu > summary")
    assert more.bounding_box()["height"] <= ONE_LINE_MAX_PX
    looks = more.evaluate("""(el) => ({border: getComputedStyle(el).borderTopWidth,
                                       caret: getComputedStyle(el, "::after").float})""")
    assert looks == {"border": "0px", "caret": "none"}, looks
    more.click()
    expect(page.locator("#more-menu ul")).to_be_visible()
    more.click()
    # Reached with the keyboard, it shows a focus ring (Pico's glow is gone with the field look).
    more.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    ring = more.evaluate(
        "(el) => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle")
    assert ring == "solid", ring

    # The company's name: cut with an ellipsis, whole in the tooltip.
    company = page.locator("#workspace-switcher > summary")
    expect(company).to_have_attribute("title", LONG_NAME)
    cut = company.locator(".summary-text").evaluate(
        "(el) => [el.scrollWidth > el.clientWidth, getComputedStyle(el).textOverflow]")
    assert cut == [True, "ellipsis"], cut
    problems.assert_none()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_exchanges_list_shows_twenty_rows_on_a_laptop(app, page, problems, world, lang):
    w = world
    add_many(w, w.tiers["dupont"], w.admin_id, 25)
    for i in range(3):
        add(w, w.tiers["martin"], w.admin_id, minutes=100 + i, status="in_progress",
            comment="Relance du devis pour le salon, à rappeler mardi",
            contacts=[w.contacts["luc"]])
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in_reading(page, "alice@alpha.fr", lang)
    page.goto(f"/t/{w.slug}/exchanges/")
    page.wait_for_load_state("load")
    expect(page.locator("#exchange-results tbody tr")).to_have_count(28)

    # The filters are on screen at once on a laptop (no "Filters" button to press).
    expect(page.locator("#exchange-filters select#status")).to_be_visible()
    expect(page.locator("#exchange-filters .filters-panel > summary")).to_be_hidden()

    shown = page.evaluate("""() => {
        const top = document.querySelector("body > header").getBoundingClientRect().bottom;
        return [...document.querySelectorAll("#exchange-results tbody tr")].filter((row) => {
            const box = row.getBoundingClientRect();
            return box.top >= top && box.bottom <= window.innerHeight;
        }).length;
    }""")
    review_shot(page, f"design-exchanges-{lang}.png")
    assert shown >= 18, f"{shown} exchanges on the first screen"
    problems.assert_none()
