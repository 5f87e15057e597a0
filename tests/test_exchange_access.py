"""Who sees which exchange (the rule every list reuses), and the buttons that open the form."""
# The shared fixtures are imported by name; pytest hands them to the tests as arguments.
# ruff: noqa: F811

import re

import pytest
from sqlalchemy import select

from ct.core.permissions import READ_ALL_EXCHANGES, READ_OWN_EXCHANGES
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Exchange, ExchangeCollaborator, GroupMember, Membership
from ct.models.exchange_access import (
    can_see_confidential,
    confidential_clause,
    visible_clause,
)
from tests.admin_support import set_rights
from tests.exchange_records import records, set_settings  # noqa: F401

# Messages are asserted in English (the users of the fixtures are French).
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def four(app, tenants, records):
    """Exchanges in tenant a by: the admin, the member (made by), the admin with the member
    collaborating, the admin with the confidential part shared with the member's group."""
    a = records.a
    with app.app_context(), bound_tenant(tenants.a.id):
        rows = [
            Exchange(tiers_id=a.tiers, author_id=a.admin, made_by_id=a.admin, comment="admin"),
            Exchange(tiers_id=a.tiers, author_id=a.admin, made_by_id=a.member, comment="made"),
            Exchange(tiers_id=a.tiers, author_id=a.admin, made_by_id=a.admin, comment="collab",
                     collaborator_links=[ExchangeCollaborator(membership_id=a.member)]),
            Exchange(tiers_id=a.tiers, author_id=a.admin, made_by_id=a.admin, comment="secret",
                     confidential_comment="s", confidential_group_id=a.group),
        ]
        db.session.add_all(rows)
        db.session.commit()
    return tenants.a


def visible_comments(app, tenant_id, membership_id, clause=visible_clause):
    with app.app_context(), bound_tenant(tenant_id):
        member = db.session.scalar(select(Membership).where(Membership.id == membership_id))
        return sorted(db.session.scalars(select(Exchange.comment).where(clause(member))))


def test_read_all_sees_every_exchange(app, four):
    assert visible_comments(app, four.id, four.member_membership_id) == \
        ["admin", "collab", "made", "secret"]


def test_read_own_sees_what_they_made_or_collaborate_on(app, four):
    set_rights(app, four.id, four.member_membership_id, [READ_OWN_EXCHANGES])
    assert visible_comments(app, four.id, four.member_membership_id) == ["collab", "made"]
    assert visible_comments(app, four.id, four.admin_membership_id) == \
        ["admin", "collab", "made", "secret"]  # admins hold every right


def test_no_read_right_sees_nothing(app, four):
    set_rights(app, four.id, four.member_membership_id, [])
    assert visible_comments(app, four.id, four.member_membership_id) == []
    with app.app_context():
        assert str(visible_clause(None).compile()) == "false"
        assert can_see_confidential(Exchange(author_id=1), None) is False


def test_an_inactive_member_sees_nothing(app, four):
    with app.app_context(), bound_tenant(four.id):
        member = db.session.scalar(select(Membership).where(
            Membership.id == four.member_membership_id))
        member.active = False
        db.session.commit()
    assert visible_comments(app, four.id, four.member_membership_id) == []


def test_confidential_part_for_the_author_and_the_group_only(app, four, records):
    member, admin = four.member_membership_id, four.admin_membership_id
    assert visible_comments(app, four.id, member, confidential_clause) == ["secret"]
    assert visible_comments(app, four.id, admin, confidential_clause) == \
        ["admin", "collab", "made", "secret"]  # as the author, not as an admin
    with app.app_context(), bound_tenant(four.id):
        secret = db.session.scalar(select(Exchange).where(Exchange.comment == "secret"))
        by_id = {m.id: m for m in db.session.scalars(select(Membership))}
        assert can_see_confidential(secret, by_id[member]) is True
        assert can_see_confidential(secret, by_id[admin]) is True
        db.session.execute(GroupMember.__table__.delete())
        db.session.commit()
        assert can_see_confidential(secret, by_id[member]) is False
        # An administrator who did not write it and is not in the group: no.
        secret.author_id = member
        assert can_see_confidential(secret, by_id[admin]) is False
        db.session.rollback()
    assert visible_comments(app, four.id, member, confidential_clause) == []


def test_the_other_tenant_sees_none_of_them(app, tenants, four):
    assert visible_comments(app, tenants.b.id, tenants.b.admin_membership_id) == []


# -- the buttons that open the form -----------------------------------------------------

def home(client, tenants):
    return client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)


def test_integrated_button_on_the_home_page_by_default(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    html = home(client, tenants)
    button = re.search(r'<a href="([^"]+)" role="button" class="new-exchange"[^>]*>', html)
    assert button and button.group(1) == f"/t/{tenants.a.slug}/exchanges/new"
    assert 'hx-target="#dialog-slot"' in button.group(0)
    assert 'aria-keyshortcuts="n"' in button.group(0)
    assert "new-exchange-floating" not in html
    assert f'<div id="dialog-slot" data-new-url="/t/{tenants.a.slug}/exchanges/new">' in html
    assert 'id="toast" class="toast" role="status"' in html


def test_hidden_page_has_no_integrated_button_but_the_shortcut_works(app, client, auth,
                                                                     tenants):
    set_settings(app, tenants.a.id, hidden_button_pages=["home"])
    auth.login(tenants.a.admin_email)
    html = home(client, tenants)
    assert "data-new-exchange" not in html
    assert f'data-new-url="/t/{tenants.a.slug}/exchanges/new"' in html


def test_floating_mode_shows_one_button_on_every_page(app, client, auth, tenants):
    set_settings(app, tenants.a.id, button_mode="floating")
    auth.login(tenants.a.admin_email)
    for url in (f"/t/{tenants.a.slug}/", f"/t/{tenants.a.slug}/members/"):
        html = client.get(url).get_data(as_text=True)
        assert html.count("data-new-exchange") == 1, url
        assert "new-exchange new-exchange-floating" in html, url


def test_prefilled_integrated_button(app, tenants, records):
    from ct.blueprints.exchanges import new_exchange_button

    with app.test_request_context(f"/t/{tenants.a.slug}/"), bound_tenant(tenants.a.id):
        from flask import g

        g.tenant = type("T", (), {"slug": tenants.a.slug, "id": tenants.a.id})()
        g.membership = db.session.scalar(select(Membership).where(
            Membership.id == tenants.a.admin_membership_id))
        html = str(new_exchange_button("tiers", tiers=records.a.tiers, contact=None, junk=3))
        assert f'href="/t/{tenants.a.slug}/exchanges/new?tiers={records.a.tiers}"' in html
        g.membership.rights, g.membership.role = [READ_ALL_EXCHANGES], "member"
        assert str(new_exchange_button("tiers", tiers=records.a.tiers)) == ""
        db.session.rollback()


def test_no_button_outside_a_tenant(client):
    html = client.get("/login").get_data(as_text=True)
    assert "dialog-slot" not in html and "data-new-exchange" not in html
