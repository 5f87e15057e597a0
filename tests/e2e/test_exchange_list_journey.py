"""The exchanges list in real Chromium: filtering over htmx, select all, mass delete
through the confirmation page, CSV download, and a history tab refreshing itself."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in
from tests.exchange_data import add, world  # noqa: F401 — fixture
from tests.exchange_records import set_settings

pytestmark = pytest.mark.e2e


def test_filter_select_all_delete_and_export(page, problems, world):  # noqa: F811
    w = world
    for i, comment in enumerate(["Relance devis", "Visite atelier", "Relance facture"]):
        add(w, w.tiers["dupont"], w.admin_id, minutes=i, comment=comment,
            contacts=[w.contacts["jeanne"]])
    log_in(page, "alice@alpha.fr")
    page.locator(f"header nav a[href='/t/{w.slug}/exchanges/']").click()
    expect(page).to_have_url(f"/t/{w.slug}/exchanges/")
    rows = page.locator("#exchange-results tbody tr")
    expect(rows).to_have_count(3)

    # Typing filters the rows in place and the address keeps the filter.
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    page.fill("#q", "relance")
    expect(rows).to_have_count(2)
    expect(page).to_have_url(re.compile(r"[?&]q=relance"))
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)  # no page load

    # The CSV of the filtered list.
    with page.expect_download() as download:
        page.locator("a[href*='export.csv']").first.click()
    text = download.value.path().read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    assert "Relance devis" in text and "Relance facture" in text and "Visite" not in text

    # Select all on this page, then delete after the confirmation page.
    page.locator("input[data-select-all]").check()
    expect(page.locator("input[name=ids]:checked")).to_have_count(2)
    page.locator("button[value=delete]").click()
    expect(page.locator("h1")).to_have_text("Supprimer 2 échanges ?")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("2")
    expect(page).to_have_url(re.compile(r"/exchanges/\?q=relance"))
    expect(page.locator(".empty-state")).to_be_visible()
    page.goto(f"/t/{w.slug}/exchanges/")
    expect(rows).to_have_count(1)
    problems.assert_none()


def test_history_tab_refreshes_on_exchange_saved(page, problems, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="Premier appel")
    log_in(page, "alice@alpha.fr")
    page.goto(f"/t/{w.slug}/exchanges/history?tiers={w.tiers['dupont']}")
    history = page.locator("#tiers-exchanges")
    expect(history.locator("tbody tr")).to_have_count(1)

    add(w, w.tiers["martin"], w.admin_id, minutes=5, comment="Via Jeanne",
        contacts=[w.contacts["jeanne"]])
    # What the exchange form's success answer does (HX-Trigger: exchange-saved).
    page.evaluate("document.body.dispatchEvent(new CustomEvent('exchange-saved'))")
    expect(history.locator("tbody tr")).to_have_count(2)
    expect(page.locator("#tiers-exchanges", has_text="Via Jeanne")).to_have_count(1)

    # The compact filter row narrows the rows without replacing the form being typed in.
    page.fill("#tiers-exchanges #q", "jeanne")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#tiers-exchanges #q")).to_be_focused()
    problems.assert_none()


def test_a_very_long_word_in_a_comment_wraps_instead_of_widening_the_list(page, world):  # noqa: F811
    w = world
    add(w, w.tiers["dupont"], w.admin_id, comment="https://example.com/" + "a" * 10_000)
    add(w, w.tiers["dupont"], w.admin_id, minutes=1, comment="Visite atelier")
    log_in(page, "alice@alpha.fr")
    page.goto(f"/t/{w.slug}/exchanges/")
    rows = page.locator("#exchange-results tbody tr")
    expect(rows).to_have_count(2)
    width = page.viewport_size["width"]
    table = page.locator("#exchange-results table").bounding_box()
    assert table["x"] + table["width"] <= width, table
    for view in page.locator("#exchange-results tbody tr td:last-child a").all():
        box = view.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, box  # the View links


COVERED_BY_FLOATING_BUTTON = """() => {
  const button = document.querySelector(".new-exchange-floating").getBoundingClientRect();
  const items = document.querySelectorAll("main a, main button, main td, footer small");
  return [...items].filter((item) => {
    const box = item.getBoundingClientRect();
    return box.width && box.height && box.left < button.right && button.left < box.right
      && box.top < button.bottom && button.top < box.bottom;
  }).map((item) => item.textContent.trim().slice(0, 40));
}"""


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900},
                                      {"width": 375, "height": 812}])
def test_the_floating_button_covers_nothing_at_the_end_of_a_page(app, page, world,  # noqa: F811
                                                                viewport):
    w = world
    set_settings(app, w.tenant_id, button_mode="floating")
    for i in range(30):
        add(w, w.tiers["dupont"], w.admin_id, minutes=i, comment=f"Appel numéro {i}")
    page.set_viewport_size(viewport)
    log_in(page, "alice@alpha.fr")
    for path in ("exchanges/", "tiers/", ""):
        page.goto(f"/t/{w.slug}/{path}")
        expect(page.locator(".new-exchange-floating")).to_be_visible()
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert page.evaluate(COVERED_BY_FLOATING_BUTTON) == [], path
