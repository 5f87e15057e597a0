"""Logging exchanges in real Chromium, in French and in English: from a contact card the
history refreshes in place and the tiers card lists the exchange; from the home page a
missing tiers keeps the dialog open with its error and writes nothing."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange, ExchangeContact
from tests.e2e import support
from tests.exchange_records import records  # noqa: F401

pytestmark = pytest.mark.e2e

LANGUAGES = [("fr", "fr-FR"), ("en", "en-US")]


def say(app, text: str, lang: str) -> str:
    """``text`` as the page shows it in ``lang`` (translated once the catalog has it)."""
    with app.test_request_context(), force_locale(lang):
        return gettext(text)


def snap(page, screenshot, name: str) -> None:
    """Take a docs screenshot."""
    screenshot(name)


def exchange_count(app, tenant_id: int) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(Exchange.id)))


def add_exchanges(app, tenant_id: int, side, comments: list[str]) -> None:
    """Older exchanges with the card's other contact, so the lists have a few rows."""
    with app.app_context(), bound_tenant(tenant_id):
        now = datetime.now(UTC)
        for days, comment in enumerate(comments, start=1):
            exchange = Exchange(tiers_id=side.tiers, author_id=side.admin, made_by_id=side.admin,
                                occurred_at=now - timedelta(days=days), comment=comment)
            db.session.add(exchange)
            db.session.flush()
            db.session.add(ExchangeContact(exchange_id=exchange.id, contact_id=side.contact2))
        db.session.commit()


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_from_a_contact_card_the_histories_show_the_new_exchange(app, page, problems, tenants,
                                                                 records, screenshot, lang):
    side = records.a
    add_exchanges(app, tenants.a.id, side, ["Relance du devis DEV-001", "Visite de l’atelier"])
    support.log_in_reading(page, tenants.a.admin_email, lang)
    page.goto(f"/t/{side.slug}/contacts/{side.contact}")
    history = page.locator("#contact-exchanges")
    expect(history.locator("tbody tr")).to_have_count(0)
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    contact_url = page.url

    # The card's button: the dialog comes pre-filled with the contact and its tiers.
    page.locator("main [data-new-exchange]").click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#tiers_id")).to_have_value(str(side.tiers))
    expect(page.locator("#tiers-search")).to_have_value("Dupont Industrie")
    chosen = page.locator(f"#contacts-list input[value='{side.contact}']")
    expect(chosen).to_be_checked()
    expect(page.locator("#contacts-list input:checked")).to_have_count(1)
    comment = f"Rappel demandé ({lang}) : devis à revoir."
    page.fill("#comment", comment)
    snap(page, screenshot, f"exchange-popup-{lang}.png")

    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.get_by_role("button", name=say(app, "Save the exchange", lang)).click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)
    expect(page.locator("#toast")).to_contain_text(say(app, "Exchange saved.", lang))

    # The history refreshed itself: same page (the mark survived), one row, the comment.
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history).to_contain_text(comment)
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)
    assert page.url == contact_url
    with app.app_context(), bound_tenant(tenants.a.id):
        exchange = db.session.scalars(select(Exchange).where(Exchange.comment == comment)).one()
        assert exchange.tiers_id == side.tiers
        assert [c.id for c in exchange.contacts] == [side.contact]

    # The tiers card's Exchanges tab lists it with the older ones.
    page.goto(f"/t/{side.slug}/tiers/{side.tiers}")
    page.locator("#tiers-tab-exchanges").click()
    tiers_history = page.locator("#tiers-exchanges")
    expect(tiers_history.locator("tbody tr")).to_have_count(3)
    expect(tiers_history.locator("tbody tr").first).to_contain_text(comment)

    # The list of all exchanges.
    page.goto(f"/t/{side.slug}/exchanges/")
    expect(page.locator("#exchange-results tbody tr")).to_have_count(3)
    expect(page.locator("#exchange-results")).to_contain_text(comment)
    snap(page, screenshot, f"exchanges-list-{lang}.png")
    problems.assert_none()


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_without_a_tiers_the_dialog_stays_open_with_the_error(app, page, problems, tenants,
                                                              lang):
    support.log_in_reading(page, tenants.a.admin_email, lang)
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    page.fill("#comment", "Appel sans tiers")

    problems.allow(r"status of 422")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.get_by_role("button", name=say(app, "Save the exchange", lang)).click()
    assert answer.value.status == 422
    error = page.locator("#tiers_id-error")
    expect(error).to_have_text(say(app, "Choose the third party of this exchange.", lang))
    # Next to the tiers field, inside the dialog that stays open with what was typed.
    expect(page.locator("#tiers-field #tiers_id-error")).to_have_count(1)
    expect(dialog).to_be_visible()
    expect(page.locator("#comment")).to_have_value("Appel sans tiers")
    expect(page.locator("#tiers-search")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)
    assert exchange_count(app, tenants.a.id) == 0
    problems.assert_none()
