"""@mentions in real Chromium (French and English): "@al" in the pop-up's comment lists
the matching members, the keyboard picks one, the exchange is saved with the mention and
its email is in the outbox; the mentioned member finds it on their home page and under
the Mentions filter of All exchanges."""
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.planning_data import make_tiers
from tests.smtp import outbox
from tests.test_notify import add_member

pytestmark = pytest.mark.e2e

WORDS = {
    "fr": {"save": "Enregistrer l’échange", "mentioned": "Admin Alpha Conseil vous a mentionné",
           "filter": "Qui me mentionnent"},
    "en": {"save": "Save the exchange", "mentioned": "Admin Alpha Conseil mentioned you",
           "filter": "Mentioning me"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_mention_picked_with_the_keyboard_reaches_the_member(app, page, problems, tenants,
                                                                lang):
    words = WORDS[lang]
    a = tenants.a
    make_tiers(app, a.id, "Garage Lenoir")
    add_member(app, a.id, "alma@alpha.fr", "Alma Rivière")
    add_member(app, a.id, "bruno@alpha.fr", "Bruno Petit")
    log_in_reading(page, a.admin_email, lang)

    page.locator("main [data-new-exchange]").click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    page.locator("#tiers-search").fill("Garage")
    option = page.locator("#tiers-results [role=option]", has_text="Garage Lenoir")
    with page.expect_response(re.compile(r"/exchanges/tiers-fields\?tiers_id=\d+$")):
        option.click()

    # "@al": the two members whose name has a word starting so, by name; not Bruno.
    comment = page.locator("#comment")
    comment.click()
    comment.press_sequentially("Devis envoyé, ")
    with page.expect_response(re.compile(r"/mention-suggestions\?q=al$")):
        comment.press_sequentially("@al")
    suggestions = page.locator("#comment-mentions [role=option]")
    expect(suggestions).to_have_count(2)
    expect(suggestions.first).to_have_text("Alma Rivière")
    expect(suggestions.first).to_have_attribute("aria-selected", "true")
    expect(page.locator("#comment-mentions")).not_to_contain_text("Bruno")
    review_shot(page, f"mentions-picker-{lang}.png")
    assert_accessible(page, f"pop-up with the mention suggestions ({lang})", "#exchange-dialog")
    comment.press("ArrowDown")
    expect(suggestions.nth(1)).to_have_attribute("aria-selected", "true")
    expect(comment).to_have_attribute("aria-activedescendant", re.compile(r"^mention-option-"))
    comment.press("Enter")
    expect(page.locator("#comment-mentions")).to_be_hidden()
    comment.press_sequentially("peux-tu rappeler ?")
    expect(comment).to_have_value("Devis envoyé, @Member Alpha Conseil peux-tu rappeler ?")
    # Escape closes a list, not the pop-up.
    with page.expect_response(re.compile(r"/mention-suggestions\?q=br$")):
        comment.press_sequentially(" @br")
    expect(page.locator("#comment-mentions [role=option]")).to_have_text(["Bruno Petit"])
    page.set_viewport_size({"width": 375, "height": 812})
    comment.scroll_into_view_if_needed()
    review_shot(page, f"mentions-picker-phone-{lang}.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    comment.press("Escape")
    expect(page.locator("#comment-mentions")).to_be_hidden()
    expect(dialog).to_be_visible()
    comment.press("Backspace")
    comment.press("Backspace")
    comment.press("Backspace")  # the " @br" stays unmentioned: no id was picked for it

    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.get_by_role("button", name=words["save"]).click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    mails = [m for m in outbox(app) if m.kind == "exchange_mention"]
    assert [m.to_email for m in mails] == [a.member_email]

    # The mentioned member: on their home page, and under the Mentions filter.
    page.context.clear_cookies()
    log_in_reading(page, a.member_email, lang)
    widget = page.locator("#widget-mentions")
    expect(widget.locator("li")).to_have_count(1)
    expect(widget).to_contain_text("Garage Lenoir")
    expect(widget).to_contain_text(words["mentioned"])
    widget.locator("li").scroll_into_view_if_needed()
    review_shot(page, f"mentions-home-{lang}.png", full_page=True)
    assert_accessible(page, f"home page with a mention ({lang})")
    page.set_viewport_size({"width": 375, "height": 812})
    review_shot(page, f"mentions-home-phone-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    widget.locator(".widget-more a").click()
    expect(page).to_have_url(re.compile(r"/exchanges/\?mentions=1$"))
    expect(page.locator("#exchange-results tbody tr")).to_have_count(1)
    expect(page.locator("#exchange-results")).to_contain_text("Garage Lenoir")
    expect(page.get_by_label(words["filter"])).to_be_checked()
    review_shot(page, f"mentions-list-{lang}.png", full_page=True)
    assert_accessible(page, f"All exchanges, Mentions filter ({lang})")
    page.set_viewport_size({"width": 375, "height": 812})
    page.locator(".filters-panel summary").click()  # on a phone the filters fold away
    expect(page.get_by_label(words["filter"])).to_be_visible()
    review_shot(page, f"mentions-list-phone-{lang}.png", full_page=True)
    problems.assert_none()
