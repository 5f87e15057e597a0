"""Login throttling that slows password guessing without locking the owner out.

Failed logins are counted (Redis, shared by every web process) under three keys:

- per client address (``LOGIN_LIMIT_PER_IP``): one machine trying many accounts;
- per account and client (``LOGIN_LIMIT_PER_ACCOUNT``): an account tried from one place,
  the place being the browser's device cookie when it has one, else its address;
- per account from browsers it never logged in from (``LOGIN_LIMIT_PER_ACCOUNT_NEW``):
  guessing spread over many addresses.

A browser that logged in to an account (or reset its password from the emailed link)
keeps a signed device cookie naming that account. It is exempt from the third limit and
counted alone in the second: an attacker, who has no such cookie, can exhaust the
counters of new browsers, never those of the owner's own. An owner locked out on a new
browser resets the password by email, which trusts that browser from then on.

Behind a proxy, ``TRUSTED_PROXIES`` (ProxyFix) makes the client address the real one.
"""

from __future__ import annotations

import secrets

from flask import current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeSerializer

from ct.models.user import normalize_email

DEVICE_COOKIE = "ct_device"
DEVICE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="login-device")


def _account() -> str:
    return normalize_email(request.form.get("email", ""))[:254]


def _device_of(account: str) -> str | None:
    """The id of this browser's device cookie, if it was issued for ``account``."""
    raw = request.cookies.get(cookie_name())
    if not raw:
        return None
    try:
        email, device = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    return device if email == account and isinstance(device, str) else None


def trusted_device() -> bool:
    return _device_of(_account()) is not None


def account_and_client() -> str:
    account = _account()
    device = _device_of(account)
    place = f"device:{device}" if device else f"ip:{get_remote_address()}"
    return f"login:{account}:{place}"


def account_from_new_browsers() -> str:
    return f"login:{_account()}:new-browsers"


def cookie_name() -> str:
    # __Host-: only over HTTPS, for this exact host (as the session cookie).
    return "__Host-ct_device" if current_app.config["SESSION_COOKIE_SECURE"] else DEVICE_COOKIE


def trust_this_browser(response, email: str) -> None:
    """After a login (or a reset by email): this browser is the owner's for ``email``."""
    value = _serializer().dumps([normalize_email(email), secrets.token_hex(8)])
    response.set_cookie(cookie_name(), value, max_age=DEVICE_MAX_AGE, path="/",
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax")
