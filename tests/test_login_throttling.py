"""Login throttling: failed attempts are limited per account and per address, in Redis."""

import pytest
import redis

from tests.auth_support import PASSWORD, is_logged_in, link_in, message, outbox
from tests.smtp import run_queued_jobs

TOO_MANY = "Too many attempts in a short time. Wait a minute and try again."


@pytest.fixture
def limits(app, monkeypatch):
    """Small limits for the test; the routes read them at each request."""

    def set_limits(per_account="100/minute", per_ip="100/minute", new_browsers="100/minute"):
        monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT", per_account)
        monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_IP", per_ip)
        monkeypatch.setitem(app.config, "LOGIN_LIMIT_PER_ACCOUNT_NEW", new_browsers)

    return set_limits


def login(client, email, password, ip="192.0.2.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def test_failed_attempts_on_one_account_are_limited(client, app, tenants, limits):
    limits(per_account="3/minute")
    for _ in range(3):
        assert login(client, tenants.a.admin_email, "wrong password!").status_code == 422
    response = login(client, tenants.a.admin_email, PASSWORD)  # even the right password now
    assert response.status_code == 429
    assert message(app, TOO_MANY) in response.get_data(as_text=True)
    assert not is_logged_in(client)
    # The same account written differently is the same account.
    assert login(client, " ALICE@Alpha.fr", PASSWORD).status_code == 429


def test_other_accounts_from_the_same_address_still_log_in(app, tenants, limits):
    limits(per_account="3/minute")
    attacker = app.test_client()
    for _ in range(4):
        login(attacker, tenants.a.admin_email, "wrong password!")
    assert login(attacker, tenants.a.admin_email, PASSWORD).status_code == 429
    colleague = app.test_client()
    assert login(colleague, tenants.a.member_email, PASSWORD).status_code == 303
    assert is_logged_in(colleague)


def test_only_failed_attempts_count(app, tenants, limits):
    limits(per_account="2/minute", per_ip="2/minute")
    for _ in range(4):
        client = app.test_client()
        assert login(client, tenants.a.admin_email, PASSWORD).status_code == 303
    assert login(app.test_client(), tenants.a.admin_email, "wrong password!").status_code == 422


def test_failed_attempts_from_one_address_are_limited(app, tenants, limits):
    limits(per_ip="3/minute")
    client = app.test_client()
    for email in ("nobody@alpha.fr", "alice@alpha.fr", "arthur@alpha.fr"):
        assert login(client, email, "wrong password!").status_code == 422
    blocked = login(client, tenants.b.admin_email, PASSWORD)
    assert blocked.status_code == 429
    assert message(app, TOO_MANY) in blocked.get_data(as_text=True)
    # Another address is not affected.
    elsewhere = login(app.test_client(), tenants.b.admin_email, PASSWORD, ip="192.0.2.99")
    assert elsewhere.status_code == 303


def test_limits_live_in_redis(app, tenants, limits):
    """Counted in Redis, so every web process shares them."""
    limits(per_account="3/minute")
    assert app.config["RATELIMIT_STORAGE_URI"] == app.config["REDIS_URL"]
    login(app.test_client(), tenants.a.admin_email, "wrong password!")
    keys = [key.decode() for key in redis.Redis.from_url(app.config["REDIS_URL"]).keys("*")]
    assert any("login:alice@alpha.fr" in key for key in keys), keys
    assert any("192.0.2.1" in key for key in keys), keys


def test_password_reset_requests_are_limited_per_address(app, tenants, limits):
    limits(per_ip="2/minute")
    client = app.test_client()
    for _ in range(2):
        assert client.post("/password/forgot", data={"email": "x@alpha.fr"}).status_code == 303
    assert client.post("/password/forgot", data={"email": "x@alpha.fr"}).status_code == 429


def test_password_checks_on_invitation_pages_are_limited_per_address(client, auth, app, tenants,
                                                                     limits):
    auth.login(tenants.a.admin_email)
    client.post(f"/t/{tenants.a.slug}/members/invite", data={"email": tenants.b.admin_email,
                                                             "role": "member"})
    link = link_in(outbox(app, to=tenants.b.admin_email)[0])
    limits(per_ip="2/minute")
    guesser = app.test_client()
    for guess in ("first guess!", "second guess"):
        assert guesser.post(link, data={"password": guess}).status_code == 422
    assert guesser.post(link, data={"password": PASSWORD}).status_code == 429


def test_login_still_works_when_redis_is_down(client, tenants, monkeypatch):
    """The limits live in Redis; Redis down must not lock everybody out (no 500)."""
    from limits.storage import storage_from_string
    from limits.strategies import STRATEGIES

    from ct.extensions import limiter

    dead = storage_from_string("redis://127.0.0.1:1/0")  # nothing listens there
    monkeypatch.setattr(limiter, "_storage", dead)
    monkeypatch.setattr(limiter, "_limiter", STRATEGIES[limiter._strategy or "fixed-window"](dead))
    response = client.post("/login", data={"email": tenants.a.admin_email,
                                           "password": "correct horse battery"})
    assert response.status_code == 303
    client.post("/logout")
    wrong = client.post("/login", data={"email": tenants.a.admin_email, "password": "nope"})
    assert wrong.status_code == 422


def test_guessing_from_many_addresses_never_locks_the_owner_s_browser_out(app, tenants,
                                                                          limits):
    """The owner logged in from this browser before; an attacker then spreads guesses
    over many addresses until new browsers are refused: the owner's is not."""
    limits(per_account="3/minute", new_browsers="5/minute")
    owner = app.test_client()
    assert login(owner, tenants.a.admin_email, PASSWORD, ip="198.51.100.7").status_code == 303
    owner.post("/logout")
    for n in range(8):  # a new address each time: the per-client limits never trip
        login(app.test_client(), tenants.a.admin_email, "wrong password!", ip=f"192.0.2.{n}")
    new_browser = login(app.test_client(), tenants.a.admin_email, PASSWORD, ip="192.0.2.200")
    assert new_browser.status_code == 429  # the guessing is stopped for new browsers
    assert login(owner, tenants.a.admin_email, PASSWORD, ip="198.51.100.7").status_code == 303
    assert is_logged_in(owner)


def test_a_forged_device_cookie_is_no_pass(app, tenants, limits):
    limits(new_browsers="2/minute")
    for n in range(3):
        login(app.test_client(), tenants.a.admin_email, "wrong password!", ip=f"192.0.2.{n}")
    forger = app.test_client()
    forger.set_cookie("ct_device", "WyJhbGljZUBhbHBoYS5mciIsIngiXQ.forged")
    assert login(forger, tenants.a.admin_email, PASSWORD).status_code == 429
    other_account = app.test_client()  # a cookie of another account is no pass either
    assert login(other_account, tenants.a.member_email, PASSWORD).status_code == 303
    other_account.post("/logout")
    assert login(other_account, tenants.a.admin_email, PASSWORD).status_code == 429


def test_the_reset_link_trusts_the_browser_it_is_opened_in(app, tenants, limits):
    """Locked out on a new browser: the password reset by email lets the owner in."""
    limits(new_browsers="2/minute")
    for n in range(3):
        login(app.test_client(), tenants.a.admin_email, "wrong password!", ip=f"192.0.2.{n}")
    owner = app.test_client()
    assert login(owner, tenants.a.admin_email, PASSWORD).status_code == 429
    owner.post("/password/forgot", data={"email": tenants.a.admin_email})
    run_queued_jobs(app)
    link = link_in(outbox(app, to=tenants.a.admin_email, kind="password_reset")[-1])
    new_password = "un autre jardin sous la pluie"
    changed = owner.post(link, data={"password": new_password, "confirm": new_password})
    assert changed.status_code == 303
    assert login(owner, tenants.a.admin_email, new_password).status_code == 303


def _close(other_app) -> None:
    from ct.extensions import db

    with other_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_behind_a_trusted_proxy_each_client_is_counted_apart(app, tenants, limits, request):
    """Every request comes from the proxy's address; X-Forwarded-For names the client."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    from ct import create_app

    proxied = create_app(type("ProxiedConfig", (), {**app.config, "TRUSTED_PROXIES": 1}))
    request.addfinalizer(lambda: _close(proxied))
    assert isinstance(proxied.wsgi_app, ProxyFix)
    assert not isinstance(app.wsgi_app, ProxyFix)  # not trusted unless configured
    limits(per_ip="2/minute")
    proxied.config.update({k: app.config[k] for k in app.config if k.startswith("LOGIN_")})

    def through_proxy(client, email, password, client_ip):
        return client.post("/login", data={"email": email, "password": password},
                           environ_base={"REMOTE_ADDR": "10.0.0.1"},
                           headers={"X-Forwarded-For": client_ip})

    attacker = proxied.test_client()
    for _ in range(3):
        through_proxy(attacker, "nobody@alpha.fr", "wrong password!", "203.0.113.9")
    blocked = through_proxy(attacker, tenants.a.admin_email, PASSWORD, "203.0.113.9")
    assert blocked.status_code == 429
    colleague = through_proxy(proxied.test_client(), tenants.a.admin_email, PASSWORD,
                              "203.0.113.10")
    assert colleague.status_code == 303
