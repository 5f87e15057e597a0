"""A script's contact through the REST API is the pages' contact: made with a token, it
shows on the contacts list and its card with its third party; deleted with the token,
it waits in the Trash page, where a click brings it back — in real Chromium, in French
and in English."""
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import api_tiers, log_in_reading, review_shot

pytestmark = pytest.mark.e2e

RESTORE = {"fr": "Restaurer", "en": "Restore"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_contact_made_and_deleted_by_the_api_is_the_pages_contact(
        app, page, problems, tenants, lang):
    auth, tiers_id = api_tiers(page, app, tenants, "Dupont Industrie")
    made = page.request.post("/api/v1/contacts/", headers=auth, data={
        "first_name": "Marie", "last_name": "Martin", "job_title": "Acheteuse",
        "tiers_id": tiers_id})
    assert made.status == 201, made.text()
    contact_id = made.json()["id"]

    log_in_reading(page, tenants.a.admin_email, lang)
    page.goto("/t/alpha-conseil/contacts/")
    row = page.locator("tr", has_text="Martin")
    expect(row).to_contain_text("Dupont Industrie")
    review_shot(page, f"contacts-from-api-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    review_shot(page, f"contacts-from-api-phone-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/t/alpha-conseil/contacts/{contact_id}")
    expect(page.locator("main")).to_contain_text("Acheteuse")

    gone = page.request.delete(f"/api/v1/contacts/{contact_id}", headers=auth)
    assert gone.status == 204
    page.goto("/t/alpha-conseil/trash/")
    item = page.locator("tr, li", has_text="Marie Martin").first
    expect(item).to_be_visible()
    review_shot(page, f"trash-from-api-{lang}.png", full_page=True)
    with page.expect_navigation():
        item.get_by_role("button", name=RESTORE[lang]).click()
    back = page.request.get(f"/api/v1/contacts/{contact_id}", headers=auth)
    assert back.status == 200 and back.json()["last_name"] == "Martin"
    page.goto("/t/alpha-conseil/contacts/")
    expect(page.locator("tr", has_text="Martin")).to_contain_text("Dupont Industrie")
    expect(page).to_have_url(re.compile(r"/contacts/$"))
    problems.assert_none()
