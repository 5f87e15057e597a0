"""The agenda's month view in real Chromium, both languages: an event on its day, the
previous and next months, the List / Week / Month switcher; on a phone only the days
with events, without any sideways scroll. axe finds nothing on either."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE
from tests.e2e.support import log_in_reading, review_shot
from tests.e2e.test_accessibility import assert_accessible
from tests.planning_data import make_event, paris, paris_today

pytestmark = pytest.mark.e2e



def no_sideways_scroll(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"


def plan_this_month(app, tenant):
    today = paris_today()
    first = today.replace(day=1)
    me = [tenant.admin_membership_id]
    make_event(app, tenant.id, "Visite chantier",
               starts_at=paris(first.year, first.month, 12, 23, 30),
               ends_at=paris(first.year, first.month, 12, 23, 55), assignees=me)
    make_event(app, tenant.id, "Salon", starts_at=paris(first.year, first.month, 20),
               ends_at=paris(first.year, first.month, 22), all_day=True, assignees=me)
    for hour in range(8, 13):
        make_event(app, tenant.id, f"Rendez-vous {hour}h",
                   starts_at=paris(first.year, first.month, 8, hour), assignees=me)
    return first


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_month_view_on_a_desktop(app, page, problems, tenants, screenshot, lang):
    a = tenants.a
    first = plan_this_month(app, a)
    log_in_reading(page, a.admin_email, lang)
    page.goto(f"/t/{a.slug}/agenda/")
    views = page.locator("nav.agenda-views")
    expect(views.locator("[aria-current=page]")).to_have_text("Liste" if lang == "fr" else "List")
    views.get_by_role("link", name="Mois" if lang == "fr" else "Month").click()
    expect(page).to_have_url(re.compile(r"/agenda/month"))
    expect(views.locator("[aria-current=page]")).to_have_text("Mois" if lang == "fr" else "Month")
    day12 = page.locator(f"#day-{first.replace(day=12).isoformat()}")
    expect(day12).to_contain_text("Visite chantier")
    expect(day12).to_contain_text("23:30" if lang == "fr" else "11:30")
    expect(page.locator(f"#day-{first.replace(day=13).isoformat()}")).not_to_contain_text("Visite")
    expect(page.locator(f"#day-{first.replace(day=21).isoformat()}")).to_contain_text("Salon")
    busy = page.locator(f"#day-{first.replace(day=8).isoformat()}")
    expect(busy.locator(".day-events li")).to_have_count(3)
    expect(busy.locator(".day-more")).to_contain_text("+2")
    today = page.locator("td[aria-current=date]")
    expect(today).to_contain_text("Aujourd’hui" if lang == "fr" else "Today")
    expect(page.locator("thead th").first).to_contain_text("lun." if lang == "fr" else "Mon")
    screenshot(f"agenda-month-{lang}.png")
    assert_accessible(page, f"month view ({lang})")

    heading = page.locator("h1")
    this_month = heading.inner_text()
    page.locator("a[rel=next]").click()
    expect(heading).not_to_have_text(this_month)
    expect(page.locator("text=Visite chantier")).to_have_count(0)
    page.locator("a[rel=prev]").click()
    expect(heading).to_have_text(this_month)
    page.locator("a[rel=prev]").click()
    expect(heading).not_to_have_text(this_month)
    # The switcher leads to the week view, which marks itself.
    views.get_by_role("link", name="Semaine" if lang == "fr" else "Week").click()
    expect(page).to_have_url(re.compile(r"/agenda/week"))
    expect(views.locator("[aria-current=page]")).to_have_text(
        "Semaine" if lang == "fr" else "Week")
    problems.assert_none()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_month_view_on_a_phone(app, page, problems, tenants, lang):
    a = tenants.a
    first = plan_this_month(app, a)
    page.set_viewport_size(PHONE)
    log_in_reading(page, a.admin_email, lang)
    page.goto(f"/t/{a.slug}/agenda/month")
    no_sideways_scroll(page)
    expect(page.locator(".month-grid thead")).to_be_hidden()
    expect(page.locator(f"#day-{first.replace(day=12).isoformat()}")).to_be_visible()
    expect(page.locator(f"#day-{first.replace(day=12).isoformat()} .day-name")).to_be_visible()
    # A free day of the month that is not today is left out of the list.
    free = next(d for d in (2, 3, 4, 5) if first.replace(day=d) != paris_today())
    expect(page.locator(f"#day-{first.replace(day=free).isoformat()}")).to_be_hidden()
    review_shot(page, f"month-phone-{lang}.png", full_page=True)
    assert_accessible(page, f"month view on a phone ({lang})")
    problems.assert_none()
