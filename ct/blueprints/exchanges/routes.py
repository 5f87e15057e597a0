"""The exchange form (new, edit), the card, its status buttons and deletion."""

from __future__ import annotations

from flask import flash, g, make_response, render_template, request, url_for
from flask_babel import gettext as _

from ct.blueprints.exchanges import bp
from ct.blueprints.exchanges.creating import save_new_exchange, saved_event
from ct.blueprints.exchanges.plan_next import offer_for, render_offer
from ct.blueprints.exchanges.timeutil import local_now
from ct.blueprints.exchanges.views import (
    fill_from,
    form_for,
    require,
    show_form,
    visible_exchange_or_404,
)
from ct.core.permissions import DELETE_EXCHANGES, WRITE_EXCHANGES, require_right
from ct.exchanges.saving import new_form_token, update_exchange
from ct.exchanges.saving import set_status as change_status
from ct.extensions import db
from ct.models import Contact, Document, Exchange, Project, Tiers
from ct.models.exchange_access import can_see_confidential
from ct.records.trash import trash_exchange
from ct.web.htmx import is_htmx_request, redirect_to, render, trigger
from ct.web.lookups import from_query_or_404


def _prefill(form) -> None:
    """What the page the form was opened from is about: tiers, contact, document, project."""
    tiers = from_query_or_404(Tiers, "tiers")
    contact = from_query_or_404(Contact, "contact")
    document = from_query_or_404(Document, "document")
    project = from_query_or_404(Project, "project")
    if tiers is None:
        tiers = next((r.tiers for r in (contact, document, project) if r and r.tiers), None)
    if tiers is not None:
        form.tiers_id.data = tiers.id
        form.tiers = tiers  # kept for the form's lists: not read a second time
        if contact is not None and contact.tiers_id == tiers.id:
            form.contact_ids.data = [contact.id]
        if document is not None and document.tiers_id == tiers.id:
            form.document_id.data = document.id
    if project is not None:
        form.project_id.data = project.id


def _saved(exchange: Exchange, message: str, status_before: str | None):
    """Success: the dialog closes and a confirmation shows (htmx), or the card opens. An
    exchange this save closed keeps the dialog open on the offer to plan the next contact."""
    card = url_for("exchanges.show", exchange_id=exchange.id)
    offer = offer_for(exchange, status_before)
    if is_htmx_request() and request.form.get("in_dialog") == "1":
        response = make_response(render_template(
            "exchanges/_saved.html", exchange=exchange, message=message, card=card,
            **(render_offer(exchange, offer) if offer else {})))
    else:
        flash(message, "success")
        response = redirect_to(card)  # the page's form: the card offers it with its link
    return trigger(response, **saved_event(exchange))


@bp.route("/new", methods=["GET", "POST"])
@require_right(WRITE_EXCHANGES)
def new():
    form = form_for()
    if request.method == "GET":
        _prefill(form)
        form.form_token.data = new_form_token()
        form.occurred_at.data = local_now()
        if "made_by_id" in form:
            form.made_by_id.data = g.membership.id
        form.event_assignee_ids.data = [g.membership.id]
        return show_form(form)
    exchange, message = save_new_exchange(form)
    if exchange is None:
        return show_form(form, status=422)
    return _saved(exchange, message, None)


@bp.get("/<int:exchange_id>")
def show(exchange_id: int):
    exchange = visible_exchange_or_404(exchange_id)
    return render("exchanges/show.html", block="card", exchange=exchange,
                  confidential=can_see_confidential(exchange, g.membership))


@bp.route("/<int:exchange_id>/edit", methods=["GET", "POST"])
def edit(exchange_id: int):
    exchange = visible_exchange_or_404(exchange_id)
    require(WRITE_EXCHANGES)
    form = form_for(exchange)
    if request.method == "GET":
        fill_from(form, exchange)
        return show_form(form, exchange)
    if not form.validate_on_submit():
        return show_form(form, exchange, status=422)
    before = exchange.status
    update_exchange(exchange, form.draft(), g.membership)
    form.save_attachments(exchange)
    db.session.commit()
    return _saved(exchange, _("Exchange saved."), before)


@bp.post("/<int:exchange_id>/status")
def set_status(exchange_id: int):
    """The card's status buttons and the list's status menu (``in_list``). Closing the
    exchange answers with the offer to plan the next contact too, the status saved."""
    exchange = visible_exchange_or_404(exchange_id)
    require(WRITE_EXCHANGES)
    before, in_list = exchange.status, request.form.get("in_list") == "1"
    if not change_status(exchange, request.form.get("status", "")):
        if in_list:  # the list's menu only offers valid ones: said in the page's messages
            response = render("errors/error.html", block="message", status=422, code=422,
                              message=_("Choose a status from the list."))
            response.headers.update({"HX-Retarget": "#flashes", "HX-Reswap": "innerHTML"})
            return response
        return render("exchanges/show.html", block="status", status=422, exchange=exchange,
                      status_error=_("Choose a status from the list."))
    db.session.commit()
    offer = offer_for(exchange, before)
    if not is_htmx_request():
        flash(_("Status changed."), "success")
        return redirect_to(url_for("exchanges.show", exchange_id=exchange.id))
    context = render_offer(exchange, offer, in_list=in_list) if offer else {}
    if in_list:  # the list refreshes itself on exchange-saved; the offer opens as a dialog
        response = make_response(render_template("exchanges/_plan_next_dialog.html", **context)
                                 if offer else "")
    else:
        response = render("exchanges/show.html", block="status", exchange=exchange, **context)
    return trigger(response, **saved_event(exchange))


@bp.route("/<int:exchange_id>/delete", methods=["GET", "POST"])
def delete(exchange_id: int):
    exchange = visible_exchange_or_404(exchange_id)
    require(DELETE_EXCHANGES)
    if request.method == "GET":
        return render("exchanges/delete.html", exchange=exchange)
    tiers_id = exchange.tiers_id
    trash_exchange(exchange, g.membership)
    db.session.commit()
    flash(_("Exchange moved to the trash for 30 days."), "success")
    after = url_for("tiers.card", tiers_id=tiers_id)
    return redirect_to(after)
