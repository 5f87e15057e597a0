"""Third parties and records in real Chromium: a tiers created despite the duplicate
warning, two contacts and a quote added from its card, then 1,000 contacts imported
from a CSV file through the upload, check, preview and import pages."""

import csv
import io
import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Document, ImportRun, Tiers
from tests.e2e.support import log_in
from tests.test_import_support import rq_async, run_worker  # noqa: F401 — fixture

pytestmark = pytest.mark.e2e

IMPORTED = 1_000


def say(app, text: str) -> str:
    """``text`` as the French page shows it (translated once the catalog has it)."""
    with app.test_request_context(), force_locale("fr"):
        return gettext(text)


def contacts_csv(tiers_name: str) -> bytes:
    """What a French spreadsheet saves: semicolons, UTF-8, accented headers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["prénom", "nom", "email", "société"])
    for i in range(IMPORTED):
        writer.writerow([f"Prénom{i}", f"Nom{i}", f"contact{i}@exemple.fr", tiers_name])
    return buffer.getvalue().encode("utf-8")


def add_contact_from_card(page, first: str, last: str, email: str) -> None:
    page.locator("#tiers-tab-contacts").click()
    page.locator("#add-contact").click()
    expect(page).to_have_url(re.compile(r"/contacts/new\?tiers=\d+$"))
    page.fill("#first_name", first)
    page.fill("#last_name", last)
    page.fill("#email", email)
    page.locator("#contact-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(f"{first} {last}")


@pytest.mark.usefixtures("rq_async")
def test_tiers_despite_duplicate_contacts_quote_and_a_thousand_row_import(app, page, problems,
                                                                           tenants):
    slug = tenants.a.slug
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(Tiers(name="Dupont SARL", is_customer=True, town="Lyon"))
        db.session.commit()
    log_in(page, tenants.a.admin_email)

    # A name that folds to the existing one: the warning lists it, nothing is written yet.
    page.goto(f"/t/{slug}/tiers/new")
    page.fill("#name", "DUPONT")
    page.locator("#tiers-form input[name=kinds][value=customer]").check()
    page.locator("#tiers-form button[type=submit]").last.click()
    warning = page.locator("#tiers-duplicates")
    expect(warning).to_be_visible()
    expect(warning.locator("a", has_text="Dupont SARL")).to_have_count(1)
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(func.count(Tiers.id))) == 1
    page.locator("#create-anyway").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/tiers/\d+$"))
    expect(page.locator("h1")).to_have_text("DUPONT")
    tiers_url = page.url
    tiers_id = int(tiers_url.rsplit("/", 1)[1])

    # Two contacts from the card's contacts tab, both linked to the new tiers.
    add_contact_from_card(page, "Zoé", "Lambert", "zoe.lambert@exemple.fr")
    page.goto(tiers_url)
    add_contact_from_card(page, "Marc", "Roux", "marc.roux@exemple.fr")
    page.goto(tiers_url)
    page.locator("#tiers-tab-contacts").click()
    expect(page.locator("#tiers-panel tbody tr")).to_have_count(2)

    # A quote for the tiers (preselected by ?tiers=).
    page.goto(f"/t/{slug}/documents/new?tiers={tiers_id}")
    page.select_option("#kind_id", label="Devis")
    page.fill("#reference", "DEV-2030-001")
    expect(page.locator("#tiers_id")).to_have_value(str(tiers_id))
    page.locator("#document-form button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("DEV-2030-001")
    with app.app_context(), bound_tenant(tenants.a.id):
        quote = db.session.scalar(select(Document))
        assert quote.tiers_id == tiers_id and quote.kind.code == "quote"
        contacts = db.session.scalars(select(Contact)).all()
        assert sorted(c.last_name for c in contacts) == ["Lambert", "Roux"]
        assert {c.tiers_id for c in contacts} == {tiers_id}

    # The import: upload, the check runs in the worker while the page polls.
    page.goto(f"/t/{slug}/import/")
    page.locator("#import-form input[name=kind][value=contacts]").check()
    page.locator("#file").set_input_files(files=[{
        "name": "contacts.csv", "mimeType": "text/csv", "buffer": contacts_csv("DUPONT")}])
    page.locator("#import-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}/import/\d+$"))
    expect(page.locator("#import-run[hx-trigger]")).to_have_count(1)  # polling
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    run_worker(app)
    import_all = page.locator("#import-all")
    expect(import_all).to_be_visible()  # the poll brought the report in
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)  # without a reload
    expect(page.locator("#import-summary")).to_contain_text(
        say(app, "No errors: every row can be imported."))
    expect(page.locator("#import-preview tbody tr").first).to_contain_text("Prénom0")
    expect(page.locator("#import-preview tbody tr").first).to_contain_text("DUPONT")
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(func.count(Contact.id))) == 2  # nothing written yet

    import_all.click()
    expect(page.locator("#import-run[hx-trigger]")).to_have_count(1)
    run_worker(app)
    expect(page.locator("#imported-list")).to_be_visible()
    expect(page.locator("#import-run .flash-success")).to_contain_text("1\u202f000")

    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalar(select(func.count(Contact.id))) == IMPORTED + 2
        linked = select(func.count(Contact.id)).where(Contact.tiers_id == tiers_id)
        assert db.session.scalar(linked) == IMPORTED + 2
        assert db.session.scalar(select(ImportRun.status)) == "done"
    with app.app_context(), bound_tenant(tenants.b.id):
        assert db.session.scalar(select(func.count(Contact.id))) == 0
    problems.assert_none()
