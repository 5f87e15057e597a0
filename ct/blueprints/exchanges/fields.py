"""The tenant-scoped look-ups that check the ids of the exchange form.

Ids come from selects, checkboxes and hidden inputs the browser may tamper with. The
fields (ct.web.fields) only parse them; each id is then looked up here under the bound
tenant's scoping, so an id of another tenant is simply not found and becomes a field
error — never a link.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.validators import ValidationError

from ct.core.session_cache import cached
from ct.extensions import db
from ct.models import Choice, Membership


def active_members() -> dict[int, Membership]:
    """The active members by id, in name order, read once per request: the form's
    lists and the checks of its made by, collaborators, task and event fields."""
    return cached("active_members", (Membership,),
                  lambda: {m.id: m for m in Membership.all_active()})


def active_member(member_id: int | None) -> Membership | None:
    return active_members().get(member_id) if member_id is not None else None


def active_many(ids: list[int]) -> list[Membership]:
    """Like ``many`` for active members."""
    members = active_members()
    if any(i not in members for i in ids):
        raise ValidationError(_l("Choose from the list."))
    return [members[i] for i in ids]


def one(model, record_id: int | None, *conditions):
    """The row of the bound tenant with this id (and conditions), or None."""
    if record_id is None:
        return None
    return db.session.scalar(select(model).where(model.id == record_id, *conditions))


def many(model, ids: list[int], *conditions) -> list:
    """The rows of the bound tenant with these ids, in the order given; raises
    ValidationError when any id is unknown (another tenant's, deleted, tampered)."""
    if not ids:
        return []
    found = {row.id: row for row in db.session.scalars(
        select(model).where(model.id.in_(ids), *conditions))}
    if len(found) != len(ids):
        raise ValidationError(_l("Choose from the list."))
    return [found[i] for i in ids]


def choice_of(kind: str, choice_id: int | None) -> Choice | None:
    """An entry of a list: the active ones are in hand already; a retired one (kept by
    an exchange being edited) costs a query."""
    if choice_id is None:
        return None
    active = next((c for c in Choice.active_of(kind) if c.id == choice_id), None)
    return active or one(Choice, choice_id, Choice.kind == kind)


def active_or_error(member_id, message):
    member = active_member(member_id)
    if member_id is not None and member is None:
        raise ValidationError(message)
    return member
