"""The exchange pop-up in real Chromium: open it from anywhere, create the tiers and the
contact inline, add a task and an event, save — without ever reloading the page."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Exchange, Project, Tiers
from ct.web.lookups import OPTIONS_MAX
from tests.e2e.support import log_in, log_in_reading
from tests.exchange_records import records, set_settings  # noqa: F401

pytestmark = pytest.mark.e2e


def say(app, text: str, lang: str) -> str:
    """``text`` as the page shows it in ``lang`` (translated once the catalog has it)."""
    with app.test_request_context(), force_locale(lang):
        return gettext(text)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_log_an_exchange_with_a_new_tiers_contact_task_and_event(app, page, problems, tenants,
                                                                 lang):
    log_in_reading(page, tenants.a.admin_email, lang)
    home_url = page.url
    # A mark outside the dialog: it survives fragment swaps, not a page load.
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    kept = page.locator("h1[data-kept='yes']")
    dialog = page.locator("#exchange-dialog")

    # The button opens a real modal; Escape closes it and gives the focus back.
    button = page.locator("main [data-new-exchange]")
    button.click()
    expect(dialog).to_be_visible()
    assert page.evaluate("document.getElementById('exchange-dialog').matches(':modal')")
    expect(page.locator("#tiers-search")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(button).to_be_focused()

    # "n" opens it from the keyboard (not while typing somewhere).
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    expect(dialog).to_be_visible()
    expect(page.locator("#tiers-search")).to_be_focused()

    # Saving without a tiers: the error shows on the field, the dialog stays.
    problems.allow(r"status of 422")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.get_by_role("button", name=say(app, "Save the exchange", lang)).click()
    assert answer.value.status == 422
    expect(page.locator("#tiers_id-error")).to_have_text(
        say(app, "Choose the third party of this exchange.", lang))
    expect(page.locator("#tiers-search")).to_be_focused()

    # A new tiers, inline: the field locks to it, its (empty) contacts list appears.
    page.fill("#tiers-search", "Garage Lenoir")
    page.locator("#new-tiers-button").click()
    expect(page.locator("#new_tiers-name")).to_have_value("Garage Lenoir")
    page.fill("#new_tiers-town", "Villeurbanne")
    page.locator("#inline-tiers").get_by_label(say(app, "Customer", lang)).check()
    page.locator("#inline-tiers [data-subform-submit]").click()
    expect(page.locator("#tiers-field .locked-value")).to_contain_text("Garage Lenoir")
    expect(page.locator("#tiers-search")).to_have_count(0)
    expect(page.locator("#contacts-field")).to_contain_text(
        say(app, "No contact at this third party yet.", lang))

    # A new contact, inline: added to the selection, checked.
    page.locator("#new-contact-button").click()
    page.fill("#new_contact-first_name", "Zoé")
    page.fill("#new_contact-last_name", "Lenoir")
    page.keyboard.press("Enter")  # sends the sub-form, not the exchange
    new_contact = page.locator("#contacts-list label", has_text="Zoé Lenoir").locator("input")
    expect(new_contact).to_be_checked()
    expect(page.locator("#inline-contact")).to_have_count(0)

    # Follow-ups: opening a section switches it on; switching it off and on again keeps
    # what was typed; its summary line says what it holds.
    page.fill("#comment", "Asked for a quote for two vans.")
    page.locator("#section-task > summary").click()
    expect(page.locator("#add_task")).to_be_checked()
    page.fill("#task_label", "Send the quote")
    page.locator("#add_task").uncheck()
    expect(page.locator("#task_label")).to_be_hidden()
    page.locator("#add_task").check()
    expect(page.locator("#task_label")).to_have_value("Send the quote")
    expect(page.locator("#section-task [data-section-value]")).to_have_text("Send the quote")
    page.locator("#section-event > summary").click()
    expect(page.locator("#add_event")).to_be_checked()
    page.fill("#event_title", "Visit at the garage")
    page.fill("#event_start", "2030-05-06T09:00")
    page.fill("#event_reminder_amount", "30")
    page.select_option("#event_reminder_unit", "minutes")

    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.get_by_role("button", name=say(app, "Save the exchange", lang)).click()
    assert answer.value.status == 200
    assert "exchange-saved" in answer.value.headers["hx-trigger"]
    expect(dialog).to_have_count(0)
    expect(page.locator("#toast")).to_contain_text(say(app, "Exchange saved.", lang))
    expect(page.locator("#toast a")).to_have_attribute("href", re.compile(r"/exchanges/\d+$"))
    expect(kept).to_have_count(1)  # no reload
    assert page.url == home_url

    with app.app_context(), bound_tenant(tenants.a.id):
        exchange = db.session.scalar(select(Exchange))
        assert exchange.tiers.name == "Garage Lenoir" and exchange.tiers.town == "Villeurbanne"
        assert exchange.tiers.kinds == ["customer"]
        assert [c.full_name for c in exchange.contacts] == ["Zoé Lenoir"]
        assert exchange.comment == "Asked for a quote for two vans."
        assert exchange.task.label == "Send the quote"
        assert exchange.event.title == "Visit at the garage"
        assert exchange.event.reminder_minutes == 30
        assert db.session.scalar(select(db.func.count(Tiers.id))) == 1
        assert db.session.scalar(select(db.func.count(Contact.id))) == 1

    problems.assert_none()


def test_picking_a_tiers_in_the_results_brings_its_contacts_and_documents(app, page, problems,
                                                                        tenants, records):
    """The picker's keyboard and click handling (app.js) on a listbox shaped like the one
    the search endpoints answer with (search/_results.html)."""
    log_in(page, tenants.a.admin_email)
    page.keyboard.press("n")
    expect(page.locator("#tiers-search")).to_be_focused()
    add_result = """([id, label]) => {
        const list = document.createElement("ul");
        list.id = "tiers-results";
        list.setAttribute("role", "listbox");
        const option = document.createElement("li");
        option.setAttribute("role", "option");
        option.tabIndex = -1;
        option.dataset.id = id;
        option.dataset.label = label;
        option.textContent = label;
        list.append(option);
        document.getElementById("tiers-picker-results").replaceChildren(list);
    }"""
    page.evaluate(add_result, [str(records.a.tiers), "Dupont Industrie"])
    page.keyboard.press("ArrowDown")
    expect(page.locator("#tiers-results [role=option]")).to_be_focused()
    with page.expect_response(re.compile(r"/exchanges/tiers-fields\?tiers_id=\d+$")):
        page.keyboard.press("Enter")  # chooses; never sends the exchange form
    expect(page.locator("#tiers_id")).to_have_value(str(records.a.tiers))
    expect(page.locator("#tiers-search")).to_have_value("Dupont Industrie")
    expect(page.locator("#tiers-search")).to_be_focused()
    expect(page.locator("#contacts-list label")).to_have_count(2)
    expect(page.locator("#contacts-list")).to_contain_text("Éloïse Durand")
    expect(page.locator("#document_id option", has_text="DEV-001")).to_have_count(1)

    # Typing another name forgets the choice and its contacts.
    page.keyboard.press("End")
    # (and searches: its answer must be in before the fake result below replaces it)
    with page.expect_response(re.compile(r"/exchanges/tiers-fields\?tiers_id=$")), \
            page.expect_response(re.compile(r"/search/tiers\?q=Dupont\+Industriex")):
        page.keyboard.type("x")
    expect(page.locator("#tiers_id")).to_have_value("")
    expect(page.locator("#contacts-field")).to_contain_text(say(
        app, "Choose the third party first: its contacts will be listed here.", "fr"))
    expect(page.locator("#exchange-dialog")).to_be_visible()

    # An error answer (here a tiers that no longer exists: 404) shows inside the dialog,
    # not only in the page's status region hidden behind the modal.
    problems.allow(r"status of 404")
    page.evaluate(add_result, ["999999", "Gone"])
    with page.expect_response(re.compile(r"tiers_id=999999$")) as answer:
        page.locator("#tiers-results [role=option]").click()
    assert answer.value.status == 404
    expect(page.locator("#exchange-dialog [data-dialog-status]")).to_contain_text(say(
        app, "This page does not exist, or you do not have access to it.", "fr"))
    expect(page.locator("#exchange-dialog")).to_be_visible()
    problems.assert_none()


def test_a_large_tiers_contacts_are_searched_and_added_to_the_selection(app, page, problems,
                                                                       tenants, records):
    set_settings(app, tenants.a.id, large_contacts_threshold=1)
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{tenants.a.slug}/")
    page.wait_for_load_state("load")
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    button_url = f"/t/{tenants.a.slug}/exchanges/new?contact={records.a.contact}"
    page.evaluate("""(url) => htmx.ajax("GET", url, {target: "#dialog-slot", swap: "innerHTML"})""",
                  button_url)
    expect(page.locator("#exchange-dialog")).to_be_visible()
    checked = page.locator("#contacts-list input:checked")
    expect(checked).to_have_count(1)  # only the chosen contact is listed, not all of them
    with page.expect_response(re.compile(r"/search/contacts\?")):
        page.fill("#contacts-search", "bern")
    option = page.locator("#contacts-results [role=option]", has_text="Paul Bernard")
    option.click()
    expect(checked).to_have_count(2)
    expect(page.locator("#contacts-search")).to_have_value("")
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        page.locator("#exchange-dialog button[type=submit]").click()
    assert answer.value.status == 200
    expect(page.locator("#exchange-dialog")).to_have_count(0)
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)
    with app.app_context(), bound_tenant(tenants.a.id):
        exchange = db.session.scalar(select(Exchange))
        assert sorted(c.id for c in exchange.contacts) == sorted(
            [records.a.contact, records.a.contact2])
    problems.assert_none()


def test_a_project_is_found_by_its_search_box_and_saved(app, page, problems, tenants, records):
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add_all(Project(reference=f"GEN-{n:04d}", title=f"Chantier {n}")
                           for n in range(OPTIONS_MAX))
        db.session.commit()
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{tenants.a.slug}/exchanges/new?tiers={records.a.tiers}")
    page.wait_for_load_state("load")
    projects = page.locator("#project_id")
    expect(projects.locator("option")).to_have_count(1)  # "No project": too many to list
    page.locator("#section-links > summary").click()  # the folded "Document and project"
    with page.expect_response(re.compile(r"/projects/project-options\?")):
        page.fill("#project_id_q", "deploi")
    expect(projects.locator("option")).to_have_count(2)
    projects.select_option(label="PRJ-1 — Déploiement")
    # Enter in the search box refreshes the options; it does not send the exchange.
    with page.expect_response(re.compile(r"/projects/project-options\?")):
        page.fill("#project_id_q", "chantier 4")
    page.locator("#project_id_q").press("Enter")
    expect(projects.locator("option", has_text="GEN-0004")).to_have_count(1)
    expect(projects).to_have_value(str(records.a.project))  # still the one chosen
    with page.expect_navigation():
        page.locator("#exchange-form button[type=submit]").click()
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(Exchange.project_id)) == records.a.project
    problems.assert_none()
