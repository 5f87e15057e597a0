"""An exchange's words as a French reader sees them, in real Chromium: one exchange's
status is « Clôturé » in the pop-up as on the card (never the « Clôturés » of a filter),
and the card's collaborators and follow-up task read with their spaces."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Exchange, ExchangeCollaborator, Task
from ct.models.base import utcnow
from tests.e2e.support import log_in
from tests.exchange_records import records  # noqa: F401

pytestmark = pytest.mark.e2e


def add_exchange_with_followers(app, tenant, side) -> int:
    """A closed exchange whose collaborator was to be notified, with a task due soon."""
    with app.app_context(), bound_tenant(tenant.id):
        exchange = Exchange(
            tiers_id=side.tiers, author_id=side.admin, made_by_id=side.admin,
            occurred_at=utcnow(), status="closed", comment="Devis envoyé",
            notify_collaborators=True,
            collaborator_links=[ExchangeCollaborator(membership_id=side.member)],
            task=Task(label="Relancer", assignee_id=side.member, created_by_id=side.admin,
                      due_date=date.today() + timedelta(days=3)))
        db.session.add(exchange)
        db.session.commit()
        return exchange.id


def words(locator) -> str:
    """The text as read: runs of white space are one space (none stays none)."""
    return " ".join(locator.inner_text().split())


def test_one_exchange_is_cloture_in_the_popup_and_on_its_card(app, page, tenants, records):
    log_in(page, tenants.a.admin_email)  # the fixture's users read French
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator("main [data-new-exchange]").click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Clôturé", exact=True)).to_be_checked()  # the default
    expect(dialog).not_to_contain_text("Clôturés")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    exchange_id = add_exchange_with_followers(app, tenants.a, records.a)
    page.goto(f"/t/{records.a.slug}/exchanges/{exchange_id}")
    card = page.locator("#exchange-card")
    status = card.locator("#exchange-status")
    expect(status.locator("strong")).to_have_text("Clôturé")
    expect(status.get_by_role("button", name="Clôturé", exact=True)).to_have_attribute(
        "aria-pressed", "true")
    expect(card).not_to_contain_text("Clôturés")

    # "Bob(notification…)" and "2026— Jane" were missing their spaces.
    collaborators = words(card.locator("dt:text-is('Collaborateurs') + dd"))
    assert re.search(r"\S \(notification par e-mail demandée\)$", collaborators), collaborators
    task = words(card.locator("dt:text-is('Tâche de relance') + dd"))
    assert re.fullmatch(r"Relancer échéance le .+\S — \S.*", task), task


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"])


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900},
                                      {"width": 375, "height": 812}])
def test_a_contacts_job_title_sits_beside_its_checkbox(app, page, tenants, records, viewport):
    with app.app_context(), bound_tenant(tenants.a.id):
        for contact_id, title in ((records.a.contact, "Acheteuse"), (records.a.contact2, "DAF")):
            db.session.get(Contact, contact_id).job_title = title
        db.session.commit()
    page.set_viewport_size(viewport)
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{records.a.slug}/tiers/{records.a.tiers}")
    page.locator("main [data-new-exchange]").click()
    labels = page.locator("#contacts-list label")
    expect(labels).to_have_count(2)
    for label in labels.all():
        box = label.locator("input[type=checkbox]")
        title = label.locator("small").bounding_box()
        assert not overlap(box.bounding_box(), title), (box.bounding_box(), title)
        # The whole box ticks it, its lower half included.
        square = box.bounding_box()
        page.mouse.click(square["x"] + square["width"] / 2, square["y"] + square["height"] * .8)
        expect(box).to_be_checked()
