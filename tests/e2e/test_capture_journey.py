"""A member copies their capture address from the account page, an email sent to it
over SMTP names someone ct does not know, it waits in To classify (counted in the menu),
one click creates the contact and the exchange shows on the list — in real Chromium, in
French and in English, with no accessibility violation."""
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.capture_support import mail, make_contact
from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.smtp import run_queued_jobs

pytestmark = pytest.mark.e2e

WORDS = {
    "fr": {"link": "Mon adresse de capture dans Alpha Conseil",
           "get": "Obtenir mon adresse de capture", "copy": "Copier l'adresse",
           "copied": "Copié", "counter": "1 à classer", "classify": "Classer",
           "create": "Créer le contact et enregistrer l'échange",
           "logged": "L'échange avec Prospect SA est enregistré.", "empty": "Rien à classer"},
    "en": {"link": "My capture address in Alpha Conseil", "get": "Get my capture address",
           "copy": "Copy the address", "copied": "Copied", "counter": "1 to classify",
           "classify": "Classify", "create": "Create the contact and log the exchange",
           "logged": "The exchange with Prospect SA is logged.", "empty": "Nothing to classify"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_captured_email_from_a_stranger_becomes_a_contact_in_one_click(
        app, page, problems, tenants, capture, lang):
    words = WORDS[lang]
    make_contact(app, tenants.a.id, "Prospect SA", None, tiers_email="contact@prospect.fr")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in_reading(page, tenants.a.member_email, lang)
    page.goto("/account")
    page.get_by_role("link", name=words["link"]).click()
    expect(page).to_have_url(re.compile(r"/t/alpha-conseil/capture/$"))
    with page.expect_navigation():
        page.get_by_role("button", name=words["get"]).click()
    field = page.locator("#capture-address")
    expect(field).to_have_value(re.compile(r"^log-[a-z2-7]{32}@capture\.ct\.localhost$"))
    page.wait_for_load_state("load")  # copy.js is deferred
    page.get_by_role("button", name=words["copy"]).click()
    expect(page.locator(".copy-status")).to_have_text(words["copied"])
    address = page.evaluate("navigator.clipboard.readText()")
    assert address == field.input_value()
    assert_accessible(page, f"capture address page ({lang})")
    review_shot(page, f"capture-address-{lang}.png", full_page=True)

    # The member Bcc's the address on an email to someone ct does not know yet.
    capture.send(mail(to="Nora Petit <nora@prospect.fr>", sender=tenants.a.member_email,
                      subject="Proposition commerciale",
                      body="Bonjour Nora,\n\nVoici notre proposition."), [address],
                 sender=tenants.a.member_email)
    run_queued_jobs(app)

    page.goto("/t/alpha-conseil/")
    counter = page.locator("#count-to-classify")
    expect(counter).to_contain_text(words["counter"])
    counter.click()
    expect(page).to_have_url(re.compile(r"/t/alpha-conseil/exchanges/to-classify/$"))
    row = page.locator("tr", has_text="Proposition commerciale")
    expect(row).to_contain_text("nora@prospect.fr")
    assert_accessible(page, f"to classify list ({lang})")
    review_shot(page, f"capture-to-classify-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    review_shot(page, f"capture-to-classify-phone-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    row.get_by_role("button", name=words["classify"]).click()
    expect(page.get_by_label(re.compile("Prénom|First name"))).to_have_value("Nora")
    expect(page.get_by_label(re.compile("^Nom$|Last name"))).to_have_value("Petit")
    expect(page.locator("#tiers_id option:checked")).to_have_text("Prospect SA")
    assert_accessible(page, f"classify form ({lang})")
    review_shot(page, f"capture-classify-{lang}.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name=words["create"]).click()
    expect(page.get_by_text(words["logged"])).to_be_visible()
    expect(page.get_by_text(words["empty"])).to_be_visible()

    page.goto("/t/alpha-conseil/exchanges/")
    listed = page.locator("tr", has_text="Proposition commerciale")
    expect(listed).to_contain_text("Prospect SA")
    expect(listed).to_contain_text("Nora Petit")
    review_shot(page, f"capture-exchange-listed-{lang}.png")
    problems.assert_none()
