"""The member card and its Permissions tab: every right, the presets, the audit."""

import re

import pytest
from flask_babel import force_locale
from markupsafe import escape

from ct.core.permissions import (
    EXPORT,
    MANAGE_SETTINGS,
    PRESETS,
    READ_ALL_EXCHANGES,
    READ_OWN_EXCHANGES,
    RIGHTS,
)
from tests.admin_support import audit, log_in, membership, snapshot
from tests.auth_support import field_error, message


@pytest.fixture
def admin(client, tenants):
    return log_in(client, tenants.a.admin_email)


def url(tenants, membership_id, tab=""):
    return f"/t/{tenants.a.slug}/members/{membership_id}" + (f"/{tab}" if tab else "")


def checked_rights(html: str) -> set[str]:
    boxes = re.findall(r'<input type="checkbox"[^>]*name="rights" value="([^"]+)"([^>]*)>', html)
    return {value for value, rest in boxes if "checked" in rest}


def test_the_card_shows_who_the_member_is(admin, app, tenants):
    page = admin.get(url(tenants, tenants.a.member_membership_id)).get_data(as_text=True)
    assert "Member Alpha Conseil" in page and tenants.a.member_email in page
    assert "Team Alpha Conseil" in page  # their group, linked
    assert f'/groups/{tenants.a.group_id}"' in page
    assert f'href="{url(tenants, tenants.a.member_membership_id, "permissions")}"' in page


def test_a_member_sees_cards_but_not_the_permissions_tab(client, app, tenants):
    log_in(client, tenants.a.member_email)
    card = client.get(url(tenants, tenants.a.admin_membership_id))
    assert card.status_code == 200
    assert "/permissions" not in card.get_data(as_text=True)
    assert client.get(url(tenants, tenants.a.admin_membership_id, "permissions")).status_code \
        == 403


def test_the_tab_has_a_checkbox_for_every_right_and_every_preset(admin, app, tenants):
    page = admin.get(url(tenants, tenants.a.member_membership_id, "permissions"))
    html = page.get_data(as_text=True)
    assert re.findall(r'name="rights" value="([^"]+)"', html) == list(RIGHTS)
    assert checked_rights(html) == set(PRESETS["member"])
    with app.test_request_context(), force_locale("fr"):
        labels = [str(escape(str(label))) for label in RIGHTS.values()]
    for label in labels:
        assert label in html
    assert re.findall(r'name="preset" value="([^"]+)"', html) == ["member", "restricted", "admin"]


def test_saving_rights_stores_them_and_audits_before_and_after(admin, app, tenants):
    member_id = tenants.a.member_membership_id
    response = admin.post(url(tenants, member_id, "permissions"),
                          data={"rights": [MANAGE_SETTINGS, READ_OWN_EXCHANGES]})
    assert response.status_code == 303
    assert response.headers["Location"] == url(tenants, member_id, "permissions")
    assert membership(app, tenants.a.id, member_id).rights == [READ_OWN_EXCHANGES,
                                                                 MANAGE_SETTINGS]
    [entry] = audit(app, tenants.a.id, "member.rights")
    assert entry.target == f"member:{member_id}"
    assert entry.before == {"rights": PRESETS["member"]}
    assert entry.after == {"rights": [READ_OWN_EXCHANGES, MANAGE_SETTINGS]}
    assert entry.actor_id == tenants.a.admin_membership_id
    page = admin.get(url(tenants, member_id, "permissions")).get_data(as_text=True)
    assert checked_rights(page) == {READ_OWN_EXCHANGES, MANAGE_SETTINGS}
    history = page[page.index('id="member-history"'):]
    assert message(app, "Manage settings") in history and "Admin Alpha Conseil" in history


def test_no_right_at_all_is_a_valid_choice(admin, app, tenants):
    member_id = tenants.a.member_membership_id
    assert admin.post(url(tenants, member_id, "permissions"), data={}).status_code == 303
    assert membership(app, tenants.a.id, member_id).rights == []


@pytest.mark.parametrize("preset", ["member", "restricted", "admin"])
def test_a_preset_button_gives_its_rights_at_once(admin, app, tenants, preset):
    member_id = tenants.a.member_membership_id
    response = admin.post(url(tenants, member_id, "permissions"),
                          data={"preset": preset, "rights": [EXPORT]})
    assert response.status_code == 303
    saved = membership(app, tenants.a.id, member_id)
    assert saved.rights == [r for r in RIGHTS if r in PRESETS[preset]]
    assert saved.role == "member"  # the admin preset gives rights, not the admin role


@pytest.mark.parametrize("data, field, text", [
    ({"rights": ["exchanges.read_own", "root"]}, "rights", "Choose rights of the list."),
    ({"rights": ["<script>"]}, "rights", "Choose rights of the list."),
    ({"preset": "superuser"}, "preset", "Choose a preset of the list."),
])
def test_unknown_rights_or_presets_are_refused(admin, app, tenants, data, field, text):
    before = snapshot(app)
    response = admin.post(url(tenants, tenants.a.member_membership_id, "permissions"), data=data)
    assert response.status_code == 422
    assert field_error(response, field) == message(app, text)
    assert snapshot(app) == before


def test_an_admin_rights_are_not_edited(admin, app, tenants):
    me = tenants.a.admin_membership_id
    page = admin.get(url(tenants, me, "permissions")).get_data(as_text=True)
    assert checked_rights(page) == set(RIGHTS) and "<fieldset disabled>" in page
    before = snapshot(app)
    response = admin.post(url(tenants, me, "permissions"), data={"preset": "restricted"})
    assert response.status_code == 422
    assert field_error(response, "rights") == message(
        app, "Administrators hold every right: change the role to restrict them.")
    assert snapshot(app) == before


def test_rights_take_effect_on_the_next_request(client, admin, app, tenants):
    member = log_in(app.test_client(), tenants.a.member_email)
    settings = f"/t/{tenants.a.slug}/settings/"
    assert member.get(settings).status_code == 403
    admin.post(url(tenants, tenants.a.member_membership_id, "permissions"),
               data={"rights": [READ_ALL_EXCHANGES, MANAGE_SETTINGS]})
    assert member.get(settings).status_code == 200
    admin.post(url(tenants, tenants.a.member_membership_id, "permissions"),
               data={"preset": "restricted"})
    assert member.get(settings).status_code == 403
