"""Security headers sent with every response, query strings no page can use, and the
end of a user's sessions."""

import secrets

from flask import abort, current_app, request

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Pico draws its small icons (select arrows, checkboxes) as data: SVG images.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    # Behind a TLS-terminating proxy the request itself looks like plain HTTP: a
    # deployment served over HTTPS (secure cookies, BASE_URL https://…) says so.
    if request.is_secure or current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def refuse_nul_in_query():
    """A NUL character in the query string is never typed by a person, and PostgreSQL
    refuses it in any text it is sent (searches, filters): answer 400, not 500."""
    if any("\x00" in text for key, values in request.args.lists() for text in (key, *values)):
        abort(400)


def end_every_session(user) -> None:
    """Make every session cookie and remember-me cookie of ``user`` worthless.

    The session lives in a signed cookie; what makes it valid is the user's session
    token inside it (see User.get_id and the user loader). A new token means that a
    cookie copied before — even replayed after a logout — is anonymous. The caller
    commits.
    """
    user.session_token = secrets.token_hex(16)
