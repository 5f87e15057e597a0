"""Mass actions on the exchanges ticked in the list: delete (after a confirmation
page that says how many) and set the status.

Only the ids the member may see in the bound tenant are acted on; any other id — a
neighbour's exchange, another tenant's, a made-up number — is ignored, never touched.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from flask import abort, flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ct.blueprints.exchange_list import bp
from ct.blueprints.exchange_list.routes import FILTER_KEYS
from ct.core.ids import parse_id
from ct.core.permissions import DELETE_EXCHANGES, WRITE_EXCHANGES, can
from ct.exchanges.status import status_names
from ct.extensions import db
from ct.models import (
    Exchange,
    ExchangeCollaborator,
    ExchangeContact,
    ExchangeMention,
    ExchangeProduct,
)
from ct.models.exchange_access import visible_clause
from ct.records.trash import trash_exchange
from ct.web.htmx import redirect_to, render

# A page holds 50; more than this at once is not a click in the list.
MAX_IDS = 500


def _back_url() -> str:
    """The list as it was (its filters only: never an address from outside)."""
    pairs = [(k, v) for k, v in parse_qsl(request.form.get("back", "")) if k in FILTER_KEYS]
    url = url_for("exchange_list.index")
    return f"{url}?{urlencode(pairs)}" if pairs else url


def _visible_ids() -> list[int]:
    """The submitted ids that are exchanges this member may see, in this tenant."""
    wanted = {i for i in map(parse_id, request.form.getlist("ids")) if i is not None}
    if not wanted:
        return []
    return list(db.session.scalars(
        select(Exchange.id).where(Exchange.id.in_(wanted), visible_clause(g.membership))
        .order_by(Exchange.id)
    ))


@bp.post("/bulk")
def bulk():
    action = request.form.get("action")
    if action not in ("delete", "status"):
        abort(400)
    needed = DELETE_EXCHANGES if action == "delete" else WRITE_EXCHANGES
    if not can(needed):
        abort(403)
    if len(request.form.getlist("ids")) > MAX_IDS:
        flash(_("Select at most %(max)d exchanges at once.", max=MAX_IDS), "error")
        return redirect_to(_back_url())
    ids = _visible_ids()
    if not ids:
        flash(_("Select at least one exchange first."), "error")
        return redirect_to(_back_url())
    if action == "status":
        return _set_status(ids)
    if request.form.get("confirmed") != "yes":
        return _confirm_delete(ids)
    return _delete(ids)


def _set_status(ids: list[int]):
    status = request.form.get("status")
    names = status_names()
    if status not in names:
        flash(_("Choose a status from the list."), "error")
        return redirect_to(_back_url())
    # Row by row, not one UPDATE: each exchange's history records its change.
    for exchange in db.session.scalars(select(Exchange).where(Exchange.id.in_(ids))):
        exchange.status = status
    db.session.commit()
    flash(ngettext("%(num)d exchange set to “%(status)s”.",
                   "%(num)d exchanges set to “%(status)s”.", len(ids),
                   status=names[status]), "success")
    return redirect_to(_back_url())


def _confirm_delete(ids: list[int]):
    exchanges = db.session.scalars(
        select(Exchange).where(Exchange.id.in_(ids)).options(joinedload(Exchange.tiers))
        .order_by(Exchange.occurred_at.desc(), Exchange.id.desc())
    ).all()
    return render("exchange_list/confirm_delete.html", exchanges=exchanges,
                  back=request.form.get("back", ""), back_url=_back_url())


def _delete(ids: list[int]):
    # Everything the trash snapshot names, loaded in a few queries for the whole batch.
    exchanges = db.session.scalars(
        select(Exchange).where(Exchange.id.in_(ids)).options(
            selectinload(Exchange.contact_links).joinedload(ExchangeContact.contact),
            selectinload(Exchange.product_links).joinedload(ExchangeProduct.product),
            selectinload(Exchange.collaborator_links).joinedload(ExchangeCollaborator.membership),
            selectinload(Exchange.mention_links).joinedload(ExchangeMention.membership),
            selectinload(Exchange.attachments),
            joinedload(Exchange.tiers), *(selectinload(getattr(Exchange, name)) for name in (
                "task", "event", "document", "project", "mode", "object", "confidential_group")))
    ).all()
    for exchange in exchanges:
        trash_exchange(exchange, g.membership)  # one trash item each, links included
    db.session.commit()
    flash(ngettext("%(num)d exchange moved to the trash for 30 days.",
                   "%(num)d exchanges moved to the trash for 30 days.", len(exchanges)),
          "success")
    return redirect_to(_back_url())
