"""Showing an email's HTML inside a page, safely.

The page itself runs under a strict Content-Security-Policy that would block the
email's own styles; an email is therefore served at its own address, with a policy of
its own — sandboxed (no script, no form, a unique origin), its inline styles allowed,
nothing fetched but images, and framed only by ct's own pages — and shown in an
``<iframe sandbox>``.
"""

from flask import make_response

EMAIL_CSP = "; ".join([
    "sandbox",
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    "img-src https: data:",
    "frame-ancestors 'self'",
])


def sandboxed_html(html: str, status: int = 200):
    response = make_response(html, status)
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Content-Security-Policy"] = EMAIL_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response
