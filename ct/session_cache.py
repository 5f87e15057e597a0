"""Lookups read once per database session (one request): the tenant's lists and its
active members are asked for by the filters, the form and its validation alike.

An entry is forgotten when the transaction ends (committed objects are expired:
reading them again would cost a query each) and when a flush writes one of the models
it was read from, so a page never shows a list older than its own changes.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ct.extensions import db
from ct.tenancy import current_tenant_id

_KEY = "ct_session_cache"


def cached(name: str, models: tuple[type, ...], load: Callable[[], Any]) -> Any:
    """``load()`` for the bound tenant, computed at most once per session and
    transaction. ``models``: the models whose changes make it stale."""
    entries = db.session.info.setdefault(_KEY, {})
    key = (name, current_tenant_id())
    if key not in entries:
        entries[key] = (models, load())
    return entries[key][1]


@event.listens_for(Session, "after_flush")
def _forget_changed(session, flush_context) -> None:
    entries = session.info.get(_KEY)
    if not entries:
        return
    changed = {type(obj) for obj in chain(session.new, session.dirty, session.deleted)}
    for key, (models, _value) in list(entries.items()):
        if any(issubclass(kind, models) for kind in changed):
            del entries[key]


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_all(session, *args) -> None:
    session.info.pop(_KEY, None)
