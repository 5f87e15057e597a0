"""What a page shows follows what the pop-up saves, without a reload, in real Chromium:
the list of all exchanges gets its new row, a tiers card's tab counts go up."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in
from tests.exchange_records import records  # noqa: F401

pytestmark = pytest.mark.e2e


def save(page) -> None:
    dialog = page.locator("#exchange-dialog")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.locator("footer.form-actions button[type=submit]").click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)


def test_the_list_of_all_exchanges_shows_the_exchange_just_saved(page, problems, tenants,
                                                                 records):
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{records.a.slug}/exchanges/")
    rows = page.locator("#exchange-results tbody tr")
    expect(rows).to_have_count(0)
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")

    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.locator("#exchange-dialog")).to_be_visible()
    page.locator("#tiers-search").press_sequentially("Dupont")
    page.locator("#tiers-results [role=option]", has_text="Dupont Industrie").click()
    expect(page.locator("#tiers_id")).to_have_value(str(records.a.tiers))
    page.fill("#comment", "Appel de suivi du devis")
    save(page)

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Appel de suivi du devis")
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)  # no page load
    problems.assert_none()


def test_a_tiers_card_counts_the_exchange_and_event_just_saved(page, problems, tenants,
                                                               records):
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{records.a.slug}/tiers/{records.a.tiers}")
    exchanges_tab = page.locator("#tiers-tab-exchanges")
    agenda_tab = page.locator("#tiers-tab-agenda")
    expect(exchanges_tab).to_have_text(re.compile(r"\(0\)$"))
    expect(agenda_tab).to_have_text(re.compile(r"\(0\)$"))

    page.locator("main [data-new-exchange]").click()
    expect(page.locator("#tiers_id")).to_have_value(str(records.a.tiers))
    page.fill("#comment", "Rendez-vous fixé")
    page.locator("#section-event > summary").click()  # opening it switches it on
    expect(page.locator("#add_event")).to_be_checked()
    page.fill("#event_title", "Visite chez Dupont")
    page.fill("#event_start", "2030-05-06T09:00")
    save(page)

    expect(exchanges_tab).to_have_text(re.compile(r"\(1\)$"))
    expect(agenda_tab).to_have_text(re.compile(r"\(1\)$"))
    expect(page.locator("#tiers-tab-timeline")).to_have_attribute("aria-selected", "true")
    # The card opens on its timeline: the event planned comes first, then the exchange.
    expect(page.locator("#timeline .tl-entry").first).to_contain_text("Visite chez Dupont")
    expect(page.locator("#timeline .tl-entry").nth(1)).to_contain_text("Rendez-vous fixé")
    problems.assert_none()
