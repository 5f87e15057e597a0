"""Every account form meets odd values with a field error, never a 500."""

import pytest

from tests.auth_support import PASSWORD, link_in, outbox
from tests.smtp import run_queued_jobs

ODD_VALUES = [
    "",
    "   ",
    "\x00",
    "a\x00b@example.org",
    "\u202eevil",
    "x" * 10_000,
    "é" * 300,
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "0",
    "-1",
    "true",
    "[]",
    "{}",
    "admin\n",
]

FORMS = {
    "signup": ["company", "display_name", "email"],
    "signup_confirm": ["password"],
    "login": ["email", "password", "remember"],
    "forgot": ["email"],
    "reset": ["password", "confirm"],
    "account": ["current", "password", "confirm"],
    "invitation": ["display_name", "password"],
    "invite": ["email", "role"],
    "language": ["language"],
}
ANSWERS = {303, 204, 400, 403, 404, 409, 422, 429}  # 409: a sign-up link used already


@pytest.fixture
def urls(client, auth, app, tenants):
    """Each form's address; the client is logged in as the admin of company A."""
    client.post("/password/forgot", data={"email": tenants.b.member_email})
    client.post("/signup", data={"company": "Atelier", "display_name": "Claire",
                                 "email": "claire@atelier.fr"})
    run_queued_jobs(app)
    auth.login(tenants.a.admin_email)
    client.post(f"/t/{tenants.a.slug}/members/invite", data={"email": "nina@example.org",
                                                             "role": "member"})
    return {
        "signup": "/signup",
        "signup_confirm": link_in(outbox(app, kind="signup_confirm")[0]),
        "login": "/login",
        "forgot": "/password/forgot",
        "reset": link_in(outbox(app, kind="password_reset")[0]),
        "account": "/account",
        "invitation": link_in(outbox(app, kind="invitation")[0]),
        "invite": f"/t/{tenants.a.slug}/members/invite",
        "language": "/language",
    }


@pytest.mark.parametrize("form", FORMS)
def test_odd_values_never_crash_a_form(app, urls, monkeypatch, form):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", False)
    from ct.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)
    for field in FORMS[form]:
        for value in ODD_VALUES:
            # A fresh logged-in client each time: a success must not change the next case.
            client = app.test_client()
            client.post("/login", data={"email": "alice@alpha.fr", "password": PASSWORD})
            response = client.post(urls[form], data={name: "" for name in FORMS[form]}
                                   | {field: value})
            assert response.status_code in ANSWERS, (field, value, response.status_code)
            also_as_list = client.post(urls[form], data={field: [value, value]})
            assert also_as_list.status_code in ANSWERS, (field, value)
