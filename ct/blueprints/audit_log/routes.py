"""The audit log (administrators): every recorded change, filtered by record type,
member, period and action; and the "History of changes" of one record for its card."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import abort, g, request
from flask_babel import gettext as _
from sqlalchemy import or_, select

from ct.core.ids import ID_MAX, parse_id
from ct.core.pagination import keyset_page
from ct.core.permissions import require_admin
from ct.core.zone import day_bounds
from ct.extensions import db
from ct.models import AuditEntry, Contact, Exchange, Membership, Tiers, User
from ct.models.exchange_access import visible_clause
from ct.records.audit_view import ACTION_LABELS, RECORD_TYPE_LABELS, history_of, lines
from ct.web.fields import YEAR_MAX, YEAR_MIN
from ct.web.htmx import render
from ct.web.lookups import get_or_404

from . import bp

PER_PAGE = 50
VERBS = ("create", "delete", "restore")  # anything else is a change


@dataclass
class LogFilters:
    record_type: str = ""
    member_id: int | None = None
    since: date | None = None
    until: date | None = None
    action: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # by field: "from", "to"

    @classmethod
    def from_args(cls, args, member_ids: set[int]) -> LogFilters:
        member_id = parse_id(args.get("member"))
        errors: dict[str, str] = {}
        since, until = _day(args, "from", errors), _day(args, "to", errors)
        return cls(
            record_type=args.get("type", "") if args.get("type") in RECORD_TYPE_LABELS else "",
            member_id=member_id if member_id in member_ids else None,
            since=since, until=until,
            action=args.get("action", "") if args.get("action") in ACTION_LABELS else "",
            errors=errors,
        )

    def as_args(self) -> dict:
        values = {"type": self.record_type, "member": self.member_id,
                  "from": self.since.isoformat() if self.since else None,
                  "to": self.until.isoformat() if self.until else None, "action": self.action}
        return {k: v for k, v in values.items() if v}


def _day(args, name: str, errors: dict[str, str]) -> date | None:
    """The day of the filter ``name``; a malformed or out-of-range one is no filter and
    gets its message (near the limits of datetime, time zones would overflow)."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("Enter a valid date.")
        return None
    if not YEAR_MIN <= day.year <= YEAR_MAX:
        errors[name] = _("Enter a date between %(first)d and %(last)d.", first=YEAR_MIN,
                         last=YEAR_MAX)
        return None
    return day


def filtered(filters: LogFilters):
    query = select(AuditEntry)
    if filters.record_type:
        query = query.where(AuditEntry.record_type == filters.record_type)
    if filters.member_id:
        query = query.where(AuditEntry.actor_id == filters.member_id)
    since, before = day_bounds(filters.since, filters.until)
    if since:
        query = query.where(AuditEntry.created_at >= since)
    if before:
        query = query.where(AuditEntry.created_at < before)
    if filters.action in VERBS:
        query = query.where(AuditEntry.action.endswith(f".{filters.action}", autoescape=True))
    elif filters.action:
        query = query.where(~or_(*(AuditEntry.action.endswith(f".{v}") for v in VERBS)))
    return query


@bp.get("/")
@require_admin
def index():
    members = list(db.session.scalars(
        select(Membership).join(Membership.user).order_by(User.display_name)))
    filters = LogFilters.from_args(request.args, {m.id for m in members})
    page = keyset_page(filtered(filters), [AuditEntry.created_at, AuditEntry.id],
                       request.args.get("cursor"), PER_PAGE, descending=True)
    return render("audit_log/index.html", block="results", page=page, lines=lines(page.items),
                  filters=filters, members=members, record_types=RECORD_TYPE_LABELS,
                  actions=ACTION_LABELS, status=422 if filters.errors else 200)


# The cards whose history this shows, and how to check the member may see the record.
def _visible(record_type: str, record_id: int) -> None:
    if record_id > ID_MAX:
        abort(404)
    if record_type == "exchange":
        found = db.session.scalar(select(Exchange.id).where(
            Exchange.id == record_id, visible_clause(g.membership)))
        if found is None:
            abort(404)
    elif record_type in ("tiers", "contact"):
        get_or_404(Tiers if record_type == "tiers" else Contact, record_id)
    else:
        abort(404)


@bp.get("/history/<record_type>/<int:record_id>")
def history(record_type: str, record_id: int):
    """The "History of changes" of a card, loaded by the card itself."""
    _visible(record_type, record_id)
    return render("audit_log/_history.html", lines=history_of(record_type, record_id),
                  record_type=record_type)
