"""Closing the pop-up unsaved offers to remove the tiers and contacts created in it: only
the member's own, only while nothing refers to them, never another company's."""

# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Contact, Exchange, Tiers
from ct.models.base import utcnow
from tests.exchange_records import records  # noqa: F401

pytestmark = pytest.mark.usefixtures("english_messages")
HX = {"HX-Request": "true"}


def create_inline(client, slug: str, name: str) -> tuple[int, int, str]:
    """A tiers, then one of its contacts, created through the pop-up's sub-forms."""
    answer = client.post(f"/t/{slug}/exchanges/inline/tiers", headers=HX,
                         data={"new_tiers-name": name, "new_tiers-kinds": "customer",
                               "in_dialog": "1"})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert 'id="created-inline" hidden hx-swap-oob="true"' in html
    tiers_id = int(html.split('name="created_tiers" value="')[1].split('"')[0])
    answer = client.post(f"/t/{slug}/exchanges/inline/contact", headers=HX,
                         data={"tiers_id": tiers_id, "tiers_locked": "1",
                               "created_tiers": tiers_id, "new_contact-first_name": "Léa",
                               "new_contact-last_name": "Garnier", "in_dialog": "1"})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    contact_id = int(html.split('name="created_contact" value="')[1].split('"')[0])
    assert f'name="created_tiers" value="{tiers_id}"' in html  # the list keeps the tiers
    return tiers_id, contact_id, html


def count(app, tenant_id: int, model) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(func.count(model.id)))


def test_the_form_carries_what_it_created_and_the_undo_removes_it(app, client, auth, tenants,
                                                                   records):
    auth.login(tenants.a.admin_email)
    tiers_id, contact_id, html = create_inline(client, tenants.a.slug, "Garage Lenoir")
    assert 'data-label="Garage Lenoir"' in html and 'data-label="Léa Garnier"' in html
    before = count(app, tenants.a.id, Tiers), count(app, tenants.a.id, Contact)
    answer = client.post(f"/t/{tenants.a.slug}/exchanges/inline/undo", headers=HX,
                         data={"created_tiers": tiers_id, "created_contact": contact_id})
    assert answer.status_code == 200
    assert "inline-undone" in answer.headers["HX-Trigger"]
    assert "Léa Garnier, Garage Lenoir" in answer.get_data(as_text=True)
    assert (count(app, tenants.a.id, Tiers), count(app, tenants.a.id, Contact)) == (
        before[0] - 1, before[1] - 1)


def test_what_is_already_in_use_or_someone_elses_stays(app, client, auth, tenants, records):
    auth.login(tenants.a.admin_email)
    tiers_id, contact_id, _html = create_inline(client, tenants.a.slug, "Garage Lenoir")
    with app.app_context(), bound_tenant(tenants.a.id):  # an exchange already uses the tiers
        db.session.add(Exchange(tiers_id=tiers_id, author_id=records.a.admin,
                                made_by_id=records.a.admin, occurred_at=utcnow()))
        db.session.commit()
    answer = client.post(f"/t/{tenants.a.slug}/exchanges/inline/undo", headers=HX,
                         data={"created_tiers": [tiers_id, records.a.tiers],
                               "created_contact": [contact_id, records.a.contact]})
    text = answer.get_data(as_text=True)
    assert "Removed: Léa Garnier." in text and "Kept, already in use: Garage Lenoir." in text
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.get(Tiers, tiers_id) is not None
        assert db.session.get(Contact, contact_id) is None
        # Records the member did not create here are not even mentioned.
        assert db.session.get(Tiers, records.a.tiers) is not None
        assert db.session.get(Contact, records.a.contact) is not None


def test_another_companys_ids_and_garbage_are_not_found_and_remove_nothing(app, client, auth,
                                                                           tenants, records):
    auth.login(tenants.b.admin_email)
    own_tiers, own_contact, _html = create_inline(client, tenants.b.slug, "Garage Lenoir")
    before = {company.id: (count(app, company.id, Tiers), count(app, company.id, Contact))
              for company in (tenants.a, tenants.b)}
    for data in ({"created_tiers": [own_tiers, records.a.tiers]},
                 {"created_contact": [own_contact, records.a.contact]},
                 {"created_tiers": [own_tiers, "abc"]},
                 {"created_tiers": [own_tiers], "created_contact": ["9" * 40]}):
        answer = client.post(f"/t/{tenants.b.slug}/exchanges/inline/undo", headers=HX, data=data)
        assert answer.status_code == 404, data
    assert {company.id: (count(app, company.id, Tiers), count(app, company.id, Contact))
            for company in (tenants.a, tenants.b)} == before
