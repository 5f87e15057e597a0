"""Security headers on every kind of response, and the password policy.

Each promise of docs/SECURITY.md has its test here (or one named in its docstring).
"""

import pytest

from ct import config, create_app
from ct.auth.passwords import common_passwords, password_problem
from ct.extensions import db
from ct.web.security import CSP
from tests.auth_support import PASSWORD

pytestmark = pytest.mark.usefixtures("english_messages")


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def responses(client, tenants):
    """One response of each kind: page, fragment, redirect, form error, 404, 405,
    static file, calendar feed 404, and a logged-in tenant page."""
    got = {
        "page": client.get("/login"),
        "fragment": client.get("/login", headers={"HX-Request": "true"}),
        "redirect": client.get(f"/t/{tenants.a.slug}/"),
        "form error": client.post("/login", data={"email": "", "password": ""}),
        "not found": client.get("/no/such/page"),
        "method not allowed": client.get("/logout"),
        "static": client.get("/static/app.js"),
        "feed": client.get("/calendar/1-nothing.ics"),
    }
    client.post("/login", data={"email": tenants.a.admin_email, "password": PASSWORD})
    got["tenant page"] = client.get(f"/t/{tenants.a.slug}/")
    for response in got.values():
        response.close()  # the static file's
    return got


def test_every_response_carries_the_headers(responses):
    expected = {"page": 200, "fragment": 200, "redirect": 302, "form error": 422,
                "not found": 404, "method not allowed": 405, "static": 200, "feed": 404,
                "tenant page": 200}
    for kind, response in responses.items():
        assert response.status_code == expected[kind], kind
        headers = response.headers
        assert headers["Content-Security-Policy"] == CSP, kind
        assert headers["X-Content-Type-Options"] == "nosniff", kind
        assert headers["Referrer-Policy"] == "same-origin", kind
        assert headers["X-Frame-Options"] == "DENY", kind
        assert "Strict-Transport-Security" not in headers, kind  # plain HTTP


def test_csp_is_strict():
    policy = directives(CSP)
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP and "unsafe-hashes" not in CSP
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval, no CDN
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]  # no clickjacking through a frame
    assert policy["img-src"] == ["'self'", "data:"]  # Pico's icons; no remote image
    assert not any("*" in value or value.startswith("http") for values in policy.values()
                   for value in values)


def test_pages_fit_the_csp(client, auth, tenants):
    """No inline script, style or event handler: tests/test_pages.py
    (test_pages_have_no_inline_script_or_style); real Chromium reports any CSP
    violation in the end-to-end journeys (tests/e2e/conftest.py)."""
    auth.login(tenants.a.admin_email)
    html = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and " onclick=" not in html


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://ct.test")
    hsts = secure.headers["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 3600
    assert "includeSubDomains" in hsts


def test_hsts_behind_a_tls_proxy_of_an_https_deployment(app):
    """gunicorn behind a proxy that ends TLS sees plain HTTP; the HTTPS deployment
    (BASE_URL https://…) still sends HSTS."""

    class HttpsConfig(config.TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        BASE_URL = "https://ct.example"
        SESSION_COOKIE_SECURE = True

    https_app = create_app(HttpsConfig)
    try:
        response = https_app.test_client().get("/login")
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    finally:
        with https_app.app_context():
            db.engine.dispose()


# Password policy -----------------------------------------------------------------------


def test_the_common_password_list_is_bundled_and_large():
    words = common_passwords()
    assert len(words) >= 10_000
    assert {"password", "123456", "qwertyuiop", "motdepasse", "azertyuiop"} <= words


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "password123",
                                      "PASSWORD123", "iloveyou12", "motdepasse1",
                                      "1q2w3e4r5t", "azertyuiop"])
def test_common_passwords_are_refused(password):
    assert password_problem(password) == "This password is too common; choose another one."


def test_every_listed_password_long_enough_is_refused():
    long_enough = [w for w in common_passwords() if 10 <= len(w) <= 128]
    assert len(long_enough) > 1000
    assert all(password_problem(w) for w in long_enough)


@pytest.mark.parametrize(("password", "problem"), [
    ("", "Use at least 10 characters."),
    ("short pw", "Use at least 10 characters."),
    ("x" * 129, "Use at most 128 characters."),
    ("a sentence of my own", None),
    ("été à la plage", None),
])
def test_length_rules(password, problem):
    assert password_problem(password) == problem


def test_signup_refuses_a_common_password_and_writes_nothing(client, app):
    from tests.auth_support import row_counts
    from tests.test_signup import ask, confirmation_link

    ask(client, company="Gamma", display_name="Gina", email="gina@gamma.fr")
    link = confirmation_link(app, "gina@gamma.fr")
    before = row_counts(app)
    response = client.post(link, data={"password": "qwertyuiop"})
    assert response.status_code == 422
    assert "This password is too common" in response.get_data(as_text=True)
    assert row_counts(app) == before
