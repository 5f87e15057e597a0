"""The email log: every email of the company's outbox, as sent, with its delivery state.

Admins only. Rows are the bound tenant's (the outbox is tenant-scoped; platform emails
such as password resets belong to no company and never show here). A failed email can
be tried again.
"""

from __future__ import annotations

from flask import flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import defer

from ct.core.pagination import keyset_page
from ct.core.permissions import require_admin
from ct.core.text import like_escaped
from ct.emails.mailer import retry_failed
from ct.emails.templates.frame import sandboxed_html
from ct.extensions import db
from ct.models import OutboxEmail
from ct.models.exchange_access import ConfidentialReader
from ct.models.outbox import FAILED, PENDING, SENDING, SENT
from ct.models.user import EMAIL_MAX
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404

from . import bp

PER_PAGE = 50
STATUSES = {
    PENDING: _l("Waiting"),
    SENDING: _l("Being sent"),
    SENT: _l("Sent"),
    FAILED: _l("Failed"),
}


def _filters() -> tuple[str, str]:
    status = request.args.get("status", "")
    typed = request.args.get("to", "")[:EMAIL_MAX]
    # Addresses are stored lower-case; control characters (NUL) never match one.
    recipient = "".join(c for c in typed if c.isprintable()).strip().lower()
    return (status if status in STATUSES else ""), recipient


@bp.get("/")
@require_admin
def index():
    status, recipient = _filters()
    # The list shows no body: leave the (large) bodies in the database.
    query = select(OutboxEmail).options(defer(OutboxEmail.body_text),
                                        defer(OutboxEmail.body_html))
    if status:
        query = query.where(OutboxEmail.status == status)
    if recipient:
        escaped = like_escaped(recipient)
        query = query.where(OutboxEmail.to_email.like(f"%{escaped}%", escape="\\"))
    page = keyset_page(query, [OutboxEmail.id], request.args.get("cursor"), PER_PAGE,
                       descending=True)
    return render("email_log/index.html", block="results", page=page, status_filter=status,
                  recipient=request.args.get("to", "")[:EMAIL_MAX], statuses=STATUSES,
                  readable=_readable(page.items))


def _readable(messages: list[OutboxEmail]) -> set[int]:
    """The emails whose content the member may read: all but those carrying a
    confidential comment the member is not an allowed reader of."""
    reader = ConfidentialReader.of(g.membership)
    return {m.id for m in messages
            if m.confidential_author_id is None
            or reader.may_read(m.confidential_author_id, m.confidential_group_id)}


@bp.get("/<int:email_id>")
@require_admin
def show(email_id: int):
    message = get_or_404(OutboxEmail, email_id)
    readable = bool(_readable([message]))
    return render("email_log/show.html", message=message, statuses=STATUSES, readable=readable,
                  subject=message.subject if readable else _("Confidential email"))


@bp.get("/<int:email_id>/html")
@require_admin
def html(email_id: int):
    """The HTML part as sent, for the sandboxed frame of the message page."""
    message = get_or_404(OutboxEmail, email_id)
    return sandboxed_html(message.body_html if _readable([message]) else "")


@bp.post("/<int:email_id>/retry")
@require_admin
def retry(email_id: int):
    message = get_or_404(OutboxEmail, email_id)
    if message.status == FAILED:
        retry_failed(message)
        db.session.commit()
        flash(_("The email to %(to)s will be sent again.", to=message.to_email), "success")
    else:
        flash(_("Only a failed email can be retried."), "error")
    return redirect_to(url_for(".show", email_id=message.id))

