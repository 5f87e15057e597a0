"""/api/v1/exchanges: list, read, create, update and delete exchanges.

Nothing here decides what a member sees or what a valid exchange is: the list is the All
exchanges page's (its filter form, ``visible_exchanges``: a member with only "read own
exchanges" sees theirs), the confidential comment follows the card's rule (its author and
its group), a write goes through the pop-up's form and ``ct.exchanges.saving`` (its
checks and messages, the collaborators' emails through the outbox), a deletion through
the trash.
"""

from __future__ import annotations

from flask import g, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import NotFound

from ct.blueprints.api import common as api
from ct.blueprints.api import exchanges_bp as bp
from ct.blueprints.api.exchange_schemas import (
    ExchangePageSchema,
    ExchangeQuerySchema,
    ExchangeSchema,
    ExchangeWriteSchema,
)
from ct.blueprints.api.idempotency import replay_or_none
from ct.blueprints.exchange_list.forms import ListFilterForm
from ct.blueprints.exchanges.forms import ExchangeForm
from ct.blueprints.exchanges.mention_fields import mention_ids_of
from ct.blueprints.exchanges.views import require
from ct.core.pagination import cursor_clause, keyset_page
from ct.core.permissions import DELETE_EXCHANGES, WRITE_EXCHANGES, require_right
from ct.core.zone import to_local
from ct.exchanges import saving
from ct.exchanges.query import apply_filters, visible_exchanges
from ct.extensions import db
from ct.models import Exchange, ExchangeContact, TenantSettings
from ct.models.exchange_access import ConfidentialReader
from ct.records.trash import trash_exchange

WRITTEN = tuple(ExchangeWriteSchema().fields)  # the fields a PATCH may change
ORDER = [Exchange.occurred_at, Exchange.id]  # newest first
LOADED = (joinedload(Exchange.tiers),
          selectinload(Exchange.contact_links).joinedload(ExchangeContact.contact),
          selectinload(Exchange.collaborator_links))
NOT_FOUND, STALE, FORBIDDEN = api.record_answers(bp, "exchange")


def _dump(exchange: Exchange, reader: ConfidentialReader | None = None) -> dict:
    """The exchange as the token's member may read it: the confidential comment is
    null unless the card would show it to them."""
    reader = reader or ConfidentialReader.of(g.membership)
    secret = reader.may_read(exchange.author_id, exchange.confidential_group_id)
    return {
        "id": exchange.id,
        "tiers": {"id": exchange.tiers.id, "name": exchange.tiers.name},
        "occurred_at": api.moment(exchange.occurred_at),
        "status": exchange.status,
        "comment": exchange.comment,
        "mode_id": exchange.mode_id,
        "object_id": exchange.object_id,
        "document_id": exchange.document_id,
        "project_id": exchange.project_id,
        "contacts": [{"id": link.contact.id, "full_name": link.contact.full_name}
                     for link in exchange.contact_links],
        "collaborator_ids": [link.membership_id for link in exchange.collaborator_links],
        "notify_collaborators": bool(exchange.notify_collaborators),
        "made_by_id": exchange.made_by_id,
        "author_id": exchange.author_id,
        "confidential_comment": exchange.confidential_comment if secret else None,
        "confidential_group_id": exchange.confidential_group_id if secret else None,
        "created_at": api.moment(exchange.created_at),
        "updated_at": api.moment(exchange.updated_at),
    }


def _visible_or_404(exchange_id: int, for_update: bool = False) -> Exchange:
    """The exchange if the token's member may read it (the card's rule), else 404."""
    query = select(Exchange).where(Exchange.id == exchange_id,
                                   visible_exchanges(g.membership).whereclause)
    if for_update:
        query = query.with_for_update(of=Exchange)
    exchange = db.session.scalar(query.options(*LOADED))
    if exchange is None:
        raise NotFound()
    return exchange


def _arg(value) -> str:
    """A checked query value as the list's filter form reads it (a day, "1" for true)."""
    if value is True:
        return "1"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _current(exchange: Exchange) -> dict:
    """The exchange's written fields as the form reads them (what a PATCH keeps)."""
    return {
        "tiers_id": exchange.tiers_id,
        "occurred_at": to_local(exchange.occurred_at),
        "status": exchange.status, "comment": exchange.comment,
        "mode_id": exchange.mode_id, "object_id": exchange.object_id,
        "document_id": exchange.document_id, "project_id": exchange.project_id,
        "contact_ids": [link.contact_id for link in exchange.contact_links],
        "made_by_id": exchange.made_by_id,
        "collaborator_ids": [link.membership_id for link in exchange.collaborator_links],
        "notify_collaborators": exchange.notify_collaborators,
        "confidential_comment": exchange.confidential_comment,
        "confidential_group_id": exchange.confidential_group_id,
        "mention_ids": mention_ids_of(exchange),
    }


def _form(values: dict, exchange: Exchange | None) -> ExchangeForm:
    """The pop-up's form (the company's settings, the member's confidential right),
    filled from JSON: a date with an offset becomes the company's wall-clock time."""
    values = {**values, "occurred_at": api.wall_clock(values.get("occurred_at"))}
    can_confidential = exchange is None or ConfidentialReader.of(g.membership).may_read(
        exchange.author_id, exchange.confidential_group_id)
    form = ExchangeForm(formdata=api.form_data(values), meta={"csrf": False})
    return form.configure(TenantSettings.current(), can_confidential=can_confidential,
                          task=False, event=False, exchange=exchange)


def _checked(values: dict, exchange: Exchange | None) -> ExchangeForm:
    form = _form(values, exchange)
    if not form.validate():
        raise api.invalid(form.errors)
    return form


@bp.get("/")
@bp.arguments(ExchangeQuerySchema, location="query", as_kwargs=True)
@bp.response(200, ExchangePageSchema)
def list_exchanges(cursor, limit, **filters):
    """Exchanges newest first, one page at a time (keyset pagination: pass `next` as
    `cursor`); only those the token's member sees on the All exchanges page."""
    args = MultiDict({name: _arg(value) for name, value in filters.items()
                      if value not in (None, "") and value is not False})
    form = ListFilterForm(args)
    if not form.validate():
        raise api.invalid(form.errors, "query")
    if cursor and cursor_clause(ORDER, cursor, descending=True) is None:
        raise api.bad_cursor()
    query = apply_filters(visible_exchanges(g.membership), form.filters()).options(*LOADED)
    page = keyset_page(query, ORDER, cursor, per_page=limit, descending=True)
    reader = ConfidentialReader.of(g.membership)  # the member's groups: read once
    return api.page_answer(page, lambda exchange: _dump(exchange, reader))


@bp.get("/<int:exchange_id>")
@api.record_response(bp, ExchangeSchema)
@NOT_FOUND
def get_exchange(exchange_id: int):
    """One exchange the token's member may see; its ETag goes in If-Match."""
    return api.tagged(_dump(_visible_or_404(exchange_id)))


@bp.post("/")
@bp.arguments(ExchangeWriteSchema)
@api.created_response(bp, ExchangeSchema)
@FORBIDDEN
@require_right(WRITE_EXCHANGES)
def create_exchange(values: dict):
    """Create an exchange, as the pop-up does (with `notify_collaborators`, the
    collaborators get their email). Send an Idempotency-Key header to retry safely."""
    replay = replay_or_none()
    if replay is not None:
        return replay
    exchange = saving.create_exchange(_checked(values, None).draft(), g.membership)
    saving.notify_about(exchange, g.membership)
    return api.created(exchange, lambda e: _dump(_visible_or_404(e.id)),
                       lambda e: url_for("api_exchanges.get_exchange", exchange_id=e.id))


@bp.patch("/<int:exchange_id>")
@bp.arguments(ExchangeWriteSchema)
@api.record_response(bp, ExchangeSchema)
@FORBIDDEN
@NOT_FOUND
@STALE
def update_exchange(values: dict, exchange_id: int):
    """Change some fields; with If-Match (the ETag read), a stale change is refused (412)."""
    exchange = _visible_or_404(exchange_id, for_update=True)
    require(WRITE_EXCHANGES)  # as the page: one not seen is 404 before 403
    api.check_if_match(_dump(exchange))
    form = _checked(api.merged(_current(exchange), WRITTEN, values), exchange)
    saving.update_exchange(exchange, form.draft(), g.membership)
    db.session.commit()
    return api.tagged(_dump(_visible_or_404(exchange_id)))


@bp.delete("/<int:exchange_id>")
@bp.response(204)
@FORBIDDEN
@NOT_FOUND
@STALE
def delete_exchange(exchange_id: int):
    """Move an exchange to the trash (restorable for 30 days), as its page does; its
    task and event stay. Needs the right to delete exchanges."""
    _visible_or_404(exchange_id)
    require(DELETE_EXCHANGES)
    return api.delete_record(Exchange, exchange_id, _dump, trash_exchange)
