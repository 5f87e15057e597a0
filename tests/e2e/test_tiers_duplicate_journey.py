"""A third party typed a letter apart from one that exists, in real Chromium: the form
warns and links to the existing one before anything is written."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Tiers
from tests.e2e.support import log_in

pytestmark = pytest.mark.e2e


def tiers_names(app, tenant_id: int) -> list[str]:
    with app.app_context(), bound_tenant(tenant_id):
        return list(db.session.scalars(select(Tiers.name).order_by(func.lower(Tiers.name))))


@pytest.mark.parametrize("known, typed", [("Dupont Industries", "Dupond Industries"),
                                          ("Hôtel des Alpes", "Hôtel des Alps")])
def test_a_typo_of_an_existing_name_is_warned(app, page, problems, tenants, known, typed):
    with app.app_context(), bound_tenant(tenants.a.id):
        existing = Tiers(name=known, town="Annecy")
        db.session.add(existing)
        db.session.commit()
        existing_id = existing.id
    log_in(page, tenants.a.admin_email)
    page.goto(f"/t/{tenants.a.slug}/tiers/new")
    page.fill("#name", typed)
    page.locator("#name").press("Enter")
    warning = page.locator("#tiers-duplicates")
    expect(warning).to_be_visible()
    expect(warning.get_by_role("link", name=known)).to_have_attribute(
        "href", f"/t/{tenants.a.slug}/tiers/{existing_id}")
    assert tiers_names(app, tenants.a.id) == [known]  # nothing written yet

    page.locator("#create-anyway").click()
    expect(page.locator("h1")).to_contain_text(typed)
    assert sorted(tiers_names(app, tenants.a.id)) == sorted([known, typed])
    problems.assert_none()
