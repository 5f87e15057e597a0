"""Passwords: changing one logs out the other sessions; resetting one by email."""

import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from ct.extensions import db
from ct.models import User
from tests.auth_support import (
    NEW_PASSWORD,
    PASSWORD,
    field_error,
    is_logged_in,
    link_in,
    message,
    outbox,
    row_counts,
)
from tests.smtp import run_queued_jobs

LINK_DEAD = "This link no longer works"
SENT = "If an account uses this email, a link to reset its password is on its way."


def change_password(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return client.post("/account", data={"current": current, "password": new,
                                         "confirm": new if confirm is None else confirm})


def password_hash(app, email):
    with app.app_context():
        return User.by_email(email).password_hash


def logs_in(app, email, password) -> bool:
    return app.test_client().post(
        "/login", data={"email": email, "password": password}).status_code == 303


# Changing the password -----------------------------------------------------------------


def test_password_change_logs_out_the_other_sessions(app, tenants):
    email, home = tenants.a.admin_email, f"/t/{tenants.a.slug}/"
    laptop, phone = app.test_client(), app.test_client()
    laptop.post("/login", data={"email": email, "password": PASSWORD})
    phone.post("/login", data={"email": email, "password": PASSWORD, "remember": "y"})
    old_remember_cookie = phone.get_cookie("remember_token").value
    assert phone.get(home).status_code == 200

    response = change_password(laptop)
    assert response.status_code == 303
    assert laptop.get(home).status_code == 200  # the changing session stays

    response = phone.get(home)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    restarted_phone = app.test_client()
    restarted_phone.set_cookie("remember_token", old_remember_cookie)
    assert not is_logged_in(restarted_phone)

    assert not logs_in(app, email, PASSWORD)
    assert logs_in(app, email, NEW_PASSWORD)


def test_password_change_keeps_remember_me_of_the_changing_browser(app, tenants):
    laptop = app.test_client()
    laptop.post("/login", data={"email": tenants.a.admin_email, "password": PASSWORD,
                                "remember": "y"})
    change_password(laptop)
    restarted_laptop = app.test_client()
    restarted_laptop.set_cookie("remember_token", laptop.get_cookie("remember_token").value)
    assert is_logged_in(restarted_laptop)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"current": "not my password"}, "current", ("Wrong password.", {})),
        ({"new": "short"}, "password", ("Use at least %(n)d characters.", {"n": 10})),
        ({"new": "azertyuiop"}, "password",
         ("This password is too common; choose another one.", {})),
        ({"confirm": "something else entirely"}, "confirm", ("The two passwords differ.", {})),
        ({"current": ""}, "current", ("This field is required.", {})),
    ],
)
def test_password_change_bad_input(client, auth, app, tenants, changes, field, expected):
    auth.login(tenants.a.admin_email)
    before = password_hash(app, tenants.a.admin_email)
    response = change_password(client, **changes)
    assert response.status_code == 422
    text, values = expected
    assert field_error(response, field) == message(app, text, **values)
    assert password_hash(app, tenants.a.admin_email) == before
    assert is_logged_in(client)


def test_account_page_needs_a_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# Resetting it by email ------------------------------------------------------------------


def request_reset(client, email):
    response = client.post("/password/forgot", data={"email": email}, follow_redirects=True)
    run_queued_jobs(client.application)  # the job looks the account up and writes the email
    return response


def reset_link(client, app, email) -> str:
    request_reset(client, email)
    [email_row] = outbox(app, to=email, kind="password_reset")
    return link_in(email_row)


@pytest.mark.parametrize("email", ["alice@alpha.fr", "nobody@alpha.fr"])
def test_reset_request_answers_alike_whether_or_not_the_account_exists(client, app, tenants,
                                                                       email):
    response = request_reset(client, email)
    assert response.status_code == 200 and response.request.path == "/login"
    assert message(app, SENT) in response.get_data(as_text=True)
    emails = outbox(app, kind="password_reset")
    assert [e.to_email for e in emails] == ([email] if email == "alice@alpha.fr" else [])


def test_reset_email_carries_a_link_that_works_once(client, app, tenants):
    email = tenants.a.admin_email
    other_session = app.test_client()
    other_session.post("/login", data={"email": email, "password": PASSWORD})
    link = reset_link(client, app, email)
    assert link.startswith("/password/reset/")

    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert not logs_in(app, email, PASSWORD)
    assert logs_in(app, email, NEW_PASSWORD)
    assert not is_logged_in(other_session)

    for reuse in (client.get(link), client.post(link, data={"password": "a third sentence!",
                                                            "confirm": "a third sentence!"})):
        assert reuse.status_code == 404
        assert message(app, LINK_DEAD) in reuse.get_data(as_text=True)
    assert logs_in(app, email, NEW_PASSWORD)


def test_reset_link_survives_a_bad_attempt(client, app, tenants):
    link = reset_link(client, app, tenants.a.admin_email)
    before = password_hash(app, tenants.a.admin_email)
    response = client.post(link, data={"password": NEW_PASSWORD, "confirm": "different"})
    assert response.status_code == 422
    assert field_error(response, "confirm") == message(app, "The two passwords differ.")
    response = client.post(link, data={"password": "x" * 129, "confirm": "x" * 129})
    assert field_error(response, "password") == message(app, "Use at most %(n)d characters.",
                                                        n=128)
    assert password_hash(app, tenants.a.admin_email) == before
    assert client.get(link).status_code == 200


@pytest.mark.parametrize(("seconds_later", "status"), [(3599, 200), (3601, 404)])
def test_reset_link_expires(client, app, tenants, monkeypatch, seconds_later, status):
    assert app.config["PASSWORD_RESET_MAX_AGE"] == 3600
    link = reset_link(client, app, tenants.a.admin_email)
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) + seconds_later)
    assert client.get(link).status_code == status


def test_reset_link_follows_the_configured_max_age(client, app, tenants, monkeypatch):
    link = reset_link(client, app, tenants.a.admin_email)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE", -1)
    response = client.get(link)
    assert response.status_code == 404
    assert message(app, LINK_DEAD) in response.get_data(as_text=True)


def _signed(app, payload, key=None, salt="password-reset"):
    return URLSafeTimedSerializer(key or app.config["SECRET_KEY"], salt=salt).dumps(payload)


@pytest.mark.parametrize(
    "forge",
    [
        lambda app, link: "garbage",
        lambda app, link: link.rsplit("/", 1)[1][:-2] + "xx",
        lambda app, link: link.rsplit("/", 1)[1] + "A",
        lambda app, link: "a" * 4000,
        lambda app, link: "%00",
        lambda app, link: _signed(app, [1, "0" * 16], key="another secret"),
        lambda app, link: _signed(app, [1, "0" * 16], salt="invitation"),
        lambda app, link: _signed(app, [1, "0" * 16]),  # right key, wrong fingerprint
        lambda app, link: _signed(app, ["1", None]),
        lambda app, link: _signed(app, [True, "0" * 16]),
        lambda app, link: _signed(app, {"id": 1}),
        lambda app, link: _signed(app, [1, 2, 3]),
        lambda app, link: _signed(app, 99999),
    ],
    ids=["garbage", "altered", "extended", "long", "nul", "other-key", "other-salt",
         "fingerprint", "wrong-types", "boolean-id", "dict", "triple", "scalar"],
)
def test_forged_reset_links_are_refused(client, app, tenants, forge):
    link = reset_link(client, app, tenants.a.admin_email)
    forged = "/password/reset/" + forge(app, link)
    before = row_counts(app), password_hash(app, tenants.a.admin_email)
    for response in (client.get(forged),
                     client.post(forged, data={"password": NEW_PASSWORD,
                                               "confirm": NEW_PASSWORD})):
        assert response.status_code == 404
        assert message(app, LINK_DEAD) in response.get_data(as_text=True)
    assert (row_counts(app), password_hash(app, tenants.a.admin_email)) == before


def test_reset_link_of_a_deleted_account_is_refused(client, app, tenants):
    link = reset_link(client, app, tenants.a.admin_email)
    with app.app_context():
        db.session.delete(User.by_email(tenants.a.admin_email))
        db.session.commit()
    assert client.get(link).status_code == 404
