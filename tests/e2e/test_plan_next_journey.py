"""Done → plan the next one, in Chromium, in French and English: close an exchange from
the list and plan the next contact with the keyboard (Enter), see it in the list as To
do; close another from its card and skip with Esc (the focus back on the status); close
one from the pop-up and plan an event instead."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.support import log_in_reading, review_shot
from tests.exchange_data import add, count_exchanges, world  # noqa: F401 — fixture

pytestmark = pytest.mark.e2e

WORDS = {
    "fr": {"title": "Planifier le prochain contact", "todo": "À traiter", "closed": "Clôturé"},
    "en": {"title": "Plan the next contact", "todo": "To do", "closed": "Closed"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_close_then_plan_or_skip(page, problems, world, lang):  # noqa: F811
    w, words = world, WORDS[lang]
    first = add(w, w.tiers["dupont"], w.admin_id, status="in_progress", comment="Devis envoyé",
                contacts=[w.contacts["jeanne"]], mode_id=w.modes["phone"])
    second = add(w, w.tiers["martin"], w.admin_id, minutes=5, status="in_progress",
                 comment="Relance")
    log_in_reading(page, "alice@alpha.fr", lang)

    # From the list: arrows on the closed status menu do not save a status at each press;
    # then the menu closes it and the offer opens on its date field.
    page.goto(f"/t/{w.slug}/exchanges/")
    page.locator(f"#status-of-{first}").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(300)
    assert count_exchanges(w, status="in_progress") == 2
    expect(page.locator("#plan-next-dialog")).to_have_count(0)
    page.locator(f"#status-of-{first}").select_option("closed")
    dialog = page.locator("#plan-next-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("h2")).to_have_text(words["title"])
    day = page.locator("#plan-day")
    expect(day).to_be_focused()
    review_shot(page, f"plan-next-list-{lang}.png")
    page.set_viewport_size(PHONE)
    review_shot(page, f"plan-next-list-phone-{lang}.png")
    page.set_viewport_size(DESKTOP)
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    expect(page.locator("#toast .flash-success")).to_be_visible()
    rows = page.locator("#exchange-results tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#exchange-results select.status-todo")).to_have_count(1)
    assert count_exchanges(w, status="todo") == 1
    review_shot(page, f"plan-next-list-after-{lang}.png")
    page.set_viewport_size(PHONE)
    review_shot(page, f"plan-next-list-after-phone-{lang}.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    # From the card: closing offers the plan; Esc skips it, the status stays saved.
    page.goto(f"/t/{w.slug}/exchanges/{second}")
    page.locator("#exchange-status button[value=closed]").click()
    expect(dialog).to_be_visible()
    expect(day).to_be_focused()
    review_shot(page, f"plan-next-card-{lang}.png")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(page.locator("#exchange-status button[value=closed]")).to_be_focused()
    expect(page.locator("#exchange-status strong")).to_have_text(words["closed"])
    assert count_exchanges(w, status="todo") == 1

    # From the pop-up: set back to in progress, then closed in the form; plan an event.
    page.locator("#exchange-status button[value=in_progress]").click()
    expect(page.locator("#exchange-status strong")).not_to_have_text(words["closed"])
    # The card refreshes itself after the change (exchange-saved): edit once it has.
    page.wait_for_load_state("networkidle")
    page.locator("#exchange-edit").click()
    popup = page.locator("#exchange-dialog")
    expect(popup).to_be_visible()
    popup.locator("input[name=status][value=closed]").check()
    popup.locator("footer button[type=submit]").click()
    expect(popup.locator("form[data-plan-next]")).to_be_visible()
    expect(popup.locator("#plan-day")).to_be_focused()
    popup.locator("input[name='plan-what'][value=event]").check()
    review_shot(page, f"plan-next-popup-{lang}.png")
    page.set_viewport_size(PHONE)
    review_shot(page, f"plan-next-popup-phone-{lang}.png")
    page.set_viewport_size(DESKTOP)
    popup.locator("#plan-day").press("Enter")
    expect(popup).to_have_count(0)
    expect(page.locator("#toast a[href*='/agenda/']")).to_be_visible()
    problems.assert_none()
