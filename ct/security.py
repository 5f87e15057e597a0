"""Security headers sent with every response, and query strings no page can use."""

from flask import abort, request

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
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def refuse_nul_in_query():
    """A NUL character in the query string is never typed by a person, and PostgreSQL
    refuses it in any text it is sent (searches, filters): answer 400, not 500."""
    if any("\x00" in text for key, values in request.args.lists() for text in (key, *values)):
        abort(400)
