"""What deleting a record does to the exchanges that point at it.

A task or an agenda event is the follow-up of an exchange: deleting it cancels the
follow-up, the exchange stays and loses the link. A third party, a document, a project
or a product is what an exchange is about: while an exchange names it, deleting it is
refused (the history would lose what it was about), and its card offers the way to
retire it that keeps the history (close, cancel, deactivate).

Links are cut through the ORM, not by bulk SQL, so the audit listener (ct.records.audit) writes
the change into each exchange's history.
"""

from __future__ import annotations

from sqlalchemy import func, select

from ct.extensions import db
from ct.models import Exchange, ExchangeProduct, Task


def _follow_ups(column, ids) -> list[Exchange]:
    return list(db.session.scalars(select(Exchange).where(column.in_(ids)).order_by(Exchange.id)))


def exchanges_following_event(event_id: int) -> int:
    return _count(select(func.count(Exchange.id)).where(Exchange.event_id == event_id))


def exchanges_following_tasks(task_ids) -> int:
    return _count(select(func.count(Exchange.id)).where(Exchange.task_id.in_(task_ids)))


def unlink_event(event_id: int) -> None:
    """The exchanges whose follow-up is this event keep everything but the link."""
    for exchange in _follow_ups(Exchange.event_id, [event_id]):
        exchange.event_id = None
    db.session.flush()  # before the event's DELETE, whatever order the flush would pick


def unlink_tasks(task_ids) -> None:
    for exchange in _follow_ups(Exchange.task_id, list(task_ids)):
        exchange.task_id = None
    db.session.flush()


def project_task_ids(project_id: int) -> list[int]:
    return list(db.session.scalars(select(Task.id).where(Task.project_id == project_id)))


def exchanges_naming_document(document_id: int) -> int:
    return _count(select(func.count(Exchange.id)).where(Exchange.document_id == document_id))


def exchanges_naming_project(project_id: int) -> int:
    return _count(select(func.count(Exchange.id)).where(Exchange.project_id == project_id))


def exchanges_naming_product(product_id: int) -> int:
    return _count(select(func.count(ExchangeProduct.id))
                  .where(ExchangeProduct.product_id == product_id))


def _count(query) -> int:
    return db.session.scalar(query) or 0
