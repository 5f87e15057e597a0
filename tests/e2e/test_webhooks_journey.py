"""An administrator opens the webhooks page from the menu, adds an endpoint pointing at a
real local receiver, copies its secret (shown once), sends a test event that arrives
signed, then sees a failed answer logged with its code and sends it again — in real
Chromium, in French and in English, with no accessibility violation."""

import json
import re

import pytest
from playwright.sync_api import expect
from standardwebhooks.webhooks import Webhook

from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.smtp import run_queued_jobs

pytestmark = pytest.mark.e2e

WORDS = {
    "fr": {"more": "Plus", "empty": "Aucun point de terminaison pour l'instant",
           "add": "Ajouter un point de terminaison", "address": "Adresse du point de terminaison",
           "save": "Ajouter le point de terminaison", "copy": "Copier le secret",
           "copied": "Copié", "test": "Envoyer un événement de test", "sent": "Envoyé",
           "again": "Renvoyer", "waiting": "En attente", "next": "Prochaine tentative",
           "none": "Choisissez au moins un événement."},
    "en": {"more": "More", "empty": "No endpoint yet", "add": "Add an endpoint",
           "address": "Endpoint address", "save": "Add the endpoint", "copy": "Copy the secret",
           "copied": "Copied", "test": "Send a test event", "sent": "Sent",
           "again": "Send again", "waiting": "Waiting", "next": "Next attempt",
           "none": "Choose at least one event."},
}


def delivery_row(page, event_type: str):
    return page.locator("tr.delivery-row", has_text=event_type).first


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_an_admin_adds_an_endpoint_and_follows_its_deliveries(app, page, problems, tenants,
                                                              receiver, private_targets, lang):
    words = WORDS[lang]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in_reading(page, tenants.a.admin_email, lang)

    # From the menu to the empty page, which says what webhooks are.
    page.locator("#more-menu summary").click()
    page.locator("#more-menu").get_by_role("link", name="Webhooks").click()
    expect(page).to_have_url(re.compile(r"/t/alpha-conseil/webhooks/$"))
    expect(page.locator(".webhooks-empty")).to_contain_text(words["empty"])
    assert_accessible(page, f"webhooks page, empty ({lang})")
    review_shot(page, f"webhooks-empty-{lang}.png", full_page=True)

    # The form: nothing chosen is refused with its message; "all of them" ticks a record.
    page.get_by_role("button", name=words["add"]).click()
    page.wait_for_load_state("load")  # webhooks.js drives the "all of them" boxes
    page.get_by_label(words["address"]).fill(receiver.url)
    page.get_by_label("Description").fill("Synchro compta")
    problems.allow(r"status of 422")  # the form refused on purpose, below
    page.get_by_role("button", name=words["save"]).click()
    expect(page.locator("#events-error")).to_have_text(words["none"])
    page.wait_for_load_state("load")
    page.locator("#all-tiers").check()
    for action in ("created", "updated", "deleted"):
        expect(page.locator(f'[id="event-tiers.{action}"]')).to_be_checked()
    page.locator('[id="event-exchange.status_changed"]').check()
    page.locator('[id="event-tiers.deleted"]').uncheck()
    assert page.locator("#all-tiers").evaluate("box => box.indeterminate")
    assert_accessible(page, f"webhook endpoint form ({lang})")
    review_shot(page, f"webhooks-form-{lang}.png", full_page=True)
    page.get_by_role("button", name=words["save"]).click()

    # The secret, shown once, copied.
    secret_box = page.locator("#new-secret")
    expect(secret_box).to_have_value(re.compile(r"^whsec_"))
    secret = secret_box.input_value()
    page.wait_for_load_state("load")
    page.get_by_role("button", name=words["copy"]).click()
    expect(page.locator(".copy-status")).to_have_text(words["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == secret
    assert_accessible(page, f"webhook endpoint, new secret ({lang})")
    review_shot(page, f"webhooks-secret-{lang}.png", full_page=True)

    # A test event: it arrives signed with the secret, and the log says 200.
    page.get_by_role("button", name=words["test"]).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("#new-secret")).to_have_count(0)  # never shown again
    run_queued_jobs(app)
    # The shared receiver (tests/webhook_support.py); private_targets lets ct reach it.
    [got] = receiver.got
    body, headers = got.body, got.headers
    Webhook(secret).verify(body, headers)  # raises when the signature does not match
    assert json.loads(body)["type"] == "ping"
    page.reload()
    ping = delivery_row(page, "ping")
    expect(ping).to_contain_text(words["sent"])
    expect(ping).to_contain_text("200")

    # The receiver fails: sent again, the answer's code is logged and a retry planned.
    receiver.answers = [500]
    ping.get_by_role("button", name=re.compile(words["again"])).click()
    expect(page.locator(".flash-success")).to_be_visible()
    run_queued_jobs(app)
    assert len(receiver.got) == 2
    assert receiver.got[1].headers["webhook-id"] == headers["webhook-id"]  # the same message
    page.reload()
    ping = delivery_row(page, "ping")
    expect(ping).to_contain_text("500")
    expect(ping).to_contain_text(words["waiting"])
    expect(ping).to_contain_text(words["next"])
    assert_accessible(page, f"webhook endpoint card with its log ({lang})")
    review_shot(page, f"webhooks-card-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 375, "height": 812})
    review_shot(page, f"webhooks-card-phone-{lang}.png", full_page=True)

    # The list sums it up.
    page.goto("/t/alpha-conseil/webhooks/")
    row = page.locator("tr", has_text=receiver.url)
    expect(row).to_contain_text("Synchro compta")
    expect(row).to_contain_text("500")
    review_shot(page, f"webhooks-list-phone-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    review_shot(page, f"webhooks-list-{lang}.png", full_page=True)
    problems.assert_none()
