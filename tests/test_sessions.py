"""Sessions: what the cookies promise, and that a session ends when it should.

The session is a signed cookie; a copy replayed later must not bring the user back
after a logout or a password change. Login throttling: tests/test_login_throttling.py.
"""

import pytest
from werkzeug.http import parse_cookie

from ct import config, create_app
from ct.extensions import db
from tests.auth_support import NEW_PASSWORD, PASSWORD, is_logged_in


def login(client, email, remember=False, **kwargs):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/login", data=data, **kwargs)
    assert response.status_code == 303
    return response


def set_cookies(response) -> dict[str, str]:
    """Set-Cookie headers by cookie name → the whole header."""
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def attributes(header: str) -> dict[str, str]:
    parts = [p.strip() for p in header.split(";")[1:]]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else "") for p in parts}


def replay(app, name: str, value: str, **kwargs):
    """A fresh browser carrying only a copied cookie."""
    other = app.test_client()
    other.set_cookie(name, value, **kwargs)
    return other


# Ending sessions -----------------------------------------------------------------------


def test_a_session_cookie_replayed_after_logout_is_anonymous(app, client, tenants):
    login(client, tenants.a.admin_email)
    copied = client.get_cookie("session").value
    assert is_logged_in(replay(app, "session", copied))  # the copy works before…
    client.post("/logout")
    assert not is_logged_in(client)
    assert not is_logged_in(replay(app, "session", copied))  # …and not after


def test_a_remember_cookie_replayed_after_logout_is_anonymous(app, client, tenants):
    login(client, tenants.a.admin_email, remember=True)
    copied = client.get_cookie("remember_token").value
    client.post("/logout")
    assert client.get_cookie("remember_token") is None
    assert not is_logged_in(replay(app, "remember_token", copied))


def test_logout_ends_the_sessions_of_other_browsers_too(app, tenants):
    """Documented trade-off: a stateless cookie can only be revoked for the whole account."""
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, tenants.a.admin_email)
    login(phone, tenants.a.admin_email)
    laptop.post("/logout")
    assert not is_logged_in(phone)
    login(phone, tenants.a.admin_email)  # logging in again works at once
    assert is_logged_in(phone)


def test_a_session_cookie_from_before_a_password_change_is_anonymous(app, client, tenants):
    login(client, tenants.a.admin_email)
    before = client.get_cookie("session").value
    response = client.post("/account", data={"current": PASSWORD, "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert response.status_code == 303
    assert is_logged_in(client)  # the browser that changed it stays in
    assert not is_logged_in(replay(app, "session", before))
    # Other browsers and remember-me cookies: tests/test_password.py
    # (test_password_change_logs_out_the_other_sessions).


def test_logout_of_an_anonymous_visitor_is_harmless(client):
    assert client.post("/logout").status_code == 303


# Cookies -------------------------------------------------------------------------------


def test_cookies_over_plain_http_keep_plain_names_and_are_http_only(client, tenants):
    """make run and the tests speak HTTP: a Secure or __Host- cookie would be dropped."""
    cookies = set_cookies(login(client, tenants.a.admin_email, remember=True))
    assert set(cookies) >= {"session", "remember_token"}
    for header in cookies.values():
        attrs = attributes(header)
        assert "httponly" in attrs and attrs["samesite"] == "Lax"
        assert "secure" not in attrs


@pytest.fixture
def production_app(app):
    """The configuration of an HTTPS deployment (BASE_URL https://…), on the test database."""

    class HttpsConfig(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        REDIS_URL = app.config["REDIS_URL"]
        WTF_CSRF_ENABLED = False
        BASE_URL = "https://ct.example"
        SESSION_COOKIE_SECURE = True

    production = create_app(HttpsConfig)
    yield production
    with production.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_cookies_are_secure_http_only_same_site_and_host_prefixed(production_app,
                                                                             tenants):
    client = production_app.test_client()
    response = login(client, tenants.a.admin_email, remember=True,
                     base_url="https://ct.example")
    cookies = set_cookies(response)
    assert set(cookies) >= {"__Host-session", "__Host-remember_token"}
    assert "session" not in cookies and "remember_token" not in cookies
    for header in (cookies["__Host-session"], cookies["__Host-remember_token"]):
        attrs = attributes(header)
        # What the browser demands of a __Host- cookie: Secure, Path=/, no Domain.
        assert "secure" in attrs and attrs["path"] == "/" and "domain" not in attrs
        assert "httponly" in attrs and attrs["samesite"] == "Lax"
    # The prefixed cookies are read back: the session works, and so does remember-me.
    assert client.get("/account", base_url="https://ct.example").status_code == 200
    remembered = production_app.test_client()
    value = parse_cookie(cookies["__Host-remember_token"].split(";")[0])["__Host-remember_token"]
    remembered.set_cookie("__Host-remember_token", value, domain="ct.example")
    assert remembered.get("/account", base_url="https://ct.example").status_code == 200
