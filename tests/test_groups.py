"""Groups: unique names whatever the case, members of the company only, deletion confirmed."""

import pytest
from flask_babel import force_locale, ngettext
from markupsafe import escape
from sqlalchemy import select

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Group, GroupMember
from tests.admin_support import exchange, log_in, make_exchange, snapshot
from tests.auth_support import field_error, message

EXISTS = "A group named “%(name)s” already exists."


@pytest.fixture
def admin(client, tenants):
    return log_in(client, tenants.a.admin_email)


def url(tenants, path="", slug=None):
    return f"/t/{slug or tenants.a.slug}/groups/{path}"


def groups(app, tenant_id) -> dict[str, list[int]]:
    """Each group's name and the ids of its members."""
    with app.app_context(), bound_tenant(tenant_id):
        return {
            g.name: sorted(m.membership_id for m in g.members)
            for g in db.session.scalars(select(Group))
        }


def group_id(app, tenant_id, name) -> int:
    with app.app_context(), bound_tenant(tenant_id):
        return db.session.scalar(select(Group.id).where(Group.name == name))


def test_create_a_group_then_fill_it(admin, app, tenants):
    response = admin.post(url(tenants), data={"name": "  Direction "})
    assert response.status_code == 303
    new = group_id(app, tenants.a.id, "Direction")
    assert response.headers["Location"] == url(tenants, str(new))
    page = admin.get(url(tenants, str(new))).get_data(as_text=True)
    assert f'<option value="{tenants.a.member_membership_id}">' in page
    assert page.count('name="membership_id"') == 1  # the select only, no hidden copy
    response = admin.post(url(tenants, f"{new}/members"),
                          data={"membership_id": tenants.a.member_membership_id})
    assert response.status_code == 303
    assert groups(app, tenants.a.id)["Direction"] == [tenants.a.member_membership_id]
    listing = admin.get(url(tenants)).get_data(as_text=True)
    assert "Direction" in listing and "Team Alpha Conseil" in listing and "Beta" not in listing


@pytest.mark.parametrize("name, text, values", [
    ("", "This field is required.", {}),
    ("   ", "This field is required.", {}),
    ("x" * 81, "At most %(max)d characters.", {"max": 80}),
    ("x" * 10_000, "At most %(max)d characters.", {"max": 80}),
    ("Te\x00am", "Remove the invisible control characters.", {}),
    ("team alpha conseil", EXISTS, {"name": "Team Alpha Conseil"}),
    ("TÉAM ALPHA CONSEIL", EXISTS, {"name": "Team Alpha Conseil"}),
])
def test_bad_group_names_are_refused(admin, app, tenants, name, text, values):
    before = snapshot(app)
    response = admin.post(url(tenants), data={"name": name})
    assert response.status_code == 422
    assert field_error(response, "name") == message(app, text, **values)
    assert snapshot(app) == before


def test_a_name_used_by_another_company_is_free_here(admin, app, tenants):
    assert admin.post(url(tenants), data={"name": "Team Beta Industrie"}).status_code == 303


def test_rename(admin, app, tenants):
    team = tenants.a.group_id
    admin.post(url(tenants), data={"name": "Direction"})
    response = admin.post(url(tenants, f"{team}/rename"), data={"name": "TEAM alpha conseil"})
    assert response.status_code == 303  # its own name in other letters
    before = snapshot(app)
    response = admin.post(url(tenants, f"{team}/rename"), data={"name": "direction"})
    assert response.status_code == 422
    assert field_error(response, "name") == message(app, EXISTS, name="Direction")
    assert snapshot(app) == before
    assert "TEAM alpha conseil" in groups(app, tenants.a.id)


def test_add_refuses_strangers_duplicates_and_nonsense(admin, app, tenants):
    team = tenants.a.group_id
    admin.post(f"/t/{tenants.a.slug}/members/{tenants.a.member_membership_id}/role",
               data={"role": "admin"})
    cases = [
        ({"membership_id": tenants.b.member_membership_id}, "Choose an existing member.", {}),
        ({"membership_id": "999999"}, "Choose an existing member.", {}),
        ({"membership_id": tenants.a.member_membership_id}, "%(name)s is already in the group.",
         {"name": "Member Alpha Conseil"}),
        ({"membership_id": ""}, "Choose a member.", {}),
        ({}, "Choose a member.", {}),
    ]
    before = snapshot(app)
    for data, text, values in cases:
        response = admin.post(url(tenants, f"{team}/members"), data=data)
        assert response.status_code == 422, data
        assert field_error(response, "membership_id") == message(app, text, **values), data
    response = admin.post(url(tenants, f"{team}/members"), data={"membership_id": "abc"})
    assert response.status_code == 422 and field_error(response, "membership_id")
    assert snapshot(app) == before


def test_a_deactivated_member_cannot_be_added(admin, app, tenants):
    admin.post(url(tenants), data={"name": "Direction"})
    new = group_id(app, tenants.a.id, "Direction")
    admin.post(f"/t/{tenants.a.slug}/members/{tenants.a.member_membership_id}/deactivate")
    response = admin.post(url(tenants, f"{new}/members"),
                          data={"membership_id": tenants.a.member_membership_id})
    assert response.status_code == 422
    assert groups(app, tenants.a.id)["Direction"] == []


def test_remove_a_member(admin, app, tenants):
    team = tenants.a.group_id
    member = tenants.a.member_membership_id
    assert admin.post(url(tenants, f"{team}/members/{member}/remove")).status_code == 303
    assert groups(app, tenants.a.id)["Team Alpha Conseil"] == []
    assert admin.post(url(tenants, f"{team}/members/{member}/remove")).status_code == 404


def test_delete_asks_first_and_says_what_it_changes(admin, app, tenants):
    team = tenants.a.group_id
    shared = make_exchange(app, tenants.a.id, tenants.a.admin_membership_id,
                           confidential_comment="Marge", confidential_group_id=team)
    page = admin.get(url(tenants, f"{team}/delete"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Team Alpha Conseil" in html and 'method="post"' in html
    with app.test_request_context(), force_locale("fr"):
        warning = str(escape(ngettext(
            "%(num)d exchange shares its confidential comment with this group: after the "
            "deletion, only its author will read it.",
            "%(num)d exchanges share their confidential comment with this group: after the "
            "deletion, only their authors will read them.", 1)))
    assert warning in html and message(app, "Keep the group") in html
    assert groups(app, tenants.a.id)  # nothing deleted by looking

    response = admin.post(url(tenants, f"{team}/delete"))
    assert response.status_code == 303 and response.headers["Location"] == url(tenants)
    assert groups(app, tenants.a.id) == {}
    with app.app_context(), bound_tenant(tenants.a.id):
        assert db.session.scalars(select(GroupMember)).all() == []
    kept = exchange(app, tenants.a.id, shared)
    assert kept.confidential_comment == "Marge" and kept.confidential_group_id is None
    assert groups(app, tenants.b.id) == {"Team Beta Industrie": [tenants.b.member_membership_id]}


def test_another_company_groups_are_404(admin, app, tenants):
    theirs = tenants.b.group_id
    member = tenants.b.member_membership_id
    before = snapshot(app)
    for path in (f"{theirs}", f"{theirs}/delete"):
        assert admin.get(url(tenants, path)).status_code == 404, path
    for path, data in [(f"{theirs}/rename", {"name": "Spy"}),
                       (f"{theirs}/members", {"membership_id": tenants.a.member_membership_id}),
                       (f"{theirs}/members/{member}/remove", {}), (f"{theirs}/delete", {})]:
        assert admin.post(url(tenants, path), data=data).status_code == 404, path
        assert admin.post(url(tenants, path, slug=tenants.b.slug), data=data).status_code == 404
    assert snapshot(app) == before


def test_members_see_groups_without_the_controls(client, app, tenants):
    log_in(client, tenants.a.member_email)
    listing = client.get(url(tenants)).get_data(as_text=True)
    assert "Team Alpha Conseil" in listing and 'id="group-form"' not in listing
    card = client.get(url(tenants, str(tenants.a.group_id))).get_data(as_text=True)
    assert "Member Alpha Conseil" in card
    assert "/rename" not in card and "/remove" not in card and "/delete" not in card


def test_html_in_a_group_name_is_shown_as_text(admin, app, tenants):
    admin.post(url(tenants), data={"name": "<i>Sales</i>"})
    html = admin.get(url(tenants)).get_data(as_text=True)
    assert "<i>Sales</i>" not in html and "&lt;i&gt;Sales&lt;/i&gt;" in html


def test_htmx_create_answers_the_form_or_a_redirect(htmx, app, tenants):
    log_in(htmx, tenants.a.admin_email)
    bad = htmx.post(url(tenants), data={"name": ""})
    assert bad.status_code == 422
    assert "<html" not in bad.get_data(as_text=True) and field_error(bad, "name")
    good = htmx.post(url(tenants), data={"name": "Direction"})
    assert good.status_code == 204 and good.headers["HX-Redirect"].startswith(url(tenants))
