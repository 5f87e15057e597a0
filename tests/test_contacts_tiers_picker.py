"""The third-party field of the contact and document forms: every tiers in a select
for a small tenant; for a large one, the chosen tiers plus a search box whose
results refresh the select's options."""

import re

import pytest

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Tiers
from ct.web.record_fields import FEW_TIERS

# These tests read the messages of the feature, as written in the code.
pytestmark = pytest.mark.usefixtures("english_messages")


def add_tiers(app, tenant, names):
    with app.app_context(), bound_tenant(tenant.id):
        rows = [Tiers(name=name) for name in names]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def select_options(html: str) -> list[str]:
    body = html.split('<select id="tiers_id"')[1].split("</select>")[0]
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', body)


@pytest.fixture
def alpha(auth, tenants):
    auth.login(tenants.a.admin_email)
    return tenants.a


@pytest.mark.parametrize("form_url", ["/contacts/new", "/documents/new"])
def test_a_small_tenant_chooses_among_all_its_tiers(app, client, alpha, tenants, form_url):
    add_tiers(app, alpha, ["Zeta", "Alpha", "Éole"])
    add_tiers(app, tenants.b, ["Beta Secret"])
    html = client.get(f"/t/{alpha.slug}{form_url}").get_data(as_text=True)
    assert select_options(html) == ["Alpha", "Éole", "Zeta"]
    assert 'id="tiers_q"' not in html


@pytest.mark.parametrize("form_url", ["/contacts/new", "/documents/new"])
def test_a_large_tenant_searches_its_tiers(app, client, alpha, form_url):
    ids = add_tiers(app, alpha, [f"Société {i:03d}" for i in range(FEW_TIERS)])
    html = client.get(f"/t/{alpha.slug}{form_url}?tiers={ids[150]}").get_data(as_text=True)
    # Only the preselected tiers is in the page, not 200 options.
    assert select_options(html) == ["Société 150"]
    assert 'id="tiers_q"' in html
    search_url = re.search(r'hx-get="([^"]*tiers-options[^"]*)"', html).group(1)
    options = client.get(search_url.replace("&amp;", "&") + "&tiers_q=societe 04")
    names = re.findall(r'<option value="\d+">([^<]*)</option>', options.get_data(as_text=True))
    assert names == [f"Société {i:03d}" for i in range(40, 50)]


def test_the_tiers_search_never_offers_another_tenants_tiers(app, client, alpha, tenants):
    add_tiers(app, tenants.b, ["Beta Secret"])
    html = client.get(f"/t/{alpha.slug}/contacts/tiers-options?tiers_q=beta").get_data(
        as_text=True)
    assert "Beta Secret" not in html
    assert re.findall(r'<option value="\d+">', html) == []
