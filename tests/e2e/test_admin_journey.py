"""An admin reshapes the company and a member's rights; the member, in a second browser,
sees the change on the next page: the new contact modes in the exchange form, no create
button on the tiers card, the floating button everywhere, and only their own exchanges.

tests/e2e/test_settings_journey.py covers the list editors and the product picker in
place; this journey follows the settings to the pages of another member.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.admin_support import make_exchange
from tests.e2e.conftest import _CSP_LISTENER, DESKTOP, TIMEOUT_MS
from tests.e2e.support import log_in
from tests.exchange_records import records  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


@pytest.fixture
def member_page(browser, live_server, csrf_enabled, problems):
    """A second browser (its own cookies) for the member, watched like the first."""
    context = browser.new_context(base_url=live_server, locale="fr-FR",
                                  timezone_id="Europe/Paris", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_function("ctReportViolation", lambda text: problems.add(f"member: {text}"))
    context.add_init_script(_CSP_LISTENER)
    page = context.new_page()
    page.on("console",
            lambda msg: msg.type == "error" and problems.add(f"member console: {msg.text}"))
    page.on("pageerror", lambda error: problems.add(f"member uncaught: {error}"))
    page.on("response", lambda response: response.status >= 500 and problems.add(
        f"member HTTP {response.status} {response.request.method} {response.url}"))
    yield page
    context.close()


def save_settings(page) -> None:
    url = page.url
    with page.expect_navigation(url=url):
        page.locator("#settings-form button[type=submit]").last.click()
    expect(page.locator(".flash-success")).to_be_visible()


def integrated_buttons(page):
    return page.locator("[data-new-exchange]:not(.new-exchange-floating)")


def test_admin_settings_and_rights_reach_the_members_pages(app, page, member_page, problems,
                                                           tenants, records):  # noqa: F811
    slug, a = tenants.a.slug, records.a
    make_exchange(app, tenants.a.id, a.admin, comment="Appel ADMINMARK")
    make_exchange(app, tenants.a.id, a.member, comment="Appel OWNMARK")
    member = member_page

    # Before: the member reads every exchange and finds the create button on the card.
    log_in(member, tenants.a.member_email)
    member.goto(f"/t/{slug}/exchanges/")
    expect(member.locator("main")).to_contain_text("ADMINMARK")
    member.goto(f"/t/{slug}/tiers/{a.tiers}")
    expect(integrated_buttons(member)).to_have_count(1)

    # The admin adds a contact mode and renames another.
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{slug}/settings/")
    modes = page.locator("#list-mode")
    modes.locator("#mode-new-label").fill("Messagerie instantanée")
    with page.expect_response(re.compile(r"/lists/mode/add$")) as answer:
        modes.locator("#mode-new-label").press("Enter")
    assert answer.value.status == 200
    expect(modes.locator("ol > li").last.locator("input[name$='-label']").first) \
        .to_have_value("Messagerie instantanée")
    letter = modes.locator("ol > li").filter(has=page.locator("input[value='Courrier']"))
    letter.locator("input[name$='-label']").first.fill("Lettre recommandée")
    with page.expect_response(re.compile(r"/rename$")) as answer:
        letter.locator("input[name$='-label']").first.press("Enter")
    assert answer.value.status == 200

    # Hides the integrated button on the tiers card only.
    page.reload()
    page.locator("#hidden-page-tiers").check()
    save_settings(page)
    page.goto(f"/t/{slug}/tiers/{a.tiers}")
    expect(integrated_buttons(page)).to_have_count(0)
    page.goto(f"/t/{slug}/contacts/{a.contact}")
    expect(integrated_buttons(page)).to_have_count(1)

    # Then switches to the floating button.
    page.goto(f"/t/{slug}/settings/")
    page.locator("input[name=button_mode][value=floating]").check()
    save_settings(page)
    expect(page.locator(".new-exchange-floating")).to_have_count(1)

    # Restricts the member to their own exchanges with the preset of the Permissions tab.
    page.goto(f"/t/{slug}/members/{a.member}")
    page.locator("main nav a[href$='/permissions']").click()
    expect(page).to_have_url(re.compile(r"/permissions$"))
    with page.expect_navigation():
        page.locator("button[name=preset][value=restricted]").click()
    expect(page.locator("input[value='exchanges.read_own']")).to_be_checked()
    expect(page.locator("input[value='exchanges.read_all']")).not_to_be_checked()
    expect(page.locator("input[value='records.manage']")).not_to_be_checked()

    # After: the member's next pages follow, without logging in again.
    member.goto(f"/t/{slug}/exchanges/")
    expect(member.locator("main")).to_contain_text("OWNMARK")
    expect(member.locator("main")).not_to_contain_text("ADMINMARK")
    expect(member.locator("a[href$='export.csv']")).to_have_count(0)
    for path in ("/", "/tiers/", f"/tiers/{a.tiers}", "/contacts/", f"/contacts/{a.contact}",
                 "/exchanges/", "/agenda/", "/projects/tasks"):
        member.goto(f"/t/{slug}{path}")
        expect(member.locator(".new-exchange-floating")).to_have_count(1)
        expect(integrated_buttons(member)).to_have_count(0)
    member.goto(f"/t/{slug}/tiers/{a.tiers}")
    expect(member.locator(f"a[href$='/tiers/{a.tiers}/edit']")).to_have_count(0)

    # The floating button opens the form; its mode list is the admin's new one.
    member.wait_for_load_state("load")
    member.locator(".new-exchange-floating").click()
    dialog = member.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    options = dialog.locator("#mode_id option")
    expect(options.filter(has_text="Messagerie instantanée")).to_have_count(1)
    expect(options.filter(has_text="Lettre recommandée")).to_have_count(1)
    expect(options.filter(has_text=re.compile(r"^Courrier$"))).to_have_count(0)
    problems.assert_none()
