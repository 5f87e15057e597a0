"""The exchanges tab of the tiers, contact, document and project cards.

Cards call ``history_count(kind, record_id)`` for their tab label and load the tab
itself from ``exchange_list.history?<kind>=<id>``: a ``<section id="<kind>-exchanges">``
that reloads itself on ``exchange-saved``. A label written as
``<span id="<kind>-exchanges-count">12</span>`` is updated out of band by each reload.
Both count and list only what the current member may see.
"""

from __future__ import annotations

from flask import g
from sqlalchemy import Integer, Select, bindparam, case, func, select

from ct.exchanges.query import history_ids, history_sources, newest_ids
from ct.extensions import db
from ct.models import Contact, Document, Exchange, Project, Tiers
from ct.models.exchange_access import MEMBER, visibility, visible_to

MODELS = {"tiers": Tiers, "contact": Contact, "document": Document, "project": Project}


def history_record(kind: str, record_id: int):
    """The tiers, contact, document or project whose history is asked for, or None
    (unknown kind, unknown id, or another tenant's id)."""
    model = MODELS.get(kind)
    if model is None:
        return None
    return db.session.scalar(select(model).where(model.id == record_id))


# Counting every exchange of a big tiers costs more than showing its first page; past
# this many the label says "1000+".
COUNT_CAP = 1000


def history_count(kind: str, record_id: int, membership=None) -> int:
    """How many exchanges of that record the member (default: the current one) sees,
    counted up to ``COUNT_CAP + 1`` (more reads as "more than COUNT_CAP")."""
    membership = membership if membership is not None else g.get("membership")
    found = db.session.scalar(_count_statement(kind, visibility(membership)), dict(
        member_id=membership.id if membership is not None else None, record_id=record_id))
    return min(found, COUNT_CAP + 1)  # sources capped one by one may add up past it


RECORD = bindparam("record_id", type_=Integer)


def _count_statement(kind: str, seen: str):
    """The count of one record's history for members of visibility ``seen``; the
    record, member and tenant are parameters."""
    visible = select(Exchange).where(visible_to(seen, MEMBER))
    total = _count_of(history_ids(visible, kind, RECORD, COUNT_CAP + 1, distinct=True))
    sources = history_sources(kind, RECORD)
    if len(sources) > 1:
        # A big tiers has more than COUNT_CAP exchanges of its own: the union of its
        # sources need not be read to say so (the database skips that branch).
        own = _count_of(newest_ids(visible, sources[0], COUNT_CAP + 1))
        total = case((own > COUNT_CAP, COUNT_CAP + 1), else_=total)
    return select(total)


def _count_of(ids: Select):
    # The ids counted as they are: through a join back to the exchanges it cost twice
    # as much.
    return select(func.count()).select_from(ids.subquery()).scalar_subquery()


def count_text(count: int) -> str:
    """A count of ``history_count`` for a label: "12", or "1000+" past the cap."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


def history_count_text(kind: str, record_id: int, membership=None) -> str:
    return count_text(history_count(kind, record_id, membership))


def record_label(kind: str, record) -> str:
    if kind == "contact":
        return record.full_name
    if kind == "document":
        return record.reference
    if kind == "project":
        return record.label
    return record.name
