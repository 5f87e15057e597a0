"""The language of each page: the member's saved choice, else this browser's, else the
browser's Accept-Language, else French."""

from __future__ import annotations

from flask import has_request_context, request, session
from flask_login import current_user

from ct.config import Config


def select_locale() -> str:
    """The user's saved preference, else the one chosen in this browser, else the
    browser's Accept-Language, else French."""
    languages = Config.LANGUAGES
    if not has_request_context():
        return Config.BABEL_DEFAULT_LOCALE
    if request.path.startswith("/api/"):
        return "en"  # the REST API and its contract speak English (docs/API.md)
    # The saved preference first: switching on one device switches every session.
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return browser_language()


def browser_language() -> str:
    """The first of our languages in the browser's Accept-Language, by preference.

    Regional variants count for their language: "fr-CA, en;q=0.5" is French (an
    exact-match-first lookup would pick English).
    """
    for value, _quality in request.accept_languages:  # best first
        primary = value.split("-")[0].split("_")[0].lower()
        if primary in Config.LANGUAGES:
            return primary
    return Config.BABEL_DEFAULT_LOCALE
