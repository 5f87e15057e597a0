"""An administrator's webhook pages: the endpoints, one endpoint's card with its delivery
log, and the actions on them. The rules are ct.webhooks.manage's: the pages only ask."""

from __future__ import annotations

from flask import abort, flash, g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ct.blueprints.webhooks import bp
from ct.blueprints.webhooks.forms import EndpointForm, event_groups, events_summary
from ct.core.ids import ID_MAX
from ct.core.pagination import keyset_page
from ct.core.permissions import require_admin
from ct.extensions import db
from ct.models import AuditEntry
from ct.models.outbox import FAILED, PENDING, SENDING, SENT
from ct.models.webhook import ALL_EVENT_TYPES, WebhookDelivery, WebhookEndpoint
from ct.web.htmx import redirect_to, render
from ct.web.lookups import get_or_404
from ct.webhooks import manage
from ct.webhooks.targets import RefusedTarget, check_target

PER_PAGE = 25
STATUSES = {
    PENDING: _l("Waiting"),
    SENDING: _l("Being sent"),
    SENT: _l("Sent"),
    FAILED: _l("Failed"),
}
AGAIN = (FAILED, SENT)  # the deliveries "Send again" is offered for


def _target(endpoint: WebhookEndpoint) -> str:
    return f"webhook:{endpoint.id}"


def _described(endpoint: WebhookEndpoint) -> dict:
    """What the audit trail keeps of an endpoint (never its secret)."""
    return {"url": endpoint.url, "description": endpoint.description,
            "event_types": list(endpoint.event_types or [])}


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"  # a signing secret is a credential
    return response


@bp.get("/")
@require_admin
def index():
    endpoints = list(db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))
    return render("webhooks/index.html", endpoints=endpoints, last=_last_deliveries(),
                  statuses=STATUSES, summary=events_summary, total=len(ALL_EVENT_TYPES))


def _last_deliveries() -> dict[int, WebhookDelivery]:
    """Each endpoint's newest delivery (one query)."""
    newest = (select(func.max(WebhookDelivery.id))
              .group_by(WebhookDelivery.endpoint_id).scalar_subquery())
    rows = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(newest)))
    return {row.endpoint_id: row for row in rows}


def _form_page(form: EndpointForm, endpoint: WebhookEndpoint | None = None, status=200):
    chosen = form.events.data if form.events.data is not None else []
    return render("webhooks/form.html", form=form, endpoint=endpoint,
                  groups=event_groups(chosen), status=status)


def _address_refused(form: EndpointForm) -> bool:
    """Check the form, then the address (only a well-formed one is looked up)."""
    valid = form.validate_on_submit()
    if form.url.errors:
        return True
    try:
        check_target(form.url.data)
    except RefusedTarget as refused:
        form.url.errors = [str(refused)]
        return True
    return not valid


@bp.get("/new")
@require_admin
def new():
    return _form_page(EndpointForm(formdata=None))


@bp.post("/new")
@require_admin
def create():
    form = EndpointForm()
    if _address_refused(form):
        return _form_page(form, status=422)
    endpoint = manage.register(form.url.data, form.description.data, form.chosen_events(),
                               created_by_id=g.membership.id)
    db.session.flush()
    AuditEntry.record(g.membership, "webhook.create", {}, _described(endpoint),
                      target=_target(endpoint))
    db.session.commit()
    # The secret is shown on this answer only: the card never shows it again.
    return _no_store(_card(endpoint, secret=endpoint.secret, created=True))


def _endpoint_or_404(endpoint_id: int) -> WebhookEndpoint:
    return get_or_404(WebhookEndpoint, endpoint_id)


def _card(endpoint: WebhookEndpoint, secret: str | None = None, created: bool = False,
          status: int = 200):
    only_failed = request.args.get("status") == FAILED
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
    if only_failed:
        query = query.where(WebhookDelivery.status == FAILED)
    cursor = request.args.get("cursor") if request.method == "GET" else None
    page = keyset_page(query, [WebhookDelivery.id], cursor, PER_PAGE, descending=True)
    # Disabled by hand: who and when are the audit trail's (ct.webhooks.manage keeps
    # the date and the reason only of an endpoint disabled after its failures).
    by_hand = None
    if not endpoint.active and endpoint.disabled_at is None:
        by_hand = next(iter(AuditEntry.latest("webhook.disable", target=_target(endpoint),
                                              limit=1)), None)
    return render("webhooks/card.html", block="log", endpoint=endpoint, page=page,
                  by_hand=by_hand,
                  only_failed=only_failed, statuses=STATUSES, again=AGAIN, secret=secret,
                  created=created, groups=event_groups(endpoint.event_types), status=status)


@bp.get("/<int:endpoint_id>")
@require_admin
def card(endpoint_id: int):
    return _card(_endpoint_or_404(endpoint_id))


@bp.get("/<int:endpoint_id>/edit")
@require_admin
def edit(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    form = EndpointForm(formdata=None, url=endpoint.url, description=endpoint.description,
                        events=list(endpoint.event_types or []))
    return _form_page(form, endpoint)


@bp.post("/<int:endpoint_id>/edit")
@require_admin
def save(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    form = EndpointForm()
    if _address_refused(form):
        return _form_page(form, endpoint, status=422)
    before = _described(endpoint)
    endpoint.url = form.url.data
    endpoint.description = form.description.data or None
    endpoint.event_types = form.chosen_events()
    AuditEntry.record(g.membership, "webhook.update", before, _described(endpoint),
                      target=_target(endpoint))
    db.session.commit()
    flash(_("The endpoint is saved."), "success")
    return redirect_to(url_for(".card", endpoint_id=endpoint.id))


def _set_active(endpoint: WebhookEndpoint, active: bool) -> None:
    # Who disabled it by hand, and when, is read back from this audit entry (the card).
    manage.enable(endpoint) if active else manage.disable_by_hand(endpoint)
    AuditEntry.record(g.membership, "webhook.enable" if active else "webhook.disable",
                      {"active": not active}, {"active": active}, target=_target(endpoint))


@bp.post("/<int:endpoint_id>/enable")
@require_admin
def enable(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    if not endpoint.active:
        _set_active(endpoint, True)
        db.session.commit()
    flash(_("The endpoint is enabled: the next changes will be sent to it."), "success")
    return redirect_to(url_for(".card", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/disable")
@require_admin
def disable(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    if endpoint.active:
        _set_active(endpoint, False)
        db.session.commit()
    flash(_("The endpoint is disabled: nothing will be sent to it until it is enabled "
            "again."), "success")
    return redirect_to(url_for(".card", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/rotate")
@require_admin
def rotate(endpoint_id: int):
    """A new secret, shown on this answer only; the old one stops signing at once."""
    endpoint = _endpoint_or_404(endpoint_id)
    secret = manage.rotate_secret(endpoint)
    AuditEntry.record(g.membership, "webhook.rotate_secret", {}, {"url": endpoint.url},
                      target=_target(endpoint))
    db.session.commit()
    return _no_store(_card(endpoint, secret=secret))


@bp.post("/<int:endpoint_id>/test")
@require_admin
def send_test(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    if not endpoint.active:
        flash(_("Enable the endpoint first: nothing is sent to a disabled endpoint."),
              "error")
        return redirect_to(url_for(".card", endpoint_id=endpoint.id))
    manage.send_test(endpoint)
    db.session.commit()
    flash(_("A test event is on its way. Reload the page in a few seconds to see how "
            "the endpoint answered."), "success")
    return redirect_to(url_for(".card", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/delete")
@require_admin
def delete(endpoint_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    AuditEntry.record(g.membership, "webhook.delete", _described(endpoint), {},
                      target=_target(endpoint))
    manage.remove(endpoint)
    db.session.commit()
    flash(_("The endpoint %(url)s and its delivery log are deleted.", url=endpoint.url),
          "success")
    return redirect_to(url_for(".index"))


@bp.post("/<int:endpoint_id>/deliveries/<int:delivery_id>/again")
@require_admin
def send_again(endpoint_id: int, delivery_id: int):
    endpoint = _endpoint_or_404(endpoint_id)
    if delivery_id > ID_MAX:
        abort(404)
    delivery = db.session.scalar(select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.endpoint_id == endpoint.id))
    if delivery is None:
        abort(404)
    if not endpoint.active:
        flash(_("Enable the endpoint first: nothing is sent to a disabled endpoint."),
              "error")
    elif delivery.status not in AGAIN or not manage.send_again(delivery):
        flash(_("Only a sent or failed delivery can be sent again."), "error")
    else:
        db.session.commit()
        flash(_("The %(event)s event will be sent again.", event=delivery.event_type),
              "success")
    return redirect_to(url_for(".card", endpoint_id=endpoint.id))
