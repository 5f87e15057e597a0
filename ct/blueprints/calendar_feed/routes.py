"""The member's page for their calendar feed address: create, replace, revoke."""

from __future__ import annotations

from flask import flash, g, url_for
from flask_babel import gettext as _

from ct.blueprints.calendar_feed import bp
from ct.extensions import db
from ct.htmx import redirect_to, render
from ct.mailer import external_url
from ct.models import CalendarToken


def _page(address: str | None = None):
    response = render("calendar_feed/index.html", token=CalendarToken.of(g.membership),
                      address=address)
    response.headers["Cache-Control"] = "no-store"  # the address is a credential
    return response


@bp.get("/")
def index():
    return _page()


@bp.post("/new")
def create():
    """A new address (the previous one stops working), shown this once: only a hash of
    it is kept."""
    token = CalendarToken.issue(g.membership)
    db.session.commit()
    return _page(address=external_url("calendar.feed", token=token))


@bp.post("/revoke")
def revoke():
    CalendarToken.revoke(g.membership)
    db.session.commit()
    flash(_("Your calendar feed address no longer works."), "success")
    return redirect_to(url_for(".index"))
