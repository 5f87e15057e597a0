"""Invitations: only admins invite; a link joins a new or an existing account, once."""

from datetime import timedelta

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import delete, select, update

from ct.core.permissions import PRESETS
from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Invitation, Membership, User
from ct.models.base import utcnow
from tests.auth_support import (
    PASSWORD,
    STRONG_PASSWORD,
    field_error,
    is_logged_in,
    link_in,
    marked_invalid,
    message,
    outbox,
    row_counts,
    wtforms_message,
)

LINK_DEAD = "This link no longer works"
NEWCOMER = "nina@example.org"


def invite(client, slug, email=NEWCOMER, role="member", **kwargs):
    return client.post(f"/t/{slug}/members/invite", data={"email": email, "role": role},
                       **kwargs)


def invitation_link(app, email=NEWCOMER) -> str:
    [email_row] = outbox(app, to=email, kind="invitation")
    return link_in(email_row)


def membership_of(app, tenant_id, email) -> Membership | None:
    with app.app_context(), bound_tenant(tenant_id):
        user = User.by_email(email)
        membership = user and Membership.of_user(user.id)
        if membership is not None:
            db.session.expunge(membership)
        return membership


@pytest.fixture
def admin(client, auth, tenants):
    """The client, logged in as the admin of company A."""
    auth.login(tenants.a.admin_email)
    return client


def test_admin_invites_a_teammate(admin, app, tenants):
    response = invite(admin, tenants.a.slug, email="  Nina@Example.org ", role="admin")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{tenants.a.slug}/members/"
    with app.app_context(), bound_tenant(tenants.a.id):
        [invitation] = db.session.scalars(select(Invitation)).all()
        assert (invitation.email, invitation.role) == (NEWCOMER, "admin")
        assert invitation.invited_by_id == tenants.a.admin_membership_id
        assert invitation.accepted_at is None and invitation.expires_at > utcnow()
    [email] = outbox(app, to=NEWCOMER)
    assert email.kind == "invitation" and email.tenant_id == tenants.a.id
    assert "Alpha Conseil" in email.body_text and "Admin Alpha Conseil" in email.body_text
    assert invitation_link(app).startswith("/invitation/")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert NEWCOMER in page  # listed with the pending invitations


def test_member_cannot_invite(client, auth, app, tenants):
    auth.login(tenants.a.member_email)
    before = row_counts(app)
    response = invite(client, tenants.a.slug)
    assert response.status_code == 403
    assert row_counts(app) == before
    assert b'id="invite-form"' not in client.get(f"/t/{tenants.a.slug}/members/").data


@pytest.mark.parametrize("role", ["member", "admin"])
def test_invitation_accepted_with_a_new_account(admin, app, tenants, role):
    invite(admin, tenants.a.slug, role=role)
    link = invitation_link(app)
    newcomer = app.test_client()
    page = newcomer.get(link)
    assert page.status_code == 200 and b'name="display_name"' in page.data
    response = newcomer.post(link, data={"display_name": "Nina Martin",
                                         "password": STRONG_PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{tenants.a.slug}/"
    membership = membership_of(app, tenants.a.id, NEWCOMER)
    assert membership.role == role and membership.active
    assert set(membership.rights) == set(PRESETS[role])
    assert newcomer.get(f"/t/{tenants.a.slug}/").status_code == 200
    assert is_logged_in(newcomer)


def test_new_account_bad_input_writes_nothing(admin, app, tenants):
    invite(admin, tenants.a.slug)
    link = invitation_link(app)
    before = row_counts(app)
    newcomer = app.test_client()
    response = newcomer.post(link, data={"display_name": "", "password": "short"})
    assert response.status_code == 422
    assert field_error(response, "display_name") == message(app, "This field is required.")
    assert field_error(response, "password") == message(app, "Use at least %(n)d characters.",
                                                        n=10)
    assert row_counts(app) == before
    assert newcomer.get(link).status_code == 200  # the link still works


def test_existing_user_of_another_company_joins_with_their_password(admin, app, tenants):
    bob = tenants.b.admin_email
    invite(admin, tenants.a.slug, email=bob)
    link = invitation_link(app, bob)
    visitor = app.test_client()
    page = visitor.get(link)
    assert page.status_code == 200
    assert b'name="password"' in page.data and b'name="display_name"' not in page.data

    before = row_counts(app)
    wrong = visitor.post(link, data={"password": "not his password"})
    assert wrong.status_code == 422
    assert field_error(wrong, "password") == message(app, "Wrong password.")
    assert row_counts(app) == before and not is_logged_in(visitor)

    response = visitor.post(link, data={"password": PASSWORD})
    assert response.headers["Location"] == f"/t/{tenants.a.slug}/"
    assert membership_of(app, tenants.a.id, bob).role == "member"

    # The workspace switcher lists both companies (loaded when it opens, the current
    # one marked) and so does /workspaces.
    page = visitor.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert f'/workspaces/menu?current={tenants.a.slug}"' in page
    menu = visitor.get(f"/workspaces/menu?current={tenants.a.slug}").get_data(as_text=True)
    assert f'href="/t/{tenants.a.slug}/" aria-current="true"' in menu
    assert f'href="/t/{tenants.b.slug}/">' in menu
    for slug in (tenants.a.slug, tenants.b.slug):
        assert f'href="/t/{slug}/"' in visitor.get("/workspaces").get_data(as_text=True)


def test_logged_in_invitee_confirms_before_joining(admin, app, tenants):
    bob = tenants.b.admin_email
    invite(admin, tenants.a.slug, email=bob)
    link = invitation_link(app, bob)
    browser = app.test_client()
    browser.post("/login", data={"email": bob, "password": PASSWORD})
    page = browser.get(link)
    assert page.status_code == 200
    assert membership_of(app, tenants.a.id, bob) is None  # opening the link joins nothing
    response = browser.post(link)
    assert response.headers["Location"] == f"/t/{tenants.a.slug}/"
    assert membership_of(app, tenants.a.id, bob).active


def test_former_member_comes_back_with_the_new_role(admin, app, tenants):
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(update(Membership).where(
            Membership.id == tenants.a.member_membership_id).values(active=False))
        db.session.commit()
    assert invite(admin, tenants.a.slug, email=tenants.a.member_email,
                  role="admin").status_code == 303
    link = invitation_link(app, tenants.a.member_email)
    response = app.test_client().post(link, data={"password": PASSWORD})
    assert response.status_code == 303
    membership = membership_of(app, tenants.a.id, tenants.a.member_email)
    assert membership.id == tenants.a.member_membership_id
    assert membership.active and membership.role == "admin"
    assert set(membership.rights) == set(PRESETS["admin"])


# Dead links ----------------------------------------------------------------------------


def _assert_dead(app, link):
    before = row_counts(app)
    visitor = app.test_client()
    for response in (visitor.get(link),
                     visitor.post(link, data={"display_name": "Intruder",
                                              "password": STRONG_PASSWORD})):
        assert response.status_code == 404
        assert message(app, LINK_DEAD) in response.get_data(as_text=True)
    assert row_counts(app) == before
    assert not is_logged_in(visitor)


def test_reused_invitation_link_is_dead(admin, app, tenants):
    invite(admin, tenants.a.slug)
    link = invitation_link(app)
    app.test_client().post(link, data={"display_name": "Nina", "password": STRONG_PASSWORD})
    _assert_dead(app, link)


def test_second_click_on_join_finds_the_link_used(admin, app, tenants, monkeypatch):
    """Both requests read the invitation before either committed (a double click)."""
    invite(admin, tenants.a.slug)
    link = invitation_link(app)
    data = {"display_name": "Nina", "password": STRONG_PASSWORD}
    assert app.test_client().post(link, data=data).status_code == 303
    monkeypatch.setattr(Invitation, "usable", property(lambda self: True))
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(delete(Membership).where(Membership.user_id == db.session.scalar(
            select(User.id).where(User.email == NEWCOMER))))
        db.session.execute(delete(User).where(User.email == NEWCOMER))
        db.session.commit()
    before = row_counts(app)
    second = app.test_client().post(link, data=data)
    assert second.status_code == 404
    assert message(app, LINK_DEAD) in second.get_data(as_text=True)
    assert row_counts(app) == before


def test_expired_invitation_link_is_dead(admin, app, tenants, monkeypatch):
    invite(admin, tenants.a.slug)
    link = invitation_link(app)
    with app.app_context(), bound_tenant(tenants.a.id):
        db.session.execute(update(Invitation).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    _assert_dead(app, link)


def test_invitation_follows_the_configured_max_age(admin, app, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "INVITATION_MAX_AGE", -1)
    invite(admin, tenants.a.slug)
    _assert_dead(app, invitation_link(app))


def _signed(app, payload, key=None):
    return URLSafeSerializer(key or app.config["SECRET_KEY"], salt="invitation").dumps(payload)


@pytest.mark.parametrize(
    "forge",
    [
        lambda app, token, ids: "garbage",
        lambda app, token, ids: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda app, token, ids: "a" * 4000,
        lambda app, token, ids: _signed(app, [*ids, "guessed secret"]),
        lambda app, token, ids: _signed(app, [*ids, "x"], key="another secret"),
        lambda app, token, ids: _signed(app, [ids[0] + 1, ids[1], "x"]),  # other tenant
        lambda app, token, ids: _signed(app, [ids[0], 999, "x"]),
        lambda app, token, ids: _signed(app, ["1", "1", "x"]),
        lambda app, token, ids: _signed(app, [True, True, None]),
        lambda app, token, ids: _signed(app, {"a": 1}),
        lambda app, token, ids: _signed(app, "scalar"),
    ],
    ids=["garbage", "altered", "long", "guessed-secret", "other-key", "other-tenant",
         "unknown-id", "strings", "booleans", "dict", "scalar"],
)
def test_forged_invitation_links_are_dead(admin, app, tenants, forge):
    invite(admin, tenants.a.slug)
    token = invitation_link(app).rsplit("/", 1)[1]
    with app.app_context(), bound_tenant(tenants.a.id):
        ids = (tenants.a.id, db.session.scalar(select(Invitation.id)))
    _assert_dead(app, "/invitation/" + forge(app, token, ids))


# Bad input in the invite form ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field", "expected"),
    [
        ({"email": "arthur@alpha.fr"}, "email", "This person is already a member."),
        ({"email": " ARTHUR@Alpha.fr"}, "email", "This person is already a member."),
        ({"email": "alice@alpha.fr"}, "email", "This person is already a member."),
        ({"email": "not-an-email"}, "email", "Enter a valid email address."),
        ({"email": ""}, "email", "This field is required."),
        ({"email": "nina\x00@example.org"}, "email", "Remove the invisible control characters."),
    ],
)
def test_invite_bad_input(admin, app, tenants, data, field, expected):
    before = row_counts(app)
    response = admin.post(f"/t/{tenants.a.slug}/members/invite",
                          data={"email": NEWCOMER, "role": "member", **data})
    assert response.status_code == 422
    assert field_error(response, field) == message(app, expected)
    assert marked_invalid(response, field)
    assert row_counts(app) == before


@pytest.mark.parametrize("role", ["superuser", "", "ADMIN", "admin "])
def test_invite_with_an_unknown_role_is_a_field_error(admin, app, tenants, role):
    before = row_counts(app)
    response = invite(admin, tenants.a.slug, role=role)
    assert response.status_code == 422
    expected = (message(app, "Choose a role.") if role == ""  # left out: no default taken
                else wtforms_message("Not a valid choice."))
    assert field_error(response, "role") == expected
    assert row_counts(app) == before


def test_invite_over_htmx_returns_only_the_form(admin, app, tenants):
    before = row_counts(app)
    response = invite(admin, tenants.a.slug, email=tenants.a.member_email,
                      headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<form id="invite-form"') and "<html" not in html
    assert field_error(response, "email") == message(app, "This person is already a member.")
    assert row_counts(app) == before
    assert "HX-Request" in response.headers["Vary"]


def test_invite_over_htmx_redirects_with_a_header(admin, app, tenants):
    response = invite(admin, tenants.a.slug, headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/t/{tenants.a.slug}/members/"
    assert len(outbox(app, to=NEWCOMER)) == 1


def test_company_name_is_escaped_in_the_invitation_email(client, app):
    from tests.test_signup import sign_up

    response = sign_up(client, company="<img src=x onerror=alert(1)>", display_name="Eve",
                       email="eve@example.org", password=STRONG_PASSWORD)
    slug = response.headers["Location"].split("/")[2]
    assert invite(client, slug).status_code == 303
    [email] = outbox(app, to=NEWCOMER)
    assert "<img src=x" not in email.body_html and "&lt;img src=x" in email.body_html
