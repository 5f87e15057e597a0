"""The trash in real Chromium: delete an exchange from its card, find it in the trash,
restore it, and read its history of changes loaded by the card."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in
from tests.exchange_data import add, world  # noqa: F401 — fixture

pytestmark = pytest.mark.e2e


def test_delete_restore_and_history(page, problems, world):  # noqa: F811
    w = world
    exchange_id = add(w, w.tiers["dupont"], w.admin_id, comment="Relance devis",
                      contacts=[w.contacts["jeanne"]])
    log_in(page, "alice@alpha.fr")
    page.goto(f"/t/{w.slug}/exchanges/{exchange_id}")
    # The card loads its history of changes by itself (htmx).
    expect(page.locator("section#history-of-changes h2")).to_be_visible()
    page.locator(f"a[href='/t/{w.slug}/exchanges/{exchange_id}/delete']").click()
    expect(page.locator("main")).to_contain_text("30")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()

    page.goto(f"/t/{w.slug}/trash/")
    row = page.locator("tr[id^=trash-item-]")
    expect(row).to_have_count(1)
    row.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/exchanges/{exchange_id}$"))
    expect(page.locator("#exchange-card")).to_contain_text("Relance devis")
    history = page.locator("section#history-of-changes")
    # Created, moved to the trash, restored.
    expect(history.locator("li")).to_have_count(3)
    page.goto(f"/t/{w.slug}/trash/")
    expect(page.locator(".empty-state")).to_be_visible()
    problems.assert_none()
