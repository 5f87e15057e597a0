"""Rights of a member inside a tenant, their presets, and the checks routes use."""

from __future__ import annotations

from functools import wraps

from flask import abort, g
from flask_babel import lazy_gettext as _l

# Every right a member can hold. Admins hold them all.
READ_OWN_EXCHANGES = "exchanges.read_own"
READ_ALL_EXCHANGES = "exchanges.read_all"
WRITE_EXCHANGES = "exchanges.write"
DELETE_EXCHANGES = "exchanges.delete"
MANAGE_RECORDS = "records.manage"  # tiers, contacts, documents, products, projects
DELETE_TIERS = "tiers.delete"
EXPORT = "export"
MANAGE_SETTINGS = "settings.manage"
MANAGE_TEMPLATES = "templates.manage"

RIGHTS = {
    READ_OWN_EXCHANGES: _l("Read own exchanges"),
    READ_ALL_EXCHANGES: _l("Read all exchanges"),
    WRITE_EXCHANGES: _l("Create and edit exchanges"),
    DELETE_EXCHANGES: _l("Delete exchanges"),
    MANAGE_RECORDS: _l("Manage third parties, contacts and documents"),
    DELETE_TIERS: _l("Delete third parties, contacts and documents"),
    EXPORT: _l("Export"),
    MANAGE_SETTINGS: _l("Manage settings"),
    MANAGE_TEMPLATES: _l("Manage email templates"),
}

# Sensible presets: members read and write, only admins delete and configure.
PRESETS = {
    "member": [READ_OWN_EXCHANGES, READ_ALL_EXCHANGES, WRITE_EXCHANGES, MANAGE_RECORDS, EXPORT],
    "restricted": [READ_OWN_EXCHANGES, WRITE_EXCHANGES],
    "admin": list(RIGHTS),
}

# Tasks and agenda events are follow-ups of exchanges (the exchange form creates them),
# so writing exchanges is enough to create, edit, tick off and delete them; managing
# records is too. Deleting needs no more than editing: an editor could empty the item
# anyway, and a cancelled meeting must be removable by whoever planned it.
PLAN_RIGHTS = (MANAGE_RECORDS, WRITE_EXCHANGES)

ROLE_ADMIN = "admin"
ROLE_MEMBER = "member"
ROLES = {ROLE_ADMIN: _l("Administrator"), ROLE_MEMBER: _l("Member")}


def has_right(membership, right: str) -> bool:
    if membership is None or not membership.active:
        return False
    return membership.role == ROLE_ADMIN or right in (membership.rights or [])


def can(right: str) -> bool:
    """Whether the current member holds ``right`` (for templates and routes)."""
    return has_right(g.get("membership"), right)


def require_right(right: str):
    """Route decorator: 403 for a member of the tenant who lacks the right."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not can(right):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def can_any(*rights: str) -> bool:
    return any(can(right) for right in rights)


def require_any_right(*rights: str):
    """Route decorator: 403 unless the member holds at least one of ``rights``."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not can_any(*rights):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def require_admin(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        membership = g.get("membership")
        if membership is None or membership.role != ROLE_ADMIN:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
