"""The capture address page: the member's ``log-…@`` address, made on request, renewed
with confirmation (the old one then refuses mail at once); both in the audit log."""

from __future__ import annotations

from flask import flash, g, url_for
from flask_babel import gettext as _

from ct.blueprints.capture import bp
from ct.capture.classify import waiting_count
from ct.core.permissions import WRITE_EXCHANGES, require_right
from ct.extensions import db
from ct.models import AuditEntry, CaptureAddress
from ct.models.base import utcnow
from ct.web.htmx import redirect_to, render


@bp.get("/")
@require_right(WRITE_EXCHANGES)
def index():
    address = CaptureAddress.live_of(g.membership.id)
    response = render("capture/index.html", address=address,
                      waiting=waiting_count(g.membership.id))
    response.headers["Cache-Control"] = "no-store"  # the address lets mail in as the member
    return response


@bp.post("/new")
@require_right(WRITE_EXCHANGES)
def renew():
    """A new address; the member's current one (if any) stops taking mail."""
    current = CaptureAddress.live_of(g.membership.id)
    if current is not None:
        current.revoked_at = utcnow()
        AuditEntry.record(g.membership, "capture_address.revoke", {"active": True},
                          {"active": False}, target=f"capture_address:{current.id}")
    row = CaptureAddress.issue(g.membership)
    db.session.flush()
    AuditEntry.record(g.membership, "capture_address.create", {}, {"active": True},
                      target=f"capture_address:{row.id}")
    db.session.commit()
    flash(_("Your new capture address is ready.") if current is None else
          _("Your capture address is renewed: the old one no longer takes mail."), "success")
    return redirect_to(url_for(".index"))
