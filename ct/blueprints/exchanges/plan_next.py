"""Done → plan the next one: once an exchange is closed (its card's buttons, the list's
status menu, the pop-up), a small form offers to plan the next contact with the same
third party and contacts: a to-do exchange, or an agenda event, on a date the company's
settings put a number of days ahead.

The status is already saved when the offer shows: skipping it (Esc, "Not now") changes
nothing. What it creates goes through the pop-up's exchange form and saving code, or the
agenda's event form — the same checks, rights and messages (plan_next_form.py).
"""

from __future__ import annotations

from flask import abort, flash, g, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _

from ct.blueprints.exchanges import bp
from ct.blueprints.exchanges.creating import commit_keeping_loaded, save_new_exchange, saved_event
from ct.blueprints.exchanges.options import form_choices
from ct.blueprints.exchanges.plan_next_form import (
    EVENT_FIELDS,
    EXCHANGE_FIELDS,
    PLAN_EVENT,
    PlanNextForm,
    event_form_for,
    exchange_form_for,
    offered_form,
)
from ct.blueprints.exchanges.views import require, visible_exchange_or_404
from ct.core.permissions import PLAN_RIGHTS, WRITE_EXCHANGES, can, can_any
from ct.core.zone import to_local
from ct.models import Exchange, TenantSettings
from ct.models.exchange import STATUS_CLOSED
from ct.web.htmx import is_htmx_request, redirect_to, trigger

DONE_EVENT = "plan-next-done"  # app.js closes the offer's dialog


def offer_for(exchange: Exchange, status_before: str | None) -> PlanNextForm | None:
    """The offer, when this change just closed an existing exchange (not when it already
    was). A new exchange gets none: its pop-up plans a follow-up task or event in its own
    section, and a quick log must end with its save."""
    if status_before is None or exchange.status != STATUS_CLOSED \
            or status_before == STATUS_CLOSED or not can(WRITE_EXCHANGES):
        return None
    return offered_form(exchange)


def render_offer(exchange: Exchange, form: PlanNextForm, in_list: bool = False) -> dict:
    """What the offer's templates read. ``return_focus``: where Esc and "Not now" put the
    focus back, the control that closed the exchange being replaced meanwhile."""
    settings = TenantSettings.current()
    choices = form_choices(settings)
    return {
        "plan": form, "plan_exchange": exchange, "modes": choices.modes,
        "members": choices.members if settings.choose_user else None,
        "may_plan_event": can_any(*PLAN_RIGHTS),
        "return_focus": f"#status-of-{exchange.id}" if in_list
        else "#exchange-status button[value='closed']",
    }


def _show(exchange: Exchange, form: PlanNextForm, status: int = 200):
    context = render_offer(exchange, form)
    if not is_htmx_request():
        template = "exchanges/plan_next_page.html"
    elif request.method == "GET":
        template = "exchanges/_plan_next_dialog.html"
    else:
        template = "exchanges/_plan_next.html"
    return make_response(render_template(template, **context), status)


def _planned(message: str, link: str, link_text: str, **events):
    if not is_htmx_request():
        flash(message, "success")
        return redirect_to(link)
    response = make_response(render_template(
        "exchanges/_planned.html", message=message, link=link, link_text=link_text))
    return trigger(response, **{DONE_EVENT: True}, **events)


@bp.route("/<int:exchange_id>/plan-next", methods=["GET", "POST"])
def plan_next(exchange_id: int):
    exchange = visible_exchange_or_404(exchange_id)  # another company's: 404
    require(WRITE_EXCHANGES)
    if request.method == "GET":
        return _show(exchange, offered_form(exchange))
    plan = PlanNextForm()
    if plan.what.data == PLAN_EVENT and not can_any(*PLAN_RIGHTS):
        abort(403)
    if not plan.validate_on_submit():
        return _show(exchange, plan, 422)
    if plan.what.data == PLAN_EVENT:
        return _plan_event(exchange, plan)
    return _plan_exchange(exchange, plan)


def _plan_exchange(exchange: Exchange, plan: PlanNextForm):
    form = exchange_form_for(plan, exchange)
    created = save_new_exchange(form)[0]  # sent twice: the one it already created
    if created is None:
        plan.take_errors(form.errors, EXCHANGE_FIELDS)
        return _show(exchange, plan, 422)
    return _planned(_("To-do exchange planned on %(day)s.", day=_day(created)),
                    url_for("exchanges.show", exchange_id=created.id), _("See the exchange"),
                    **saved_event(created))


def _plan_event(exchange: Exchange, plan: PlanNextForm):
    form = event_form_for(plan, exchange)
    if not form.validate():
        plan.take_errors(form.errors, EVENT_FIELDS)
        return _show(exchange, plan, 422)
    event = form.new_event(g.membership)
    commit_keeping_loaded()
    return _planned(_("Event “%(title)s” added.", title=event.title),
                    url_for("agenda.card", event_id=event.id), _("See the event"))


def _day(exchange: Exchange) -> str:
    return format_date(to_local(exchange.occurred_at).date(), "long")
