"""A script's exchange through the REST API is the pages' exchange: found its contact by
email, made with a token, it shows on the All exchanges list and on its card with its
third party and contact; its status changed with the token shows on the card; deleted
with the token, it waits in the Trash page, where a click brings it back — in real
Chromium, in French and in English."""
# ruff: noqa: F811

import pytest
from playwright.sync_api import expect

from tests.e2e.support import api_tiers, log_in_reading, review_shot

pytestmark = pytest.mark.e2e

RESTORE = {"fr": "Restaurer", "en": "Restore"}
TODO = {"fr": "À traiter", "en": "To do"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_exchange_made_and_deleted_by_the_api_is_the_pages_exchange(
        app, page, problems, tenants, lang):
    auth, tiers_id = api_tiers(page, app, tenants, "Dupont Industrie")
    page.request.post("/api/v1/contacts/", headers=auth, data={
        "first_name": "Marie", "last_name": "Martin", "email": "marie@dupont.fr",
        "tiers_id": tiers_id})
    found = page.request.get("/api/v1/contacts/?q=marie@dupont.fr", headers=auth)
    contact = found.json()["items"][0]
    made = page.request.post("/api/v1/exchanges/", headers=auth, data={
        "tiers_id": contact["tiers_id"], "contact_ids": [contact["id"]],
        "occurred_at": "2026-03-10T14:30:00+01:00", "comment": "Rappeler pour le devis"})
    assert made.status == 201, made.text()
    exchange_id = made.json()["id"]

    log_in_reading(page, tenants.a.admin_email, lang)
    page.goto("/t/alpha-conseil/exchanges/")
    row = page.locator("tr, li", has_text="Rappeler pour le devis").first
    expect(row).to_contain_text("Dupont Industrie")
    expect(row).to_contain_text("Marie Martin")
    review_shot(page, f"exchanges-from-api-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    review_shot(page, f"exchanges-from-api-phone-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    changed = page.request.patch(f"/api/v1/exchanges/{exchange_id}", headers={
        **auth, "If-Match": made.headers["etag"]}, data={"status": "todo"})
    assert changed.status == 200, changed.text()
    page.goto(f"/t/alpha-conseil/exchanges/{exchange_id}")
    card = page.locator("main")
    expect(card).to_contain_text("Rappeler pour le devis")
    expect(card).to_contain_text(TODO[lang])
    review_shot(page, f"exchange-card-from-api-{lang}.png", full_page=True)

    gone = page.request.delete(f"/api/v1/exchanges/{exchange_id}", headers=auth)
    assert gone.status == 204
    page.goto("/t/alpha-conseil/trash/")
    item = page.locator("tr, li", has_text="Dupont Industrie").first
    expect(item).to_be_visible()
    with page.expect_navigation():
        item.get_by_role("button", name=RESTORE[lang]).click()
    back = page.request.get(f"/api/v1/exchanges/{exchange_id}", headers=auth)
    assert back.status == 200 and back.json()["contacts"][0]["id"] == contact["id"]
    page.goto("/t/alpha-conseil/exchanges/")
    expect(page.locator("tr, li", has_text="Rappeler pour le devis").first).to_be_visible()
    problems.assert_none()
