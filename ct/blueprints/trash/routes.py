"""The trash (administrators): deleted exchanges, third parties and contacts of the last
30 days, to restore with their links or to purge for good."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ct.core.pagination import keyset_page
from ct.core.permissions import require_admin
from ct.extensions import db
from ct.models import TrashItem
from ct.models.trash import KIND_CONTACT, KIND_EXCHANGE, KIND_TIERS
from ct.records.trash import RestoreRefused, restore
from ct.records.trash import purge as purge_item
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404

from . import bp

PER_PAGE = 50
KIND_LABELS = {KIND_EXCHANGE: _l("Exchange"), KIND_TIERS: _l("Third party"),
               KIND_CONTACT: _l("Contact")}
CARDS = {KIND_EXCHANGE: ("exchanges.show", "exchange_id"),
         KIND_TIERS: ("tiers.card", "tiers_id"), KIND_CONTACT: ("contacts.show", "contact_id")}


@bp.get("/")
@require_admin
def index():
    kind = request.args.get("kind", "")
    query = select(TrashItem)
    if kind in KIND_LABELS:
        query = query.where(TrashItem.kind == kind)
    else:
        kind = ""
    page = keyset_page(query, [TrashItem.deleted_at, TrashItem.id], request.args.get("cursor"),
                       PER_PAGE, descending=True)
    return render("trash/index.html", block="results", page=page, kind=kind,
                  kind_labels=KIND_LABELS)


@bp.post("/<int:item_id>/restore")
@require_admin
def restore_item(item_id: int):
    item = get_or_404(TrashItem, item_id)
    label, kind = item.label, item.kind
    try:
        restored = restore(item)
    except RestoreRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect_to(url_for("trash.index"))
    db.session.commit()
    message = _("“%(label)s” is restored.", label=label)
    if restored.lost:
        message += " " + _("These links could not be restored, their records were deleted "
                           "meanwhile: %(names)s.", names=", ".join(restored.lost))
    flash(message, "success" if not restored.lost else "info")
    endpoint, key = CARDS[kind]
    return redirect_to(url_for(endpoint, **{key: restored.record_id}))


@bp.route("/<int:item_id>/purge", methods=["GET", "POST"])
@require_admin
def purge(item_id: int):
    item = get_or_404(TrashItem, item_id)
    if request.method == "GET":
        return render("trash/purge.html", item=item, kind_labels=KIND_LABELS)
    label = item.label
    purge_item(item)
    db.session.commit()
    flash(_("“%(label)s” is deleted for good.", label=label), "success")
    return redirect_to(url_for("trash.index"))
