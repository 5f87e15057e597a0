"""WCAG 2.1 AA in real Chromium: axe-core (from the npm registry) audits the main pages,
the exchange pop-up (empty and with its errors) and the shortcuts help, in light and in
dark mode, and finds nothing to report. The pop-up is a real modal for keyboard users."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import json
import re

import pytest
from flask import url_for
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT
from tests.e2e.support import log_in
from tests.exchange_data import add, world  # noqa: F401 — fixture
from tests.test_email_log import add_email

pytestmark = pytest.mark.e2e

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, context: str = "document") -> list[str]:
    """What axe finds against WCAG 2.1 A and AA, one readable line per failing element.

    The script goes in through the DevTools protocol (page.evaluate), which the page's
    strict Content-Security-Policy does not apply to: the app's CSP stays as it is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async ([context, tags]) => {
            const root = context === "document" ? document : document.querySelector(context);
            const found = await axe.run(root, { runOnly: { type: "tag", values: tags } });
            return found.violations;
        }""",
        [context, WCAG_AA],
    )
    return [
        f"{v['id']} ({v['impact']}): {node['target']} — {node['failureSummary']}"
        for v in result
        for node in v["nodes"]
    ]


def assert_accessible(page, what: str, context: str = "document") -> None:
    found = axe_violations(page, context)
    assert found == [], f"{what}: " + json.dumps(found, indent=1, ensure_ascii=False)


def urls(app, w) -> dict[str, str]:
    """The main pages of company A, by name."""
    with app.test_request_context():
        def at(endpoint, **values):
            return url_for(endpoint, slug=w.slug, **values)

        return {
            "home": at("home.index"),
            "tiers list": at("tiers.index"),
            "tiers card": at("tiers.card", tiers_id=w.tiers["dupont"]),
            "contact card": at("contacts.show", contact_id=w.contacts["jeanne"]),
            "exchanges list": at("exchange_list.index"),
            "agenda": at("agenda.index"),
            "settings": at("settings.index"),
            "members": at("members.index"),
            "email log": at("email_log.index"),
        }


@pytest.fixture
def filled(app, world):
    """Company A with exchanges in every status and a couple of emails in the log."""
    w = world
    for i, status in enumerate(["todo", "in_progress", "closed"]):
        add(w, w.tiers["dupont"], w.admin_id, minutes=i, status=status,
            comment=f"Appel {status}", contacts=[w.contacts["jeanne"]])
    add_email(app, w.tenant_id, "jeanne@dupont.fr")
    add_email(app, w.tenant_id, "paul@dupont.fr", status="failed", last_error="Refused")
    return w


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_main_pages_have_no_wcag_violations(app, page, problems, filled, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    log_in(page, "alice@alpha.fr")
    pages = urls(app, filled)
    if color_scheme == "dark":  # the pages with the most colours
        pages = {k: pages[k] for k in ("home", "exchanges list", "tiers card")}
    failures = {}
    for name, address in pages.items():
        page.goto(address)
        page.wait_for_load_state("load")
        found = axe_violations(page)
        if found:
            failures[name] = found
    assert failures == {}, json.dumps(failures, indent=1, ensure_ascii=False)
    problems.assert_none()


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_exchange_popup_is_an_accessible_modal(app, page, problems, filled, color_scheme):
    page.emulate_media(color_scheme=color_scheme)
    log_in(page, "alice@alpha.fr")
    page.goto(urls(app, filled)["exchanges list"])
    page.wait_for_load_state("load")
    dialog = page.locator("#exchange-dialog")
    button = page.locator("main [data-new-exchange]").first

    # The button opens a modal and the focus moves into it.
    button.click()
    expect(dialog).to_be_visible()
    assert page.evaluate("document.getElementById('exchange-dialog').matches(':modal')")
    expect(page.locator("#tiers-search")).to_be_focused()
    assert_accessible(page, "the open pop-up")

    # Tab and Shift+Tab cycle inside it: the focus never reaches the page behind.
    inside = "() => document.getElementById('exchange-dialog').contains(document.activeElement)"
    for _ in range(40):
        page.keyboard.press("Tab")
        assert page.evaluate(inside), "Tab left the pop-up"
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(inside), "Shift+Tab left the pop-up"

    # Sent empty: the errors are announced and tied to their fields, axe still happy.
    problems.allow(r"status of 422")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.locator("button[type=submit]").click()
    assert answer.value.status == 422
    search = page.locator("#tiers-search")
    expect(search).to_be_focused()
    expect(search).to_have_attribute("aria-invalid", "true")
    described = search.get_attribute("aria-describedby") or ""
    assert "tiers_id-error" in described.split()
    expect(dialog.locator("#exchange-form > [role=alert]")).to_be_visible()
    assert_accessible(page, "the pop-up with its errors")

    # Escape closes it and the focus goes back to the button that opened it.
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()
    problems.assert_none()


def test_shortcuts_help_is_accessible(app, page, problems, filled):
    log_in(page, "alice@alpha.fr")
    page.keyboard.press("?")
    help_dialog = page.locator("#shortcuts-help")
    expect(help_dialog).to_be_visible()
    assert_accessible(page, "the shortcuts help")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    problems.assert_none()


def test_status_is_never_colour_only(app, page, filled):
    """Each status carries its words and an icon, not only a colour: in the badge a reader
    sees, and in the status menu of each row a writer gets."""
    log_in(page, "alice@alpha.fr")
    page.goto(urls(app, filled)["exchanges list"])
    menus = page.locator("#exchange-results select.inline-status")
    expect(menus).to_have_count(3)
    icons = set()
    for menu in menus.all():
        icon, _, words = menu.locator("option:checked").inner_text().strip().partition(" ")
        assert icon and words.strip(), f"status {menu.inner_text()!r}: an icon and words each"
        icons.add(icon)
    assert len(icons) == 3, "each status has its own icon"
    page.goto(f"/t/{filled.slug}/exchanges/history?tiers={filled.tiers['dupont']}")
    badges = page.locator(".status-badge")
    expect(badges).to_have_count(3)
    for badge in badges.all():
        icon = badge.locator("[aria-hidden=true]").inner_text().strip()
        words = badge.inner_text().replace(icon, "").strip()
        assert icon and words, f"badge {badge.inner_text()!r}: an icon and words each"


def test_a_button_is_busy_while_its_request_runs(app, page, problems, filled):
    """aria-busy (Pico's spinner, announced by screen readers) from the click until htmx
    says the request is over — answered or failed."""
    log_in(page, "alice@alpha.fr")
    page.goto(urls(app, filled)["exchanges list"])
    page.wait_for_load_state("load")
    button = page.locator("main [data-new-exchange]").first
    held = []
    page.route(re.compile(r"/exchanges/new"), lambda route: held.append(route))

    button.click()
    expect(button).to_have_attribute("aria-busy", "true")
    held.pop().continue_()
    expect(page.locator("#exchange-dialog")).to_be_visible()
    expect(button).not_to_have_attribute("aria-busy", "true")
    page.keyboard.press("Escape")

    # A request that fails leaves no button spinning for ever.
    problems.allow(r"Failed to load resource|net::ERR_FAILED|htmx")
    button.click()
    expect(button).to_have_attribute("aria-busy", "true")
    held.pop().abort()
    expect(button).not_to_have_attribute("aria-busy", "true")


def test_removing_someone_asks_first_and_says_what_will_happen(app, page, problems, tenants):
    log_in(page, "alice@alpha.fr")
    with app.test_request_context():
        page.goto(url_for("groups.card", slug=tenants.a.slug, group_id=tenants.a.group_id))
    members = page.locator("#group-members")
    expect(members).to_contain_text("Member Alpha Conseil")
    questions = []

    def answer(accept):
        def handle(dialog):
            questions.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()
        return handle

    # "No": nothing is sent, the member stays.
    page.once("dialog", answer(False))
    members.locator("form[data-confirm] button").click()
    expect(members).to_contain_text("Member Alpha Conseil")
    assert "Member Alpha Conseil" in questions[0] and "Team Alpha Conseil" in questions[0]
    expect(members.locator("button[aria-busy]")).to_have_count(0)

    # "Yes": removed.
    page.once("dialog", answer(True))
    with page.expect_navigation():
        members.locator("form[data-confirm] button").click()
    expect(members).not_to_contain_text("Member Alpha Conseil")
    problems.assert_none()
