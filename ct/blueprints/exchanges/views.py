"""What the exchange routes share: finding an exchange the member may see, and rendering
the form (as a dialog, a fragment or a full page) with everything it offers."""

from __future__ import annotations

from flask import abort, g, make_response, render_template, request
from sqlalchemy import select

from ct.blueprints.exchanges import bp
from ct.blueprints.exchanges.forms import ExchangeForm
from ct.blueprints.exchanges.mention_fields import mention_ids_of
from ct.blueprints.exchanges.options import form_choices, tiers_choices
from ct.blueprints.exchanges.sections import form_sections
from ct.blueprints.exchanges.timeutil import to_local
from ct.blueprints.exchanges.undo import created_inline
from ct.core.permissions import DELETE_EXCHANGES, MANAGE_RECORDS, WRITE_EXCHANGES, can
from ct.core.tenancy import find
from ct.extensions import db
from ct.models import Exchange, TenantSettings, Tiers
from ct.models.exchange_access import can_see_confidential, visible_clause
from ct.web.htmx import is_htmx_request


@bp.context_processor
def _rights():
    return {
        "may_write_exchanges": can(WRITE_EXCHANGES),
        "may_delete_exchanges": can(DELETE_EXCHANGES),
        "may_manage_records": can(MANAGE_RECORDS),
    }


def visible_exchange_or_404(exchange_id: int) -> Exchange:
    """The exchange, if it is this tenant's and the member may read it; 404 otherwise."""
    exchange = db.session.scalar(
        select(Exchange).where(Exchange.id == exchange_id, visible_clause(g.membership)))
    if exchange is None:
        abort(404)
    return exchange


def require(right: str) -> None:
    if not can(right):
        abort(403)


def form_for(exchange: Exchange | None = None) -> ExchangeForm:
    """The exchange form with the fields this tenant and this member use (filled from the
    posted data on POST, empty on GET)."""
    return ExchangeForm().configure(
        TenantSettings.current(),
        can_confidential=exchange is None or can_see_confidential(exchange, g.membership),
        task=exchange is None or exchange.task_id is None,
        event=exchange is None or exchange.event_id is None,
        exchange=exchange,
    )


def fill_from(form: ExchangeForm, exchange: Exchange) -> None:
    """Put an existing exchange's values into a freshly built form (edit)."""
    values = {
        "tiers_id": exchange.tiers_id,
        "contact_ids": [link.contact_id for link in exchange.contact_links],
        "occurred_at": to_local(exchange.occurred_at),
        "made_by_id": exchange.made_by_id,
        "mode_id": exchange.mode_id,
        "object_id": exchange.object_id,
        "document_id": exchange.document_id,
        "project_id": exchange.project_id,
        "product_ids": [link.product_id for link in exchange.product_links],
        "collaborator_ids": [link.membership_id for link in exchange.collaborator_links],
        "notify_collaborators": exchange.notify_collaborators,
        "comment": exchange.comment,
        "status": exchange.status,
        "confidential_comment": exchange.confidential_comment,
        "confidential_group_id": exchange.confidential_group_id,
        "mention_ids": mention_ids_of(exchange),
    }
    for name, value in values.items():
        if name in form:
            form[name].data = value


def chosen_tiers(form: ExchangeForm) -> Tiers | None:
    if form.tiers is not None:
        return form.tiers
    return find(Tiers, form.tiers_id.data)


def form_context(form: ExchangeForm, exchange: Exchange | None = None, **extra) -> dict:
    settings = TenantSettings.current()
    tiers = chosen_tiers(form)
    keep = [form.project_id.data] + ([form.task_project_id.data] if "task_project_id" in form
                                      else [])
    choices = form_choices(settings, keep_project_ids=keep)
    tc = tiers_choices(tiers, settings, form.contact_ids.data)
    context = {
        "form": form,
        "exchange": exchange,
        "settings": settings,
        "choices": choices,
        "tc": tc,
        "sections": form_sections(form, choices, tc, g.membership.id),
        "locked": bool(form.tiers_locked.data) and tiers is not None,
        "in_dialog": request.values.get("in_dialog") == "1"
        or (request.method == "GET" and is_htmx_request()),
        "created_inline": created_inline(),
    }
    return context | extra


def show_form(form: ExchangeForm, exchange: Exchange | None = None, status: int = 200):
    """The form as a dialog (htmx opening it), a fragment (htmx re-sending it) or a page."""
    context = form_context(form, exchange)
    if not is_htmx_request():
        template = "exchanges/form_page.html"
    elif request.method == "GET":
        template = "exchanges/_dialog.html"
    else:
        template = "exchanges/_form.html"
    return make_response(render_template(template, **context), status)
