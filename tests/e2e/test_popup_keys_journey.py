"""Keys in the exchange pop-up, in real Chromium and both languages: one Escape closes it
and gives the focus back to its button, even from the tiers search box a tiers card
fills in (a search box clears itself on Escape); with the search's results open, the
first press closes the results and keeps what was typed. Ctrl+Enter saves from any field."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange
from tests.e2e.support import log_in, log_in_reading
from tests.exchange_records import records  # noqa: F401

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_escape_closes_the_popup_opened_from_a_tiers_card(page, problems, tenants, records,
                                                          lang):
    log_in_reading(page, tenants.a.admin_email, lang)
    page.goto(f"/t/{records.a.slug}/tiers/{records.a.tiers}")
    button = page.locator("main [data-new-exchange]")
    dialog = page.locator("#exchange-dialog")
    search = page.locator("#tiers-search")

    button.click()
    expect(dialog).to_be_visible()
    expect(search).to_be_focused()
    expect(search).to_have_value("Dupont Industrie")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()

    # Results open: Escape closes them and keeps what was typed; the next one closes.
    button.click()
    expect(search).to_be_focused()
    search.fill("")
    search.press_sequentially("Dupont")
    results = page.locator("#tiers-results [role=option]")
    expect(results.first).to_be_visible()
    page.keyboard.press("Escape")
    expect(results).to_have_count(0)
    expect(dialog).to_be_visible()
    expect(search).to_have_value("Dupont")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()
    problems.assert_none()


@pytest.mark.parametrize("field", ["#comment", "#tiers-search"])
def test_ctrl_enter_saves_from_any_field(app, page, problems, tenants, records, field):
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{records.a.slug}/tiers/{records.a.tiers}")
    button = page.locator("main [data-new-exchange]")
    button.click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    page.fill("#comment", "Enregistré au clavier")
    page.locator(field).focus()
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        page.keyboard.press("Control+Enter")
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()
    with app.app_context(), bound_tenant(tenants.a.id):
        saved = db.session.scalars(select(Exchange).where(
            Exchange.comment == "Enregistré au clavier")).all()
    assert [e.tiers_id for e in saved] == [records.a.tiers]
    problems.assert_none()


def tabs_to(page, selector: str, limit: int = 40) -> int:
    """How many Tab presses take the focus to ``selector``."""
    for presses in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus")


def test_the_comment_is_a_few_tabs_from_the_tiers(page, tenants, records):
    log_in(page, tenants.a.admin_email)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.locator("#tiers-search")).to_be_focused()
    assert tabs_to(page, "#comment") <= 3  # tiers, mode, object, comment ("+" is no stop)
