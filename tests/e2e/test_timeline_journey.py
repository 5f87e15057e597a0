"""Record cards open on the activity timeline, in real Chromium: the four types newest
first, a type filter, "Load more" appending, a new exchange from the card's pop-up at
the top without a reload; on a phone, the details above and no sideways scroll."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Document, Event, Exchange, Task
from tests.e2e.support import log_in_reading, review_shot
from tests.exchange_data import BASE, add, world  # noqa: F401 — fixture

pytestmark = pytest.mark.e2e

PHONE = {"width": 375, "height": 812}
LANGUAGES = [("fr", "fr-FR"), ("en", "en-US")]


def say(app, text: str, lang: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(text)



def activity(w) -> None:
    """Dupont: 24 exchanges over the last days (one with a follow-up task), a visit,
    a quote."""
    for i in range(24):
        add(w, w.tiers["dupont"], w.admin_id, minutes=-60 * i,
            comment=f"Appel n°{i} : point sur le devis", contacts=[w.contacts["jeanne"]],
            mode_id=w.modes.get("phone"), status="closed" if i % 3 else "todo")
    with w.app.app_context(), bound_tenant(w.tenant_id):
        newest = db.session.scalar(select(Exchange).order_by(Exchange.occurred_at.desc()))
        task = Task(label="Envoyer le devis révisé", due_date=BASE.date() + timedelta(days=2),
                    assignee_id=w.member_id)
        db.session.add(task)
        db.session.flush()
        newest.task_id = task.id
        starts = BASE - timedelta(minutes=90)
        db.session.add(Event(title="Visite de l’atelier", starts_at=starts,
                             ends_at=starts + timedelta(hours=1), tiers_id=w.tiers["dupont"],
                             location="Lyon"))
        document = db.session.scalar(select(Document).where(Document.id == w.document_id))
        document.date, document.description = BASE.date() - timedelta(days=2), "Chaudière"
        db.session.commit()


def save_from_popup(page, comment: str) -> None:
    page.locator("main [data-new-exchange]").click()
    dialog = page.locator("#exchange-dialog")
    expect(dialog).to_be_visible()
    page.fill("#comment", comment)
    with page.expect_response(re.compile(r"/exchanges/new$")) as answer:
        dialog.locator("footer.form-actions button[type=submit]").click()
    assert answer.value.status == 200
    expect(dialog).to_have_count(0)


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_a_tiers_card_opens_on_its_timeline(app, page, problems, world, screenshot,  # noqa: F811
                                            lang):
    w = world
    activity(w)
    log_in_reading(page, "alice@alpha.fr", lang)
    page.goto(f"/t/{w.slug}/tiers/{w.tiers['dupont']}")
    expect(page.locator("#tiers-tab-timeline")).to_have_attribute("aria-selected", "true")
    timeline = page.locator("#timeline")
    entries = timeline.locator(".tl-entry")
    expect(entries).to_have_count(20)
    expect(entries.first).to_contain_text("Appel n°0")
    expect(entries.first.locator(".tl-type")).to_have_text(say(app, "Exchange", lang))
    expect(entries.nth(1).locator(".tl-type")).to_have_text(say(app, "Task", lang))
    expect(timeline.locator(".tl-event")).to_contain_text("Visite de l’atelier")
    # The details beside the timeline, on the right.
    side = page.locator("#tiers-details")
    expect(side).to_be_visible()
    assert side.bounding_box()["x"] > timeline.bounding_box()["x"] + 300
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    screenshot(f"tiers-card-{lang}.png")
    review_shot(page, f"tiers-card-desktop-{lang}.png", full_page=True)

    # Load more appends the older entries, the quote last.
    page.get_by_role("button", name=say(app, "Load more", lang)).click()
    expect(entries).to_have_count(24 + 1 + 1 + 1)
    # The keyboard goes on from the first entry added, where the pressed link was.
    expect(entries.nth(20).locator(".tl-title a")).to_be_focused()
    expect(entries.last).to_contain_text("DEV-001")
    expect(page.get_by_role("button", name=say(app, "Load more", lang))).to_have_count(0)

    # Hiding the exchanges leaves the event, the task and the quote.
    page.locator("label.tl-chip", has_text=say(app, "Exchanges", lang)).click()
    expect(entries).to_have_count(3)
    expect(timeline.locator(".tl-exchange")).to_have_count(0)
    expect(page.locator("#tl-type-exchange")).not_to_be_checked()
    page.locator("label.tl-chip", has_text=say(app, "Exchanges", lang)).click()
    expect(entries).to_have_count(20)

    # An exchange logged from the card's pop-up comes first, without a reload.
    comment = f"Nouveau rendez-vous fixé ({lang})"
    save_from_popup(page, comment)
    expect(entries.first).to_contain_text(comment)
    expect(page.locator("#tiers-tab-exchanges")).to_contain_text("(25)")
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)
    problems.assert_none()


def test_a_contact_card_opens_on_its_timeline(app, page, problems, world):  # noqa: F811
    w = world
    activity(w)
    log_in_reading(page, "alice@alpha.fr", "fr")
    page.goto(f"/t/{w.slug}/contacts/{w.contacts['jeanne']}")
    entries = page.locator("#timeline .tl-entry")
    expect(entries).to_have_count(20)
    expect(entries.first).to_contain_text("Appel n°0")
    page.evaluate("document.querySelector('h1').dataset.kept = 'yes'")
    review_shot(page, "contact-card-desktop-fr.png", full_page=True)
    save_from_popup(page, "Rappel de Jeanne sur le devis")
    expect(entries.first).to_contain_text("Rappel de Jeanne sur le devis")
    expect(page.locator("h1[data-kept='yes']")).to_have_count(1)
    problems.assert_none()


def test_an_empty_card_says_so(app, page, problems, world):  # noqa: F811
    w = world
    log_in_reading(page, "alice@alpha.fr", "fr")
    page.goto(f"/t/{w.slug}/tiers/{w.tiers['martin']}")
    expect(page.locator("#timeline-empty")).to_contain_text("Aucune activité pour l'instant")
    review_shot(page, "tiers-card-empty-fr.png", full_page=False)
    save_from_popup(page, "Premier contact avec Martin")
    expect(page.locator("#timeline .tl-entry")).to_have_count(1)
    expect(page.locator("#timeline-empty")).to_have_count(0)
    problems.assert_none()


@pytest.mark.parametrize(("lang", "browser_locale"), LANGUAGES)
def test_on_a_phone_the_details_come_first_and_nothing_scrolls_sideways(
        app, page, problems, world, screenshot, lang):  # noqa: F811
    w = world
    activity(w)
    page.set_viewport_size(PHONE)
    log_in_reading(page, "alice@alpha.fr", lang)
    for url, side_id, name in ((f"/t/{w.slug}/tiers/{w.tiers['dupont']}", "#tiers-details",
                                "tiers"),
                               (f"/t/{w.slug}/contacts/{w.contacts['jeanne']}",
                                "#contact-details", "contact")):
        page.goto(url)
        side, timeline = page.locator(side_id), page.locator("#timeline")
        expect(timeline.locator(".tl-entry")).to_have_count(20)
        assert side.bounding_box()["y"] < timeline.bounding_box()["y"]
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        # Collapsed to one line; a tap opens the details.
        expect(side.locator("dl")).not_to_be_visible()
        if name == "tiers":
            screenshot(f"tiers-card-phone-{lang}.png")
        review_shot(page, f"{name}-card-phone-closed-{lang}.png", full_page=False)
        side.locator("summary").click()
        expect(side.locator("dl")).to_be_visible()
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
        review_shot(page, f"{name}-card-phone-{lang}.png", full_page=False)
    problems.assert_none()
