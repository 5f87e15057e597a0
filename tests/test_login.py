"""Log in and out: one answer for every failure, remember me, safe redirects,
deactivated members."""

import pytest
from sqlalchemy import update

from ct.core.tenancy import bound_tenant
from ct.extensions import db
from ct.models import Membership
from tests.auth_support import PASSWORD, field_error, is_logged_in, message

WRONG = "Wrong email or password."


def deactivate(app, tenant_id: int, membership_id: int) -> None:
    with app.app_context(), bound_tenant(tenant_id):
        db.session.execute(
            update(Membership).where(Membership.id == membership_id).values(active=False))
        db.session.commit()


def test_login_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b'name="email"' in response.data and b'name="remember"' in response.data


def test_login_lands_on_the_only_company(client, auth, tenants):
    response = auth.login(tenants.a.admin_email)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{tenants.a.slug}/"
    assert client.get(response.headers["Location"]).status_code == 200
    assert is_logged_in(client)


def test_login_ignores_case_and_spaces_of_the_email(client, auth, tenants):
    assert auth.login("  ALICE@alpha.fr ").status_code == 303
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("alice@alpha.fr", "not the right password"),
        ("nobody@alpha.fr", PASSWORD),
    ],
)
def test_wrong_password_and_unknown_email_answer_alike(client, auth, app, tenants, email,
                                                       password):
    response = auth.login(email, password)
    assert response.status_code == 422
    assert field_error(response, "password") == message(app, WRONG)
    assert field_error(response, "email") is None  # nothing says which one was wrong
    assert not is_logged_in(client)


def test_remember_me_sets_the_remember_cookie(client, auth, tenants):
    auth.login(tenants.a.admin_email, remember="y")
    assert client.get_cookie("remember_token") is not None


def test_no_remember_cookie_without_remember_me(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    assert is_logged_in(client)
    assert client.get_cookie("remember_token") is None


def test_remember_cookie_alone_logs_in(app, client, auth, tenants):
    auth.login(tenants.a.admin_email, remember="y")
    browser_restarted = app.test_client()
    browser_restarted.set_cookie("remember_token", client.get_cookie("remember_token").value)
    assert is_logged_in(browser_restarted)


def test_logout_ends_the_session(client, auth, tenants):
    auth.login(tenants.a.admin_email, remember="y")
    assert client.get(f"/t/{tenants.a.slug}/").status_code == 200
    response = auth.logout()
    assert response.status_code == 303
    assert client.get_cookie("remember_token") is None
    response = client.get(f"/t/{tenants.a.slug}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_logout_is_a_post(client, auth, tenants):
    """A link or an image on another site cannot log the user out."""
    auth.login(tenants.a.admin_email)
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_login_comes_back_to_the_asked_page(client, auth, tenants):
    asked = f"/t/{tenants.a.slug}/members/"
    response = client.get(asked)
    assert response.status_code == 302
    login_page = response.headers["Location"]
    assert login_page.startswith("/login?next=")
    response = client.post(login_page, data={"email": tenants.a.admin_email,
                                             "password": PASSWORD})
    assert response.headers["Location"] == asked


@pytest.mark.parametrize(
    "next_url",
    [
        "//evil.example",
        "https://evil.example",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\r\nSet-Cookie: stolen=1",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, auth, tenants, next_url):
    home = f"/t/{tenants.a.slug}/"
    response = client.post("/login", query_string={"next": next_url},
                           data={"email": tenants.a.admin_email, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == home
    # Already logged in, the login page redirects the same way.
    response = client.get("/login", query_string={"next": next_url})
    assert response.headers["Location"] == home


def test_next_keeps_its_query_string(client, auth, tenants):
    target = f"/t/{tenants.a.slug}/members/?page=2"
    response = client.post("/login", query_string={"next": target},
                           data={"email": tenants.a.admin_email, "password": PASSWORD})
    assert response.headers["Location"] == target


def test_user_of_two_companies_chooses_one(client, auth, app, tenants):
    from ct.models import User

    with app.app_context(), bound_tenant(tenants.b.id):
        Membership.create(User.by_email(tenants.a.admin_email), "member")
        db.session.commit()
    response = auth.login(tenants.a.admin_email)
    assert response.headers["Location"] == "/workspaces"
    page = client.get("/workspaces").get_data(as_text=True)
    assert f'href="/t/{tenants.a.slug}/"' in page and f'href="/t/{tenants.b.slug}/"' in page


# Deactivated members --------------------------------------------------------------------


def test_deactivated_member_cannot_reach_the_company(client, auth, app, tenants):
    auth.login(tenants.a.member_email)
    assert client.get(f"/t/{tenants.a.slug}/").status_code == 200
    deactivate(app, tenants.a.id, tenants.a.member_membership_id)
    for path in ("/", "/members/", "/exchanges"):
        assert client.get(f"/t/{tenants.a.slug}{path}").status_code == 404


def test_member_deactivated_everywhere_cannot_log_in(client, auth, app, tenants):
    deactivate(app, tenants.a.id, tenants.a.member_membership_id)
    response = auth.login(tenants.a.member_email)
    assert response.status_code == 422
    assert field_error(response, "password") == message(app, WRONG)  # the same answer
    assert not is_logged_in(client)


def test_member_deactivated_in_one_company_still_reaches_the_other(client, auth, app, tenants):
    from ct.models import User

    with app.app_context(), bound_tenant(tenants.b.id):
        Membership.create(User.by_email(tenants.a.member_email), "member")
        db.session.commit()
    deactivate(app, tenants.a.id, tenants.a.member_membership_id)
    response = auth.login(tenants.a.member_email)
    assert response.headers["Location"] == f"/t/{tenants.b.slug}/"
    assert client.get(f"/t/{tenants.a.slug}/").status_code == 404
    assert client.get(f"/t/{tenants.b.slug}/").status_code == 200
