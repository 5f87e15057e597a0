"""The tenant's lists (modes, objects, statuses, members' names) and settings kept
between requests.

A web worker keeps them under the tenant's ``lists_version``, which the database bumps
whenever they change: every change shows on the next page, whoever made it and however,
and a company never sees another's lists.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update

from ct.core.session_cache import note_lists_version, shared_lists
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Choice, Membership, Tenant, TenantSettings, User
from ct.models.choices import KIND_MODE
from tests.admin_support import choice_id, log_in
from tests.conftest import owner_engine
from tests.sql_count import counting_queries


def version(tenant_id: int) -> int:
    with owner_engine().connect() as conn:
        return conn.execute(text("SELECT lists_version FROM tenants WHERE id = :id"),
                            {"id": tenant_id}).scalar_one()


def list_page(client, tenants, slug=None) -> str:
    reply = client.get(f"/t/{slug or tenants.a.slug}/exchanges/")
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


def reading(statements: list[str], table: str) -> list[str]:
    return [sql for sql in statements if f"FROM {table}" in sql]


def test_the_database_bumps_the_version_whenever_the_lists_change(app, tenants):
    a, b = tenants.a.id, tenants.b.id
    start, start_b = version(a), version(b)
    with app.app_context(), bound_tenant(a):
        db.session.add(Choice(kind=KIND_MODE, label="Fax", position=9))
        db.session.commit()
        assert version(a) == start + 1
        fax = db.session.scalar(select(Choice).where(Choice.label == "Fax"))
        fax.label = "Télécopie"
        db.session.commit()
        assert version(a) == start + 2
        db.session.delete(fax)
        db.session.commit()
        assert version(a) == start + 3
        # A member's rights or home page are not in the lists: no bump.
        member = db.session.get(Membership, tenants.a.member_membership_id)
        member.home_layout = {"shown": []}
        db.session.commit()
        assert version(a) == start + 3
    assert version(b) == start_b  # another company's changes are not b's
    with app.app_context(), bound_tenant(b):
        # A bulk UPDATE, past the ORM's flush: the database bumps all the same.
        db.session.execute(update(Choice).where(Choice.kind == KIND_MODE).values(position=0))
        db.session.commit()
    assert version(b) > start_b and version(a) == start + 3


def test_a_renamed_user_bumps_every_company_of_theirs(app, tenants):
    """The name shows in every company the user is a member of; on PostgreSQL the
    policy of memberships is lifted for the trigger's statement only."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == tenants.a.member_email))
        with bound_tenant(tenants.b.id):
            db.session.add(Membership(user_id=user.id, role="member", rights=[], active=True))
            db.session.commit()
    before = version(tenants.a.id), version(tenants.b.id)
    with app.app_context(), bound_tenant(tenants.a.id):
        user = db.session.scalar(select(User).where(User.email == tenants.a.member_email))
        user.display_name = "Berthe Nouveau-Nom"
        db.session.flush()
        if db.engine.dialect.name == "postgresql":
            lifted = db.session.scalar(text("SELECT current_setting('app.all_tenants', true)"))
            assert lifted in ("", None)
        db.session.commit()
    assert (version(tenants.a.id), version(tenants.b.id)) == (before[0] + 1, before[1] + 1)


def test_a_list_page_reads_the_lists_once_then_keeps_them(app, client, tenants):
    log_in(client, tenants.a.admin_email)
    with counting_queries(app) as first:
        list_page(client, tenants)
    with counting_queries(app) as second:
        list_page(client, tenants)
    kept = ("choices", "memberships JOIN users", "tenant_settings")
    assert all(reading(first, table) for table in kept)
    assert not any(reading(second, table) for table in kept)
    assert len(second) == len(first) - len(kept)


def test_saved_settings_show_on_the_next_page_of_every_worker(app, client, tenants):
    """The settings are kept like the lists: a change, through the settings page or
    straight in the database, bumps the version."""
    log_in(client, tenants.a.admin_email)
    new_button = f'hx-get="/t/{tenants.a.slug}/exchanges/new'
    assert new_button in list_page(client, tenants)
    before = version(tenants.a.id)
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.add(TenantSettings(hidden_button_pages=["exchanges"]))
        db.session.commit()
    assert version(tenants.a.id) == before + 1
    assert new_button not in list_page(client, tenants)
    with owner_engine().begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"),
                         {"t": str(tenants.a.id)})
        conn.execute(text("UPDATE tenant_settings SET hidden_button_pages = '[]' "
                          "WHERE tenant_id = :t"), {"t": tenants.a.id})
    assert version(tenants.a.id) == before + 2
    assert new_button in list_page(client, tenants)


def test_a_renamed_entry_shows_on_the_next_page(app, client, tenants):
    log_in(client, tenants.a.admin_email)
    assert "Visioconférence" in list_page(client, tenants)
    entry = choice_id(app, tenants.a.id, "mode", "Visioconférence")
    reply = client.post(f"/t/{tenants.a.slug}/settings/lists/mode/{entry}/rename",
                        data={f"entry-{entry}-label": "Visio", f"entry-{entry}-label_en": ""})
    assert reply.status_code == 303
    page = list_page(client, tenants)
    assert ">Visio<" in page and "Visioconférence" not in page


def test_a_change_made_by_another_worker_shows_on_the_next_page(app, client, tenants):
    """Another process (or plain SQL) changes the list: this worker's kept copy is
    under the old version and is not used again."""
    log_in(client, tenants.a.admin_email)
    assert "Courrier" in list_page(client, tenants)
    with owner_engine().begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('app.all_tenants', 'on', true)"))
        conn.execute(text("UPDATE choices SET label = 'Lettre recommandée' "
                          "WHERE tenant_id = :t AND label = 'Courrier'"), {"t": tenants.a.id})
        conn.execute(text("UPDATE users SET display_name = 'Alice Renommée' "
                          "WHERE email = :e"), {"e": tenants.a.admin_email})
    page = list_page(client, tenants)
    assert "Lettre recommandée" in page and "Courrier" not in page
    assert "Alice Renommée" in page


def test_a_request_that_wrote_the_lists_reads_them_again(app, tenants):
    """The version the request noted at its start is older than its own change, before
    and after the commit."""
    with app.test_request_context(f"/t/{tenants.a.slug}/"), bound_tenant(tenants.a.id):
        tenant = db.session.get(Tenant, tenants.a.id)
        note_lists_version(tenant.id, tenant.lists_version)
        assert "Fax" not in [c.label for c in Choice.active_of(KIND_MODE)]
        assert len(shared_lists) == 1  # kept for the next requests
        db.session.add(Choice(kind=KIND_MODE, label="Fax", position=99))
        db.session.flush()
        assert [c.label for c in Choice.active_of(KIND_MODE)][-1] == "Fax"
        db.session.commit()
        assert [c.label for c in Choice.active_of(KIND_MODE)][-1] == "Fax"


@pytest.mark.parametrize("first", ["a", "b"])
def test_companies_never_share_their_lists(app, client, tenants, first):
    """Both companies start with the same ids' worth of lists and version 0: the
    company is part of the key."""
    with app.app_context(), bound_tenant(tenants.b.id):
        db.session.execute(update(Choice).where(Choice.label == "Courrier")
                           .values(label="Pli de Beta"))
        db.session.commit()
    order = [tenants.a, tenants.b] if first == "a" else [tenants.b, tenants.a]
    pages = {}
    for tenant in order:
        client.post("/logout")
        log_in(client, tenant.admin_email)
        pages[tenant.slug] = list_page(client, tenants, tenant.slug)
    assert "Pli de Beta" in pages[tenants.b.slug] and "Courrier" not in pages[tenants.b.slug]
    assert "Courrier" in pages[tenants.a.slug] and "Pli de Beta" not in pages[tenants.a.slug]


def test_a_member_added_to_the_company_is_in_the_filter_at_once(app, client, tenants):
    log_in(client, tenants.a.admin_email)
    name = _display_name(app, tenants.b.admin_email)
    assert name not in list_page(client, tenants)
    with app.app_context():
        bob = db.session.scalar(select(User).where(User.email == tenants.b.admin_email))
        with bound_tenant(tenants.a.id):
            db.session.add(Membership(user_id=bob.id, role="member", rights=[], active=True))
            db.session.commit()
    assert name in list_page(client, tenants)


def _display_name(app, email: str) -> str:
    with app.app_context():
        return db.session.scalar(select(User.display_name).where(User.email == email))
