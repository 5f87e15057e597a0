"""The templates' gettext: Flask-Babel's catalogue, found once per request and language.

Flask-Babel looks the catalogue up anew for every string a template says (the request's
locale, then its domain, each through the request globals): some 18 µs a string, and a
page says 50 to 150 of them. The catalogue stays the same for the whole request unless a
block forces another language (``force_locale``: an email in its recipient's language),
so it is kept beside the locale it was found for and looked up again when that changes.
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_locale, get_translations

_KEPT = "_ct_catalogue"


def catalogue():
    locale = get_locale()
    kept = g.get(_KEPT)
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        setattr(g, _KEPT, kept)
    return kept[1]


def install(app: Flask) -> None:
    """Replace the callables Flask-Babel gave Jinja (same signatures, same strings)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True,
    )
