"""Closing the pop-up unsaved after creating a tiers and a contact in it, in real
Chromium: it says what was created and offers to remove it, keep it, or go back."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Tiers
from tests.e2e.support import log_in_reading

pytestmark = pytest.mark.e2e


def names(app, tenant_id: int) -> tuple[list[str], list[str]]:
    with app.app_context(), bound_tenant(tenant_id):
        return (list(db.session.scalars(select(Tiers.name))),
                list(db.session.scalars(select(Contact.last_name))))


def create_inline(page) -> None:
    """A tiers and one of its contacts, through the pop-up's sub-forms."""
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.locator("#exchange-dialog")).to_be_visible()
    page.fill("#tiers-search", "Garage Lenoir")
    page.locator("#new-tiers-button").click()
    page.locator("#inline-tiers [data-subform-submit]").click()
    expect(page.locator("#tiers-field .locked-value")).to_contain_text("Garage Lenoir")
    page.locator("#new-contact-button").click()
    page.fill("#new_contact-first_name", "Zoé")
    page.fill("#new_contact-last_name", "Lenoir")
    page.keyboard.press("Enter")  # sends the sub-form
    expect(page.locator("#contacts-list label", has_text="Zoé Lenoir")).to_have_count(1)
    page.fill("#comment", "Premier appel")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_closing_unsaved_offers_to_remove_what_was_created(app, page, problems, tenants,
                                                           lang):
    log_in_reading(page, tenants.a.admin_email, lang)
    create_inline(page)
    dialog = page.locator("#exchange-dialog")
    question = page.locator("#inline-undo")

    # Escape asks first; Escape again (or "Back") returns to the exchange as it was.
    page.locator("#comment").press("Escape")
    expect(question).to_be_visible()
    expect(question.locator("li")).to_have_count(2)
    expect(question).to_contain_text("Garage Lenoir")
    expect(question).to_contain_text("Zoé Lenoir")
    expect(question.locator("[data-inline-remove]")).to_be_focused()
    page.keyboard.press("Escape")
    expect(question).to_be_hidden()
    expect(page.locator("#comment")).to_have_value("Premier appel")
    expect(page.locator("#comment")).to_be_focused()

    # Cancel asks too; "Remove them" removes both, closes, and says so.
    dialog.locator("footer [data-close-dialog]").click()
    expect(question).to_be_visible()
    question.locator("[data-inline-remove]").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#toast")).to_contain_text("Garage Lenoir")
    assert names(app, tenants.a.id) == ([], [])
    problems.assert_none()


def test_keep_them_closes_and_keeps_both(app, page, problems, tenants):
    log_in_reading(page, tenants.a.admin_email, "fr")
    create_inline(page)
    page.locator("#comment").press("Escape")
    page.locator("#inline-undo [data-inline-keep]").click()
    expect(page.locator("#exchange-dialog")).to_have_count(0)
    assert names(app, tenants.a.id) == (["Garage Lenoir"], ["Lenoir"])

    # A pop-up with nothing created closes at once.
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(page.locator("#exchange-dialog")).to_be_visible()
    page.fill("#comment", "Rien de créé")
    page.locator("#comment").press("Escape")
    expect(page.locator("#exchange-dialog")).to_have_count(0)
    problems.assert_none()
