"""Every page: security headers, fragment vs full page, error pages, no dead links."""

import re
from types import SimpleNamespace

import pytest
from flask import Blueprint

from ct import create_app
from ct.web.security import CSP


def test_security_headers_on_every_response(client):
    response = client.get("/login")
    assert response.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here


def test_hsts_over_https(client):
    response = client.get("/login", base_url="https://ct.test")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_pages_have_no_inline_script_or_style(client, auth, tenants):
    auth.login(tenants.a.admin_email)
    for url in ("/login", f"/t/{tenants.a.slug}/", f"/t/{tenants.a.slug}/members/"):
        html = client.get(url).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle\s*=", html), url
        assert not re.search(r"\son[a-z]+\s*=", html), url


def test_htmx_request_gets_the_fragment_only(client, htmx, tenants):
    for c in (client, htmx):
        c.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    url = f"/t/{tenants.a.slug}/members/invite"
    full = client.post(url, data={"email": "not-an-email"})
    fragment = htmx.post(url, data={"email": "not-an-email"})
    assert full.status_code == fragment.status_code == 422
    assert b"<html" in full.data
    assert b"<html" not in fragment.data and b'id="invite-form"' in fragment.data
    assert b"field-error" in fragment.data


def test_history_restore_gets_the_full_page(htmx, tenants):
    htmx.post("/login", data={"email": tenants.a.admin_email, "password": "correct horse battery"})
    response = htmx.post(f"/t/{tenants.a.slug}/members/invite", data={"email": "x"},
                         headers={"HX-History-Restore-Request": "true"})
    assert b"<html" in response.data


def test_404_page_is_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert b"Page not found" in response.data or b"Page introuvable" in response.data


def test_500_page_shows_no_trace(app):
    other = create_app(SimpleNamespace(**app.config))  # routes can't be added once serving
    broken = Blueprint("broken_for_test", __name__)

    @broken.get("/__broken")
    def boom():
        raise RuntimeError("secret internals")

    other.register_blueprint(broken)
    other.testing = False  # what production does: no exception propagation
    response = other.test_client().get("/__broken")
    assert response.status_code == 500
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data
    assert b"<html" in response.data


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_dead_links_in_the_navigation(client, auth, tenants, language):
    auth.login(tenants.a.admin_email)
    client.post("/language", data={"language": language})
    home = client.get(f"/t/{tenants.a.slug}/").get_data(as_text=True)
    links = set(re.findall(r'href="(/[^"]*)"', home))
    assert len(links) >= 10
    for link in links:
        with client.get(link) as response:
            assert response.status_code == 200, link


def test_htmx_errors_show_a_message_not_a_nested_page(htmx, tenants):
    htmx.post("/login", data={"email": "arthur@alpha.fr", "password": "correct horse battery"})
    # A member (not admin) may not invite: 403, as a message for the status region.
    response = htmx.post(f"/t/{tenants.a.slug}/members/invite", data={"email": "x@y.fr"})
    assert response.status_code == 403
    assert b"<html" not in response.data and b"role=\"alert\"" in response.data
    assert response.headers["HX-Retarget"] == "#flashes"
