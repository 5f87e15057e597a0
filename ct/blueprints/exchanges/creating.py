"""Creating an exchange from a checked-to-be form, as the pop-up and "plan the next
contact" both do: a form sent twice lands on the exchange it created, the emails go in
the same transaction, and the pages that list exchanges hear about it."""

from __future__ import annotations

from flask import g
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ct.blueprints.exchanges.forms import ExchangeForm
from ct.exchanges.saving import (
    create_exchange,
    exchange_for_token,
    new_form_token,
    notify_about,
    usable_token,
)
from ct.extensions import db
from ct.models import Exchange

# The event the lists, timelines and cards listen to (hx-trigger="exchange-saved from:body").
SAVED_EVENT = "exchange-saved"


def saved_event(exchange: Exchange) -> dict:
    return {SAVED_EVENT: {"id": exchange.id, "tiers_id": exchange.tiers_id, "target": "body"}}


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds: the answer only needs values
    already in hand (ids, names), which would otherwise be read again one query each."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def save_new_exchange(form: ExchangeForm) -> tuple[Exchange | None, str]:
    """The exchange the form creates, or already created when sent again (double click,
    stale tab), with the message to show; (None, "") when the form has errors."""
    already = exchange_for_token(form.form_token.data)
    if already is not None and already.author_id == g.membership.id:
        return already, _("This exchange was already saved.")
    if already is not None or not usable_token(form.form_token.data):
        form.form_token.data = new_form_token()
    if not form.validate():
        return None, ""
    exchange = create_exchange(form.draft(), g.membership)
    form.save_attachments(exchange)
    not_notified = notify_about(exchange, g.membership)
    try:
        commit_keeping_loaded()
    except IntegrityError:
        # Two copies of the form raced past the check above: the first one won.
        db.session.rollback()
        already = exchange_for_token(form.form_token.data)
        if already is None:
            raise
        return already, _("This exchange was already saved.")
    message = _("Exchange saved.")
    if not_notified:
        names = ", ".join(m.user.display_name for m in not_notified)
        message += " " + _("Not notified (no longer active): %(names)s.", names=names)
    return exchange, message
