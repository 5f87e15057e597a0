"""The members page: roles, deactivation, the last admin, resending and cancelling invitations."""

import pytest
from sqlalchemy import select, update

from ct.core.permissions import PRESETS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Invitation
from ct.models.base import utcnow
from tests.admin_support import (
    audit,
    exchange,
    log_in,
    make_exchange,
    membership,
    snapshot,
)
from tests.auth_support import (
    PASSWORD,
    STRONG_PASSWORD,
    link_in,
    message,
    outbox,
    wtforms_message,
)

NEWCOMER = "nina@example.org"
LAST_ADMIN = ("The company needs at least one active administrator: make someone else "
              "administrator first.")


@pytest.fixture
def admin(client, tenants):
    return log_in(client, tenants.a.admin_email)


def url(tenants, path="", slug=None):
    return f"/t/{slug or tenants.a.slug}/members/{path}"


def test_the_list_shows_roles_and_status_of_every_member(admin, app, tenants):
    admin.post(url(tenants, f"{tenants.a.member_membership_id}/deactivate"))
    page = admin.get(url(tenants)).get_data(as_text=True)
    row = page[page.index(f'id="member-{tenants.a.member_membership_id}"'):]
    row = row[:row.index("</tr>")]
    assert "Member Alpha Conseil" in row and message(app, "Deactivated") in row
    assert message(app, "Reactivate") in row
    admin_row = page[page.index(f'id="member-{tenants.a.admin_membership_id}"'):]
    assert message(app, "Active") in admin_row[:admin_row.index("</tr>")]
    assert "Beta" not in page


def test_a_member_sees_the_list_without_the_controls(client, app, tenants):
    log_in(client, tenants.a.member_email)
    page = client.get(url(tenants)).get_data(as_text=True)
    assert "Admin Alpha Conseil" in page
    assert "/role" not in page and "/deactivate" not in page and 'id="invite-form"' not in page


def test_change_role_gives_the_rights_of_the_role_and_is_audited(admin, app, tenants):
    member_id = tenants.a.member_membership_id
    response = admin.post(url(tenants, f"{member_id}/role"), data={"role": "admin"})
    assert response.status_code == 303
    promoted = membership(app, tenants.a.id, member_id)
    assert promoted.role == "admin" and promoted.rights == PRESETS["admin"]
    [entry] = audit(app, tenants.a.id, "member.role")
    assert entry.target == f"member:{member_id}"
    assert entry.before["role"] == "member" and entry.after["role"] == "admin"
    assert entry.actor_id == tenants.a.admin_membership_id
    # Now two admins: the first one may step down.
    response = admin.post(url(tenants, f"{tenants.a.admin_membership_id}/role"),
                          data={"role": "member"})
    assert response.status_code == 303
    assert membership(app, tenants.a.id, tenants.a.admin_membership_id).role == "member"


@pytest.mark.parametrize("role", ["", "owner", "<script>", "x" * 10_000])
def test_unknown_roles_are_refused(admin, app, tenants, role):
    before = snapshot(app)
    response = admin.post(url(tenants, f"{tenants.a.member_membership_id}/role"),
                          data={"role": role})
    assert response.status_code == 422
    expected = (message(app, "Choose a role.") if role == ""  # left out: no default taken
                else wtforms_message("Not a valid choice."))
    assert expected in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_the_last_admin_cannot_be_demoted_or_deactivated(admin, app, tenants):
    before = snapshot(app)
    me = tenants.a.admin_membership_id
    for response in (admin.post(url(tenants, f"{me}/role"), data={"role": "member"}),
                     admin.post(url(tenants, f"{me}/deactivate"))):
        assert response.status_code == 422
        assert message(app, LAST_ADMIN) in response.get_data(as_text=True)
    assert snapshot(app) == before


def test_a_deactivated_admin_does_not_count_as_the_other_admin(admin, app, tenants):
    member_id = tenants.a.member_membership_id
    admin.post(url(tenants, f"{member_id}/role"), data={"role": "admin"})
    admin.post(url(tenants, f"{member_id}/deactivate"))
    before = snapshot(app)
    response = admin.post(url(tenants, f"{tenants.a.admin_membership_id}/deactivate"))
    assert response.status_code == 422
    assert snapshot(app) == before


def test_deactivated_member_is_locked_out_and_their_exchanges_stay(client, admin, app, tenants):
    member_id = tenants.a.member_membership_id
    kept = make_exchange(app, tenants.a.id, member_id, comment="Appel du matin")
    member = app.test_client()
    log_in(member, tenants.a.member_email)
    assert member.get(f"/t/{tenants.a.slug}/").status_code == 200

    response = admin.post(url(tenants, f"{member_id}/deactivate"))
    assert response.status_code == 303
    assert not membership(app, tenants.a.id, member_id).active
    # The open session no longer reaches the company, and a new login is refused.
    assert member.get(f"/t/{tenants.a.slug}/").status_code == 404
    fresh = app.test_client()
    refused = fresh.post("/login", data={"email": tenants.a.member_email, "password": PASSWORD})
    assert refused.status_code == 422
    assert exchange(app, tenants.a.id, kept).author_id == member_id
    [entry] = audit(app, tenants.a.id, "member.active")
    assert (entry.before, entry.after) == ({"active": True}, {"active": False})

    assert admin.post(url(tenants, f"{member_id}/reactivate")).status_code == 303
    assert membership(app, tenants.a.id, member_id).active
    assert log_in(fresh, tenants.a.member_email).get(f"/t/{tenants.a.slug}/").status_code == 200


def test_an_admin_may_leave_when_another_admin_stays(admin, app, tenants):
    admin.post(url(tenants, f"{tenants.a.member_membership_id}/role"), data={"role": "admin"})
    response = admin.post(url(tenants, f"{tenants.a.admin_membership_id}/deactivate"))
    assert response.status_code == 303 and response.headers["Location"] == "/workspaces"
    assert admin.get(url(tenants)).status_code == 404


def test_another_company_members_are_404(admin, app, tenants):
    theirs = tenants.b.member_membership_id
    before = snapshot(app)
    for path, data in [(f"{theirs}/role", {"role": "admin"}), (f"{theirs}/deactivate", {}),
                       (f"{theirs}/reactivate", {}), (f"{theirs}/permissions",
                                                       {"preset": "admin"})]:
        assert admin.post(url(tenants, path), data=data).status_code == 404, path
        assert admin.post(url(tenants, path, slug=tenants.b.slug), data=data).status_code == 404
    for path in (f"{theirs}", f"{theirs}/permissions", "999999"):
        assert admin.get(url(tenants, path)).status_code == 404, path
    assert snapshot(app) == before


def invite(client, tenants, email=NEWCOMER):
    return client.post(url(tenants, "invite"), data={"email": email, "role": "member"})


def invitation_id(app, tenants) -> int:
    with app.app_context(), bound_tenant(tenants.a.id):
        return db.session.scalar(select(Invitation.id))


def test_resend_makes_a_new_link_and_kills_the_old_one(admin, app, tenants):
    invite(admin, tenants)
    [first] = outbox(app, to=NEWCOMER, kind="invitation")
    old_link = link_in(first)
    response = admin.post(url(tenants, f"invitations/{invitation_id(app, tenants)}/resend"))
    assert response.status_code == 303
    first_again, second = outbox(app, to=NEWCOMER, kind="invitation")
    new_link = link_in(second)
    assert new_link != old_link and first_again.id == first.id
    visitor = app.test_client()
    assert visitor.get(old_link).status_code == 404
    assert visitor.post(old_link, data={"display_name": "Nina",
                                        "password": STRONG_PASSWORD}).status_code == 404
    assert visitor.get(new_link).status_code == 200
    answer = visitor.post(new_link, data={"display_name": "Nina", "password": STRONG_PASSWORD})
    assert answer.headers["Location"] == f"/t/{tenants.a.slug}/"
    assert message(app, "A new invitation was sent to %(email)s; the previous link no longer "
                        "works.", email=NEWCOMER) in admin.get(url(tenants)).get_data(as_text=True)


def test_an_expired_invitation_can_be_sent_again(admin, app, tenants):
    invite(admin, tenants)
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(update(Invitation).values(expires_at=utcnow()))
        db.session.commit()
    page = admin.get(url(tenants)).get_data(as_text=True)
    item = page[page.index(f'id="invitation-{invitation_id(app, tenants)}"'):]
    assert "/resend" in item[:item.index("</li>")]
    admin.post(url(tenants, f"invitations/{invitation_id(app, tenants)}/resend"))
    link = link_in(outbox(app, to=NEWCOMER, kind="invitation")[-1])
    assert app.test_client().get(link).status_code == 200


def test_cancel_deletes_the_invitation_and_its_link(admin, app, tenants):
    invite(admin, tenants)
    link = link_in(outbox(app, to=NEWCOMER, kind="invitation")[0])
    response = admin.post(url(tenants, f"invitations/{invitation_id(app, tenants)}/cancel"))
    assert response.status_code == 303
    assert invitation_id(app, tenants) is None
    assert app.test_client().get(link).status_code == 404
    page = admin.get(url(tenants)).get_data(as_text=True)
    assert 'id="invitations"' not in page
    assert message(app, "The invitation of %(email)s is cancelled; its link no longer works.",
                   email=NEWCOMER) in page


def test_accepted_or_foreign_invitations_cannot_be_resent_or_cancelled(admin, app, tenants):
    invite(admin, tenants)
    ours = invitation_id(app, tenants)
    link = link_in(outbox(app, to=NEWCOMER, kind="invitation")[0])
    app.test_client().post(link, data={"display_name": "Nina", "password": STRONG_PASSWORD})
    bob = log_in(app.test_client(), tenants.b.admin_email)
    bob.post(f"/t/{tenants.b.slug}/members/invite", data={"email": "zoe@example.org",
                                                         "role": "member"})
    with app.app_context(), bound_tenant(tenants.b.id):
        theirs = db.session.scalar(select(Invitation.id))
    before = snapshot(app)
    for invitation in (ours, theirs, 999999):
        for action in ("resend", "cancel"):
            response = admin.post(url(tenants, f"invitations/{invitation}/{action}"))
            assert response.status_code == 404, (invitation, action)
    assert snapshot(app) == before
