"""Lookups read once per database session (one request), and the tenant's lists kept
between requests.

Per session: the tenant's lists and its active members are asked for by the filters,
the form and its validation alike. An entry is forgotten when the transaction ends
(committed objects are expired: reading them again would cost a query each) and when a
flush writes one of the models it was read from, so a page never shows a list older
than its own changes.

Between requests (``shared=True``, plain values only, never ORM objects): the lists
change a few times a year and are read by every list page, so a web worker keeps them,
keyed by the tenant's ``lists_version``, which the database bumps whenever they change
(migration 0015). The tenant row is read by every request anyway (``ct.web.current``
notes its version): a newer version is a new key, and the old entry ages out. A request
that wrote one of the models reads them from the database until it ends: the version
it noted is older than its own change.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from itertools import chain
from typing import Any

from flask import g, has_app_context

from ct.core.tenancy import current_tenant_id
from ct.extensions import db

_KEY = "ct_session_cache"
_WRITTEN = "ct_session_cache_written"  # the models written by the session (request) so far
SHARED_MAX = 2000  # entries (a tenant has a handful): a few MB at most


class _Shared:
    """A bounded, thread-safe map of the lists kept between requests."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> tuple[bool, Any]:
        with self._lock:
            if key not in self._entries:
                return False, None
            self._entries.move_to_end(key)
            return True, self._entries[key]

    def put(self, key: tuple, value: Any) -> None:
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.limit:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


shared_lists = _Shared(SHARED_MAX)


def cached(name: str, models: tuple[type, ...], load: Callable[[], Any],
           shared: bool = False) -> Any:
    """``load()`` for the bound tenant, computed at most once per session and
    transaction. ``models``: the models whose changes make it stale. ``shared``: the
    value (plain data) may also be kept between requests, by the tenant's lists
    version."""
    entries = db.session.info.setdefault(_KEY, {})
    tenant_id = current_tenant_id()
    key = (name, tenant_id)
    if key not in entries:
        version = _lists_version(tenant_id, models) if shared else None
        if version is None:
            entries[key] = (models, load())
        else:
            found, value = shared_lists.get((name, tenant_id, version))
            if not found:
                value = load()
                shared_lists.put((name, tenant_id, version), value)
            entries[key] = (models, value)
    return entries[key][1]


def note_lists_version(tenant_id: int, version: int) -> None:
    """The request's tenant and its lists version, as read at the request's start (read
    again after a commit, it would cost a statement)."""
    g.lists_version = (tenant_id, version)


def _lists_version(tenant_id: int | None, models: tuple[type, ...]) -> int | None:
    """The bound tenant's lists version, when the request noted it and wrote none of
    ``models``; None otherwise (jobs and commands read the database)."""
    noted = g.get("lists_version") if has_app_context() else None
    if noted is None or tenant_id is None or noted[0] != tenant_id:
        return None
    written = db.session.info.get(_WRITTEN, ())
    if any(issubclass(kind, models) for kind in written):
        return None
    return noted[1]


def forget_changed(session, flush_context) -> None:
    changed = {type(obj) for obj in chain(session.new, session.dirty, session.deleted)}
    session.info.setdefault(_WRITTEN, set()).update(changed)
    entries = session.info.get(_KEY)
    if not entries:
        return
    for key, (models, _value) in list(entries.items()):
        if any(issubclass(kind, models) for kind in changed):
            del entries[key]


def forget_all(session, *args) -> None:
    # What was written is kept: the noted version stays older than it until the end.
    session.info.pop(_KEY, None)
