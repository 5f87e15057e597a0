"""CSRF: with protection on (as in production), a form without the page's token is refused."""

import re

import pytest

from tests.auth_support import PASSWORD, STRONG_PASSWORD, csrf_token_of, is_logged_in, message
from tests.auth_support import row_counts as counts

EXPIRED = "For your security the form expired. Go back, reload the page and try again."


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture
def admin(client, auth, tenants):
    auth.login(tenants.a.admin_email)  # logged in before the protection is switched on
    return client


def _forms(tenants):
    return {
        "signup": ("/signup", "/signup", {"company": "Atelier", "display_name": "Claire",
                                          "email": "claire@atelier.fr",
                                          "password": STRONG_PASSWORD}),
        "login": ("/login", "/login", {"email": tenants.b.admin_email, "password": PASSWORD}),
        "invite": (f"/t/{tenants.a.slug}/members/", f"/t/{tenants.a.slug}/members/invite",
                   {"email": "nina@example.org", "role": "member"}),
    }


@pytest.mark.parametrize("form", ["signup", "login", "invite"])
@pytest.mark.parametrize("token", [None, "forged", "from-another-session"])
def test_post_without_the_page_token_is_refused(admin, app, tenants, csrf_on, form, token):
    page, action, data = _forms(tenants)[form]
    if token == "from-another-session":
        token = csrf_token_of(app.test_client().get("/login"))
    if token is not None:
        data = {**data, "csrf_token": token}
    before = counts(app)
    response = admin.post(action, data=data)
    assert response.status_code == 400
    assert message(app, EXPIRED) in response.get_data(as_text=True)
    assert counts(app) == before


@pytest.mark.parametrize("form", ["signup", "login", "invite"])
def test_post_with_the_page_token_is_accepted(client, auth, app, tenants, csrf_on, form):
    page, action, data = _forms(tenants)[form]
    if form == "invite":
        auth.login(tenants.a.admin_email, csrf_token=csrf_token_of(client.get("/login")))
    token = csrf_token_of(client.get(page))
    before = counts(app)
    response = client.post(action, data={**data, "csrf_token": token})
    assert response.status_code == 303
    if form == "signup":  # the first step only sends the confirmation link (a job)
        assert response.headers["Location"] == "/signup/sent"
        return
    assert (counts(app) != before) == (form != "login")  # logging in writes no row
    assert is_logged_in(client)


def test_htmx_sends_the_token_in_a_header(client, auth, app, tenants, csrf_on):
    auth.login(tenants.a.admin_email, csrf_token=csrf_token_of(client.get("/login")))
    page = client.get(f"/t/{tenants.a.slug}/members/").get_data(as_text=True)
    header = re.search(r'hx-headers:inherited=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    action = f"/t/{tenants.a.slug}/members/invite"
    data = {"email": "nina@example.org", "role": "member"}

    refused = client.post(action, data=data, headers={"HX-Request": "true",
                                                      "X-CSRFToken": "forged"})
    assert refused.status_code == 400
    accepted = client.post(action, data=data, headers={"HX-Request": "true",
                                                       "X-CSRFToken": header})
    assert accepted.status_code == 204


def test_logout_and_language_need_the_token_too(admin, app, tenants, csrf_on):
    assert admin.post("/logout").status_code == 400
    assert admin.post("/language", data={"language": "en"}).status_code == 400
    assert is_logged_in(admin)
    token = csrf_token_of(admin.get("/account"))
    assert admin.post("/logout", data={"csrf_token": token}).status_code == 303
    assert not is_logged_in(admin)
