"""The member's page for their agenda outside ct: the calendar feed address (create,
replace, revoke) and the daily digest email (on or off)."""

from __future__ import annotations

from flask import flash, g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ct.blueprints.calendar_feed import bp
from ct.emails.mailer import external_url
from ct.extensions import db
from ct.models import CalendarToken
from ct.web.htmx import redirect_to, render


class DigestForm(FlaskForm):
    daily_digest = BooleanField(_l("Email me my day every morning"))


def _page(address: str | None = None):
    response = render("calendar_feed/index.html", token=CalendarToken.of(g.membership),
                      address=address,
                      digest=DigestForm(data={"daily_digest": g.membership.daily_digest}))
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


@bp.post("/digest")
def digest():
    form = DigestForm()
    if form.validate_on_submit():
        g.membership.daily_digest = form.daily_digest.data
        db.session.commit()
        flash(_("You will get your day by email every morning.") if form.daily_digest.data
              else _("No more daily email."), "success")
    return redirect_to(url_for(".index"))
