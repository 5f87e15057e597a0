"""A member makes an API token from the account page, copies it (shown once), sees when
it was last used and revokes it after a confirmation — in real Chromium, in French and
in English, with no accessibility violation."""
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible

pytestmark = pytest.mark.e2e

WORDS = {
    "fr": {"link": "Mes jetons d'API dans Alpha Conseil", "copied": "Copié",
           "never": "Jamais", "revoked": "Révoqué le", "create": "Créer le jeton",
           "copy": "Copier le jeton", "revoke": "Révoquer", "name": "Nom du jeton"},
    "en": {"link": "My API tokens in Alpha Conseil", "copied": "Copied", "never": "Never",
           "revoked": "Revoked on", "create": "Create the token", "copy": "Copy the token",
           "revoke": "Revoke", "name": "Token name"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_member_creates_copies_and_revokes_a_token(page, problems, tenants, lang):
    words = WORDS[lang]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in_reading(page, tenants.a.member_email, lang)
    page.goto("/account")
    page.get_by_role("link", name=words["link"]).click()
    expect(page).to_have_url(re.compile(r"/t/alpha-conseil/api-tokens/$"))
    assert_accessible(page, f"API tokens page, empty ({lang})")

    page.get_by_label(words["name"]).fill("Synchro compta")
    page.get_by_role("button", name=words["create"]).click()
    secret = page.locator("#new-token")
    expect(secret).to_have_value(re.compile(r"^ct_\d+_"))
    token = secret.input_value()
    # The copy button works once the page's deferred scripts have run (copy.js).
    page.wait_for_load_state("load")
    page.get_by_role("button", name=words["copy"]).click()
    expect(page.locator(".copy-status")).to_have_text(words["copied"])
    assert page.evaluate("navigator.clipboard.readText()") == token
    assert_accessible(page, f"API tokens page, new token shown ({lang})")
    review_shot(page, f"tokens-new-{lang}.png", full_page=True)

    # The token works, is never shown again, and the list says when it was last used.
    api = page.request.get("/api/v1/tiers/", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 200
    page.goto("/t/alpha-conseil/api-tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    row = page.locator("tr", has_text="Synchro compta")
    expect(row).not_to_contain_text(words["never"])
    page.set_viewport_size({"width": 375, "height": 812})
    review_shot(page, f"tokens-list-phone-{lang}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Revoking asks first; "no" keeps it, "yes" stops it at once.
    questions = []

    def answer(accept):
        def handle(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handle

    page.once("dialog", answer(False))
    row.get_by_role("button", name=re.compile(words["revoke"])).click()
    expect(row).not_to_contain_text(words["revoked"])
    assert "Synchro compta" in questions[0]
    page.once("dialog", answer(True))
    with page.expect_navigation():
        row.get_by_role("button", name=re.compile(words["revoke"])).click()
    expect(page.locator("tr", has_text="Synchro compta")).to_contain_text(words["revoked"])
    api = page.request.get("/api/v1/tiers/", headers={"Authorization": f"Bearer {token}"})
    assert api.status == 401
    assert_accessible(page, f"API tokens page, revoked ({lang})")
    problems.assert_none()
