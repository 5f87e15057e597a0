"""A third party's card and its tabs; close, reopen and delete it."""

from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from ct.blueprints.exchange_list.routes import NO_FILTERS, history_context
from ct.blueprints.tiers import bp
from ct.blueprints.tiers.forms import KIND_LABELS
from ct.blueprints.tiers.records import (
    contacts_of,
    documents_of,
    events_of,
    linked_counts,
    projects_of,
    tab_counts,
)
from ct.core.permissions import DELETE_TIERS, MANAGE_RECORDS, can, require_right
from ct.exchanges.history import history_count_text
from ct.extensions import db
from ct.models import Tiers
from ct.records.audit_view import history_of
from ct.records.trash import trash_tiers
from ct.web.htmx import redirect_to, render, render_block
from ct.web.lookups import get_or_404
from ct.web.record_fields import format_amount
from ct.web.timeline import timeline_fragment, timeline_view

TABS = ("timeline", "contacts", "exchanges", "agenda", "documents", "projects", "history")


def _card_tiers(tiers_id: int) -> Tiers:
    """The tiers of a card, with the two members its side panel names (and their users)
    in the same statement."""
    return get_or_404(Tiers, tiers_id, joinedload(Tiers.sales_rep), joinedload(Tiers.created_by))


def _card(tiers, tab: str, **panel):
    """The card with ``tab`` open; an htmx request gets the tabs and their panel only."""
    return render("tiers/card.html", block="tabs", tiers=tiers, tab=tab,
                  counts=tab_counts(tiers), kind_labels=KIND_LABELS,
                  exchange_count=history_count_text("tiers", tiers.id),
                  format_amount=format_amount,
                  may_manage=can(MANAGE_RECORDS), may_delete=can(DELETE_TIERS), **panel)


@bp.get("/<int:tiers_id>/tabs")
def tab_bar(tiers_id: int):
    """The tabs with their counts, ``tab`` open: refreshed after an exchange is saved."""
    tiers = get_or_404(Tiers, tiers_id)
    tab = request.args.get("tab", "")
    if tab not in TABS:
        abort(404)
    return render_block("tiers/card.html", "tab_bar", tiers=tiers, tab=tab,
                        counts=tab_counts(tiers),
                        exchange_count=history_count_text("tiers", tiers.id))


def _timeline_args(tiers_id: int) -> dict:
    return dict(record_kind="tiers", record_id=tiers_id, args=request.args,
                page_endpoint="tiers.card", fragment_endpoint="tiers.timeline",
                id_arg="tiers_id")


@bp.get("/<int:tiers_id>")
def card(tiers_id: int):
    """The card opens on the activity timeline (``?type=``, ``?before=`` as on its own)."""
    tiers = _card_tiers(tiers_id)
    return _card(tiers, "timeline", timeline=timeline_view(**_timeline_args(tiers.id)))


@bp.get("/<int:tiers_id>/timeline")
def timeline(tiers_id: int):
    """The timeline alone: filtered, refreshed after a save, or its next entries."""
    tiers = get_or_404(Tiers, tiers_id)
    return timeline_fragment(**_timeline_args(tiers.id))


@bp.get("/<int:tiers_id>/contacts")
def contacts(tiers_id: int):
    tiers = _card_tiers(tiers_id)
    return _card(tiers, "contacts", page=contacts_of(tiers, request.args.get("after")))


@bp.get("/<int:tiers_id>/exchanges")
def exchanges(tiers_id: int):
    tiers = _card_tiers(tiers_id)
    return _card(tiers, "exchanges", **history_context("tiers", tiers, NO_FILTERS))


@bp.get("/<int:tiers_id>/agenda")
def agenda(tiers_id: int):
    tiers = _card_tiers(tiers_id)
    upcoming, past = events_of(tiers, request.args.get("after"), request.args.get("past_after"))
    return _card(tiers, "agenda", upcoming=upcoming, past=past)


@bp.get("/<int:tiers_id>/documents")
def documents(tiers_id: int):
    tiers = _card_tiers(tiers_id)
    return _card(tiers, "documents", page=documents_of(tiers, request.args.get("after")))


@bp.get("/<int:tiers_id>/projects")
def projects(tiers_id: int):
    tiers = _card_tiers(tiers_id)
    return _card(tiers, "projects", page=projects_of(tiers, request.args.get("after")))


@bp.get("/<int:tiers_id>/history")
def history(tiers_id: int):
    tiers = _card_tiers(tiers_id)
    return _card(tiers, "history", lines=history_of("tiers", tiers.id))


@bp.post("/<int:tiers_id>/close")
@require_right(MANAGE_RECORDS)
def close(tiers_id: int):
    tiers = get_or_404(Tiers, tiers_id)
    tiers.active = False
    db.session.commit()
    flash(_("“%(name)s” is closed: it no longer appears among active third parties.",
            name=tiers.name), "success")
    return redirect_to(url_for("tiers.card", tiers_id=tiers.id))


@bp.post("/<int:tiers_id>/reopen")
@require_right(MANAGE_RECORDS)
def reopen(tiers_id: int):
    tiers = get_or_404(Tiers, tiers_id)
    tiers.active = True
    db.session.commit()
    flash(_("“%(name)s” is active again.", name=tiers.name), "success")
    return redirect_to(url_for("tiers.card", tiers_id=tiers.id))


@bp.route("/<int:tiers_id>/delete", methods=["GET", "POST"])
@require_right(DELETE_TIERS)
def delete(tiers_id: int):
    tiers = get_or_404(Tiers, tiers_id)
    counts = linked_counts(tiers)
    if counts.total:
        # Deleting would orphan (or lose) the records and their history: refuse, say why.
        status = 409 if request.method == "POST" else 200
        return render("tiers/delete.html", tiers=tiers, counts=counts, status=status,
                      may_manage=can(MANAGE_RECORDS))
    if request.method == "GET":
        return render("tiers/delete.html", tiers=tiers, counts=counts)
    name = tiers.name
    trash_tiers(tiers, g.membership)
    db.session.commit()
    flash(_("Third party “%(name)s” moved to the trash for 30 days.", name=name), "success")
    return redirect_to(url_for("tiers.index"))
